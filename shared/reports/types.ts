import type { ActivityEvent } from '../events/schema.ts';
import type { Locale, Localized } from '../i18n.ts';

/**
 * How a column's values are stored and shown. Instants (`date`, `time`, `datetime`) are epoch
 * milliseconds and are shown in the report's time zone; `duration` is milliseconds.
 */
export type ColumnType = 'text' | 'integer' | 'date' | 'time' | 'datetime' | 'duration';

export interface Column {
  /** Stable machine name, used for JSON output and column selection. */
  key: string;
  label: Localized;
  type: ColumnType;
}

/** One cell: a string for `text`, a number for every other type, `null` for an empty cell. */
export type CellValue = string | number | null;
export type Row = CellValue[];

export interface ReportResult {
  /** The columns of these rows, in order; some reports add columns that depend on the data. */
  columns: Column[];
  rows: Row[];
}

/** What a report run is asked for, already validated (see `filters.ts`). */
export interface ReportParams {
  timeZone: string;
  locale: Locale;
  /** Period start, inclusive, epoch ms; `undefined` means from the beginning of the data. */
  from?: number;
  /** Period end, exclusive, epoch ms; `undefined` means to the end of the data. */
  to?: number;
  /** "Now" for this run, epoch ms: events after it are ignored, open rows run to min(now, to). */
  now: number;
  /** Split rows that cross midnight (in `timeZone`) into one row per day. */
  splitDays: boolean;
  /** Only these agents, when given. */
  agentIds?: readonly string[];
  /**
   * Show each device's own clock: no clock-skew correction. Default (absent or false): every
   * session is moved to the server's clock by the offset measured at push (DESIGN §7).
   */
  deviceTime?: boolean;
}

export type ReportCategory = 'agent-activity';

export interface ReportDefinition {
  /** Equals the file name in `shared/reports/`; used on the CLI and in file names. */
  id: string;
  category: ReportCategory;
  title: Localized;
  description: Localized;
  /** The columns every run has; `compute` may append data-dependent ones after them. */
  columns: Column[];
  /** The kind of records `compute` reads. */
  reads: 'activity-events';
  limits: {
    /** Longest period a run may ask for, in days. */
    maxPeriodDays: number;
  };
  /** Whether `splitDays` changes this report's rows. */
  supportsSplitDays: boolean;
  /**
   * Pure: the rows for these events. Events may come in any order and with duplicates. A run
   * over a subset of the agents gives exactly those agents' rows, so callers may partition the
   * input by agent and merge the results with `compareRows`.
   */
  compute(events: Iterable<ActivityEvent>, params: ReportParams): ReportResult;
  /** The order of `rows`, so that partial results can be merged. */
  compareRows(a: Row, b: Row): number;
}
