import type { Locale } from '../i18n.ts';
import { MS_PER_DAY, ZoneClock } from '../time/zone.ts';
import { hasFilter, periodOf } from './filter-schema.ts';
import { FILTER_MESSAGES, maxPeriodDays, type ParamsResult, validateRequest } from './params.ts';
import type { Column, ReportDefinition, ReportResult, Row } from './types.ts';

/** What a supervisor picks for a run in the app; saved with jobs and templates. */
export interface ReportFilters {
  /** Local dates `YYYY-MM-DD` in `timeZone`, both inclusive. */
  fromDate: string;
  toDate: string;
  timeZone: string;
  locale: Locale;
  splitDays: boolean;
  /**
   * Each device's own clock instead of the corrected times (see `ReportParams.deviceTime`);
   * filters saved before this switch existed have none: corrected.
   */
  deviceTime?: boolean;
  /** Empty means every agent. */
  agentIds: string[];
  /** The report's own select and text filters, by key (see `filter-schema.ts`). */
  options?: Record<string, string>;
  /** Column keys left out of the files and the preview. */
  hiddenColumns: string[];
  formats: ('csv' | 'xlsx' | 'pdf')[];
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is `YYYY-MM-DD` naming a day that exists (not 2026-02-30 nor 2026-13-01). */
function isRealDate(date: string): boolean {
  const match = LOCAL_DATE.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

/** The calendar day after a local date `YYYY-MM-DD` (calendar arithmetic, no time zone). */
export function nextDate(date: string): string | undefined {
  const match = LOCAL_DATE.exec(date);
  if (!match || !isRealDate(date)) return undefined;
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  return next.toISOString().slice(0, 10);
}

/** `days` calendar days before a local date (negative: after). */
export function shiftDate(date: string, days: number): string {
  const match = LOCAL_DATE.exec(date)!;
  const shifted = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) - days));
  return shifted.toISOString().slice(0, 10);
}

/** Whole calendar days from one local date to another, both included. */
function daysIncluded(fromDate: string, toDate: string): number {
  return (
    Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / MS_PER_DAY) + 1
  );
}

/**
 * The run's parameters for filters an app collected: the period is whole local days, `toDate`
 * included. Every message says which filter to change, in `messageLocale`.
 */
export function paramsFromFilters(
  report: ReportDefinition,
  filters: ReportFilters,
  now?: number,
  messageLocale: Locale = 'en',
): ParamsResult {
  const text = FILTER_MESSAGES[messageLocale];
  const maxDays = maxPeriodDays(report);
  const declared = (key: string) => hasFilter(report.filters, key);
  const standIn = periodOf(report.filters).orFilter;
  // A report whose period may be left out for another filter (one campaign) runs over all data.
  const periodLess = standIn !== undefined && filters.fromDate === '' && filters.toDate === '';
  if (periodLess)
    return validateRequest(
      report,
      {
        timeZone: filters.timeZone,
        locale: filters.locale,
        splitDays: filters.splitDays,
        deviceTime: filters.deviceTime ?? false,
        agentIds: declared('agentIds') && filters.agentIds.length > 0 ? filters.agentIds : undefined,
        options: filters.options,
      },
      now,
      messageLocale,
    );
  if (!isRealDate(filters.fromDate)) return { ok: false, error: text.firstDay };
  if (!isRealDate(filters.toDate)) return { ok: false, error: text.lastDay };
  if (filters.toDate < filters.fromDate) return { ok: false, error: text.reversed };
  const days = daysIncluded(filters.fromDate, filters.toDate);
  if (days > maxDays) {
    return { ok: false, error: text.tooLong(report.title[messageLocale], maxDays, days) };
  }
  // The form keeps every filter; the agents it does not declare are none rather than refused.
  return validateRequest(
    report,
    {
      timeZone: filters.timeZone,
      locale: filters.locale,
      from: filters.fromDate,
      to: nextDate(filters.toDate),
      splitDays: filters.splitDays,
      deviceTime: filters.deviceTime ?? false,
      agentIds: declared('agentIds') && filters.agentIds.length > 0 ? filters.agentIds : undefined,
      options: filters.options,
    },
    now,
    messageLocale,
  );
}

/**
 * The period a report starts with (`PeriodFilter.defaultDays`): the last days up to the local
 * date of `now` in `timeZone`, today included, as the form's dates; `undefined` when it declares
 * none. The form shows it first and the CLI runs it when given no `--from`/`--to`.
 */
export function defaultPeriod(
  report: ReportDefinition,
  now: number,
  timeZone: string,
): { fromDate: string; toDate: string } | undefined {
  const days = periodOf(report.filters).defaultDays;
  if (days === undefined) return undefined;
  const { year, month, day } = new ZoneClock(timeZone).parts(now);
  const toDate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { fromDate: shiftDate(toDate, days - 1), toDate };
}

/** The columns a run leaves out when the user has not chosen: those marked `hiddenByDefault`. */
export function defaultHiddenColumns(report: ReportDefinition): string[] {
  return report.columns.filter((column) => column.hiddenByDefault).map((column) => column.key);
}

/** The columns left after hiding some (data-dependent columns can be hidden by key too), and each row cut to them. */
export function columnPicker(
  columns: readonly Column[],
  hidden: readonly string[],
): { columns: Column[]; pick(row: Row): Row } {
  const kept: number[] = [];
  const shown: Column[] = [];
  columns.forEach((column, index) => {
    if (!hidden.includes(column.key)) {
      kept.push(index);
      shown.push(column);
    }
  });
  return { columns: shown, pick: (row) => kept.map((index) => row[index] ?? null) };
}

/** The result without the hidden columns. */
export function withoutColumns(result: ReportResult, hidden: readonly string[]): ReportResult {
  if (hidden.length === 0) return result;
  const { columns, pick } = columnPicker(result.columns, hidden);
  return { ...result, columns, rows: result.rows.map(pick) };
}
