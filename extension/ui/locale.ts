import { browser } from 'wxt/browser';
import type { Locale } from '../../shared/i18n.ts';
import { localeFor, MESSAGES, type Messages } from './i18n.ts';

/** The browser's UI language as a Pontual locale (`pt*` → `pt-BR`, else `en`). */
export function uiLocale(): Locale {
  let language: string | undefined;
  try {
    language = browser.i18n.getUILanguage();
  } catch {
    language = typeof navigator === 'undefined' ? undefined : navigator.language;
  }
  return localeFor(language);
}

export interface PageText {
  locale: Locale;
  t: Messages;
}

/** Picks the locale once for a page and marks the document with it (screen readers, hyphenation). */
export function pageText(): PageText {
  const locale = uiLocale();
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  return { locale, t: MESSAGES[locale] };
}
