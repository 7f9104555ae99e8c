/** The locales every label, title and date format must exist in (DESIGN §6). */
export const LOCALES = ['en', 'pt-BR'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every supported locale; the type makes a missing translation a compile error. */
export type Localized = Record<Locale, string>;

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
