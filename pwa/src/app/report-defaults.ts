import type { Locale } from '../../../shared/i18n.ts';
import type { ReportFilters } from '../../../shared/reports/filters.ts';
import { systemTimeZone } from '../../../shared/time/zone.ts';

export type ReportFormat = ReportFilters['formats'][number];
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'xlsx', 'pdf'];

/** What Settings keeps: each absent means "as the machine or the app says". */
export interface SavedReportDefaults {
  timeZone?: string;
  /** The report language; absent: the app's language. */
  locale?: Locale;
  formats?: ReportFormat[];
}

const KEY = 'pontual.reportDefaults';

export function savedReportDefaults(): SavedReportDefaults {
  try {
    return (JSON.parse(localStorage.getItem(KEY) ?? '{}') as SavedReportDefaults) ?? {};
  } catch {
    return {};
  }
}

export function saveReportDefaults(defaults: SavedReportDefaults): void {
  localStorage.setItem(KEY, JSON.stringify(defaults));
}

/**
 * The Reports form's starting zone, language and formats (Settings → "Report defaults"): what the
 * person saved, else this machine's zone, the app's language and every format.
 */
export function reportDefaults(appLocale: Locale): Pick<ReportFilters, 'timeZone' | 'locale' | 'formats'> {
  const saved = savedReportDefaults();
  return {
    timeZone: saved.timeZone || systemTimeZone(),
    locale: saved.locale ?? appLocale,
    formats: saved.formats && saved.formats.length > 0 ? [...saved.formats] : [...REPORT_FORMATS],
  };
}
