import type { Locale } from '../i18n.ts';
import { isValidTimeZone, MS_PER_DAY, ZoneClock } from '../time/zone.ts';
import { hasFilter, periodOf } from './filter-schema.ts';
import { FILTER_MESSAGES, maxPeriodDays, type ParamsResult, validateRequest } from './params.ts';
import { pickedRows } from './rows.ts';
import type { Column, ReportDefinition, ReportResult, Row, Rows } from './types.ts';

/** What a supervisor picks for a run in the app; saved with jobs and templates. */
export interface ReportFilters {
  /** Local dates `YYYY-MM-DD` in `timeZone`, both inclusive. */
  fromDate: string;
  toDate: string;
  /**
   * A period named relative to the calendar ("today", "last month"): the dates above are what it
   * meant when last resolved, and `resolvePeriod` moves them whenever the filters are applied.
   * Absent: the dates are fixed.
   */
  period?: RelativePeriod;
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

/** The periods a person names relative to today, in the order the form offers them. */
export const RELATIVE_PERIODS = [
  'today',
  'yesterday',
  'this-week',
  'last-week',
  'last-7-days',
  'last-30-days',
  'this-month',
  'last-month',
] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

export function isRelativePeriod(value: unknown): value is RelativePeriod {
  return typeof value === 'string' && (RELATIVE_PERIODS as readonly string[]).includes(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const localDate = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** Today's local date `YYYY-MM-DD` in a zone at the instant `now`. */
export function todayIn(timeZone: string, now: number): string {
  const { year, month, day } = new ZoneClock(timeZone).parts(now);
  return localDate(year, month, day);
}

/**
 * The local dates (both included) a relative period names at the instant `now` in `timeZone`:
 * the one function the form, saved searches and shared models use, so "today" means the same day
 * everywhere. Weeks start on Monday (ISO 8601); "last 7 days" ends today, today included.
 */
export function resolvePeriod(
  period: RelativePeriod,
  now: number,
  timeZone: string,
): { fromDate: string; toDate: string } {
  const today = todayIn(timeZone, now);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  // 0 = Monday … 6 = Sunday, from the local calendar date (no time zone in calendar arithmetic).
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const monthStart = localDate(year, month, 1);
  switch (period) {
    case 'today':
      return { fromDate: today, toDate: today };
    case 'yesterday': {
      const yesterday = shiftDate(today, 1);
      return { fromDate: yesterday, toDate: yesterday };
    }
    case 'this-week':
      return { fromDate: shiftDate(today, weekday), toDate: today };
    case 'last-week': {
      const monday = shiftDate(today, weekday + 7);
      return { fromDate: monday, toDate: shiftDate(monday, -6) };
    }
    case 'last-7-days':
      return { fromDate: shiftDate(today, 6), toDate: today };
    case 'last-30-days':
      return { fromDate: shiftDate(today, 29), toDate: today };
    case 'this-month':
      return { fromDate: monthStart, toDate: today };
    case 'last-month': {
      const lastDay = shiftDate(monthStart, 1);
      return { fromDate: `${lastDay.slice(0, 8)}01`, toDate: lastDay };
    }
  }
}

/** Filters as they apply at `now`: a relative period moved to the calendar, fixed dates kept. */
export function currentFilters<F extends Pick<ReportFilters, 'period' | 'timeZone' | 'fromDate' | 'toDate'>>(
  filters: F,
  now: number,
): F {
  if (!filters.period) return filters;
  // A zone being typed is not one yet: the dates stay as they were until it is.
  if (!isValidTimeZone(filters.timeZone)) return filters;
  return { ...filters, ...resolvePeriod(filters.period, now, filters.timeZone) };
}

/** Whole calendar days from one local date to another, both included. */
export function daysIncluded(fromDate: string, toDate: string): number {
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
  const toDate = todayIn(timeZone, now);
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
): { columns: Column[]; kept: number[]; pick(row: Row): Row } {
  const kept: number[] = [];
  const shown: Column[] = [];
  columns.forEach((column, index) => {
    if (!hidden.includes(column.key)) {
      kept.push(index);
      shown.push(column);
    }
  });
  return { columns: shown, kept, pick: (row) => kept.map((index) => row[index] ?? null) };
}

/**
 * The result without the hidden columns: an array's rows cut now, a table's (millions of rows
 * made on reading) as each is read.
 */
export function withoutColumns(result: ReportResult, hidden: readonly string[]): ReportResult;
export function withoutColumns(result: ReportResult<Rows>, hidden: readonly string[]): ReportResult<Rows>;
export function withoutColumns(result: ReportResult<Rows>, hidden: readonly string[]): ReportResult<Rows> {
  if (hidden.length === 0) return result;
  const { columns, kept, pick } = columnPicker(result.columns, hidden);
  const rows = Array.isArray(result.rows) ? (result.rows as Row[]).map(pick) : pickedRows(result.rows, kept);
  return { ...result, columns, rows };
}
