import type { TranscriptDocument } from '../files/transcript.ts';
import type { Locale, Localized } from '../i18n.ts';
import type { MessagingData } from '../messaging/dispatches.ts';
import type { RecordKindName } from '../records/kind.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { FilterField } from './filter-schema.ts';

/**
 * How a column's values are stored and shown. Instants (`date`, `time`, `datetime`) are epoch
 * milliseconds and are shown in the report's time zone; `duration` is milliseconds; `decimal` is a
 * number with a fraction (a cost, a percentage), shown with the column's `decimals` digits after
 * the locale's decimal mark.
 */
export type ColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'time' | 'datetime' | 'duration';

/** Digits after the decimal mark of a `decimal` column that does not say. */
export const DEFAULT_DECIMALS = 2;

export interface Column {
  /** Stable machine name, used for JSON output and column selection. */
  key: string;
  label: Localized;
  type: ColumnType;
  /** `decimal` columns: the digits shown after the decimal mark (default `DEFAULT_DECIMALS`). */
  decimals?: number;
  /**
   * Per locale, what a cell's text means (a status label → its catalog explanation, DESIGN §9):
   * the preview shows it as the cell's tooltip and accessible description. Plain data (a Map
   * survives `postMessage`), so it can cross to the page.
   */
  explanations?: Readonly<Record<Locale, ReadonlyMap<string, string>>>;
  /** What a reader must know about the column's values, shown by the app under the preview. */
  note?: Localized;
  /** Left out of the files and the preview unless the user picks it (`defaultHiddenColumns`). */
  hiddenByDefault?: boolean;
}

/** Numbers and durations line up on the right, as in a spreadsheet (PDF, preview). */
export function isNumericColumn(column: Pick<Column, 'type'>): boolean {
  return column.type === 'integer' || column.type === 'decimal' || column.type === 'duration';
}

/** One cell: a string for `text`, a number for every other type, `null` for an empty cell. */
export type CellValue = string | number | null;
export type Row = CellValue[];

/**
 * A result's rows, read by position. A `Row[]` is one (what `compute` gives); a report of
 * millions of rows (attendance-history) gives a `RowTable` (rows.ts), which makes a row only when
 * it is read and can write a row's cells into the reader's own array (`cellsInto`), so that a file
 * writer or the preview never holds, nor even makes, an array per row.
 */
export interface Rows extends Iterable<Row> {
  readonly length: number;
  /** Row `index` (negative: from the end, as `Array.prototype.at`), a new array for a table. */
  at(index: number): Row | undefined;
  /**
   * Every cell of row `index` into `cells`, 0 ≤ index < length: tables only, read through
   * `cellReader`, which hands the same array back for every row.
   */
  cellsInto?(index: number, cells: CellValue[]): void;
}

/** `rows` is an array for `compute` (tests, the CLI's spill, `combine`); a `Rows` for `begin`'s run. */
export interface ReportResult<R extends Rows = Row[]> {
  /** The columns of these rows, in order; some reports add columns that depend on the data. */
  columns: Column[];
  rows: R;
  /**
   * A report whose PDF is a conversation rather than a table (`ticket-detail`): the PDF is this
   * transcript, laid out as a chat; the other formats are the rows.
   */
  transcript?: TranscriptDocument;
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
  /** The values of the report's own select and text filters, by key (absent: not set). */
  options?: Readonly<Record<string, string>>;
}

/**
 * How the CLI's spill splits a run too large for memory so that each part computes alone: by
 * the records' agent, contact, campaign or ticket (a run over some of them gives exactly their
 * rows, merged in `compareRows` order), or `totals`: any split, the parts' results added up by
 * `combine`.
 */
export type ReportPartition = 'agent' | 'contact' | 'campaign' | 'ticket' | 'totals';

/**
 * A chart drawn from the result's rows in the worker (the screen draws whatever it is given):
 * `bars` is one horizontal bar per row, `value` long, with `part` drawn inside it.
 */
export interface BarsChart {
  type: 'bars';
  title: Localized;
  /** Columns whose shown values, joined by a space, name each bar. */
  labelColumns: readonly string[];
  value: { column: string; label: Localized };
  part?: { column: string; label: Localized };
  /**
   * What the bar shows beyond its `part`, for the legend (logged in and not on break: available);
   * the value's label when absent.
   */
  restLabel?: Localized;
  /** What one bar stands for, in the plural ("agent-days"), for "showing the first 40 of …". */
  itemsName: Localized;
}
/**
 * One point per day, a line or bar per series, each day's numbers in its tooltip and in the
 * table drawn behind the chart. Rows without a day (a period total) are not drawn.
 */
export interface DaysChart {
  type: 'days';
  title: Localized;
  /** A `date` column. */
  dayColumn: string;
  series: readonly { column: string; label: Localized }[];
}
export type ChartDeclaration = BarsChart | DaysChart;

/**
 * Figures shown large over the preview, read from the result's last row (the period's total):
 * each column's value, with its share of the `of` column's value as a percentage.
 */
export interface HeadlineDeclaration {
  of: string;
  columns: readonly string[];
}

/** A run fed in batches (`ReportDefinition.begin`): `add` every batch, then `finish` once. */
export interface ReportRun<R extends AnyRecord = AnyRecord> {
  add(records: Iterable<R>): void;
  finish(): ReportResult<Rows>;
}

export type ReportCategory = 'agent-activity' | 'messaging' | 'account';

export interface ReportDefinition<R extends AnyRecord = AnyRecord> {
  /** Equals the file name in `shared/reports/`; used on the CLI and in file names. */
  id: string;
  category: ReportCategory;
  title: Localized;
  description: Localized;
  /** The columns every run has; `compute` may append data-dependent ones after them. */
  columns: Column[];
  /** The kinds of records `compute` reads (`shared/records/`). */
  reads: readonly RecordKindName[];
  /** Its filters, in the order the form shows them; one of them is the period. */
  filters: readonly FilterField[];
  /** How its input may be split for the CLI's spill (see `ReportPartition`). */
  partition: ReportPartition;
  /** An optional chart of the result, shown over the preview. */
  chart?: ChartDeclaration;
  /** Optional totals and percentages shown over the preview. */
  headline?: HeadlineDeclaration;
  /**
   * Pure: the rows for these records. Records may come in any order and with duplicates. A run
   * over a subset of the `partition` keys gives exactly those keys' rows.
   */
  compute(records: Iterable<R>, params: ReportParams): ReportResult;
  /**
   * Optional: the same result as `compute`, taking the records batch by batch as they are read,
   * so a caller reading millions (the PWA's report worker) need not hold them all at once.
   */
  begin?(params: ReportParams): ReportRun<R>;
  /**
   * The instants whose records the run counts, when not the period's (`licenses` and `numbers`:
   * the month picked): the app reads its local records over this window instead.
   */
  readWindow?(params: ReportParams): { from?: number; to?: number };
  /**
   * A message report's rows from messaging data its caller gathered: the PWA's worker gathers it
   * from the local store's projections (shared/messaging/projection.ts), reading far less than
   * `compute`'s records. Over the same records the result is `compute`'s.
   */
  messaging?: {
    /** Whether this run needs only the messages' facts (`MessageFacts`), not their whole records. */
    factsSuffice(params: ReportParams): boolean;
    compute(data: MessagingData, params: ReportParams): ReportResult;
  };
  /** The order of `rows`, so that partial results can be merged. */
  compareRows(a: Row, b: Row): number;
  /** With `partition: 'totals'`: one result from the results of disjoint parts of the input. */
  combine?(parts: readonly ReportResult[], params: ReportParams): ReportResult;
}
