import { LOCALES, type Locale } from '../../../shared/i18n.ts';

/** Each language named in itself, so a person finds theirs whatever the screen's language. */
const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'pt-BR': 'Português (Brasil)' };

/** A labelled language picker: the app's (header, sign-in) or a report's. */
export function LocaleSelect(props: {
  label: string;
  /** Read by screen readers only (the header, where the list speaks for itself). */
  hideLabel?: boolean;
  inline?: boolean;
  value: Locale;
  onChange(locale: Locale): void;
}) {
  return (
    <label className={props.inline ? 'inline' : undefined}>
      <span className={props.hideLabel ? 'visually-hidden' : undefined}>{props.label}</span>
      <select value={props.value} onChange={(event) => props.onChange(event.target.value as Locale)}>
        {LOCALES.map((option) => (
          <option key={option} value={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
