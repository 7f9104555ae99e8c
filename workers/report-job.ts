import type { ActivityEvent } from '../shared/events/schema.ts';
import { reportFileName } from '../shared/files/file-name.ts';
import { MEDIA_TYPES, reportFileChunks, TooManyRowsForPdf } from '../shared/files/report-file.ts';
import type { TranscriptFontLoader } from '../shared/files/transcript.ts';
import { CellFormatter } from '../shared/format/cells.ts';
import type { Locale } from '../shared/i18n.ts';
import { MessagingData } from '../shared/messaging/dispatches.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { type ChartData, chartOf, type HeadlineData, headlineOf } from '../shared/reports/chart.ts';
import { describeRun } from '../shared/reports/describe.ts';
import { paramsFromFilters, type ReportFilters, withoutColumns } from '../shared/reports/filters.ts';
import { compareCells } from '../shared/reports/order.ts';
import { unknownLocalValue } from '../shared/reports/params.ts';
import { findReport } from '../shared/reports/registry.ts';
import { cellReader, watchedRows } from '../shared/reports/rows.ts';
import {
  isNumericColumn,
  type ReportDefinition,
  type ReportParams,
  type ReportResult,
  type Rows,
} from '../shared/reports/types.ts';
import { MS_PER_DAY } from '../shared/time/zone.ts';
import {
  type EventChunk,
  gatherLocalMessaging,
  type LocalFile,
  type LocalStore,
  readLocalRecords,
} from './local-store.ts';

/**
 * Events this long before the period are read too: a row that starts inside the period may
 * depend on the login before it (DESIGN §4). Longer than any shift. And as long after it, unless
 * the run keeps the devices' clocks: a device running fast stamps events after the period's end
 * that its clock's correction brings back into it (up to this much fast or slow).
 */
export const LOOKBACK_MS = 2 * MS_PER_DAY;

export interface ReportJobInput {
  reportId: string;
  title: string;
  filters: ReportFilters;
  /** "Now" for the run; default the worker's clock. */
  now?: number;
}

export type JobPhase = 'reading' | 'computing' | 'writing';

export interface JobProgress {
  phase: JobPhase;
  /** 0 to 1, over the whole job. */
  fraction: number;
}

export interface PreviewColumn {
  key: string;
  label: string;
  numeric: boolean;
  /** What a cell's text means, in the run's locale (a status → its catalog explanation). */
  explanations?: ReadonlyMap<string, string>;
}

export interface ReportJobOutput {
  rowCount: number;
  columns: PreviewColumn[];
  files: LocalFile[];
  /** Formats asked for but not written, with why (a PDF over its row limit). */
  skipped: { format: LocalFile['format']; reason: string }[];
}

/** A failure the person can act on; its message is shown as the job's error. */
export class JobError extends Error {}

/** How far before its period a messaging report reads (the 24 h reply window). */
const MESSAGING_LOOKBACK_MS = MS_PER_DAY;

/** Kinds read whole whatever the period: few records, each describing what comes after it. */
const READ_WHOLE: ReadonlySet<RecordKindName> = new Set(['campaign', 'user', 'business_number']);

/** How the job's time is shared out in its progress bar. */
const READ_SHARE = 0.4;
const COMPUTE_SHARE = 0.1;
const PROGRESS_EVERY_ROWS = 20_000;

/** Reads the local events a run needs, parses them and checks each chunk is sound. */
export async function readEvents(
  store: LocalStore,
  params: ReportParams,
  onFraction: (fraction: number) => void,
): Promise<ActivityEvent[]> {
  const since = params.from === undefined ? Number.NEGATIVE_INFINITY : params.from - LOOKBACK_MS;
  const until =
    Math.min(params.to ?? Number.POSITIVE_INFINITY, params.now + 1) + (params.deviceTime ? 0 : LOOKBACK_MS);
  const wanted = (chunk: EventChunk) => chunk.maxAt >= since && chunk.minAt < until;
  const keys = await store.chunks.where('maxAt').aboveOrEqual(since).primaryKeys();
  const pending = await store.pending.toArray();
  const total = keys.length + pending.length;
  const events: ActivityEvent[] = [];
  const take = (chunk: EventChunk, where: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(chunk.text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      throw new JobError(
        `the local copy of the data is damaged (${where}): use "Clear local data" in Settings and sync again`,
      );
    }
    for (const event of parsed as ActivityEvent[]) events.push(event);
  };
  const BATCH = 64;
  for (let start = 0; start < keys.length; start += BATCH) {
    const chunks = await store.chunks.bulkGet(keys.slice(start, start + BATCH));
    chunks.forEach((chunk, index) => {
      if (chunk && wanted(chunk)) take(chunk, `chunk ${keys[start + index]}`);
    });
    onFraction(Math.min(keys.length, start + BATCH) / Math.max(1, total));
  }
  for (const chunk of pending) if (wanted(chunk)) take(chunk, `imported ${chunk.source}`);
  onFraction(1);
  return events;
}

/** The columns of a result as the page shows them, labelled in the run's language. */
function previewColumns(result: ReportResult<Rows>, locale: Locale): PreviewColumn[] {
  return result.columns.map((column) => ({
    key: column.key,
    label: column.label[locale],
    numeric: isNumericColumn(column),
    ...(column.explanations ? { explanations: column.explanations[locale] } : {}),
  }));
}

/** One report run over the local store, with its files; keeps the result for the preview. */
export class ReportJobRunner {
  private result?: ReportResult<Rows>;
  private formatter?: CellFormatter;
  private sorted?: { key: string; order: number[] };
  private report?: ReportDefinition;
  private locale?: Locale;

  /** `transcriptFonts`: where a transcript PDF's fonts come from (the PWA fetches them as assets). */
  constructor(
    private readonly store: LocalStore,
    private readonly transcriptFonts?: TranscriptFontLoader,
  ) {}

  async run(input: ReportJobInput, onProgress: (progress: JobProgress) => void): Promise<ReportJobOutput> {
    const { report, params, result } = await this.compute(input, onProgress);
    this.result = result;
    this.formatter = new CellFormatter(params.locale, params.timeZone);
    this.report = report;
    this.locale = params.locale;
    this.sorted = undefined;
    onProgress({ phase: 'writing', fraction: READ_SHARE + COMPUTE_SHARE });

    const formats = input.filters.formats;
    const files: LocalFile[] = [];
    const skipped: ReportJobOutput['skipped'] = [];
    // The agents picked are printed by name, as the form showed them.
    const names = new Map(
      (await this.store.agents.bulkGet([...(params.agentIds ?? [])])).flatMap((agent) =>
        agent ? [[agent.agentId, agent.name] as const] : [],
      ),
    );
    const subtitleLines = describeRun(report, params, Date.now(), (id) => names.get(id) ?? id);
    const writeShare = (1 - READ_SHARE - COMPUTE_SHARE) / Math.max(1, formats.length);
    for (const [index, format] of formats.entries()) {
      const base = READ_SHARE + COMPUTE_SHARE + index * writeShare;
      const rows = watchedRows(result.rows, (index) => {
        if (index % PROGRESS_EVERY_ROWS === 0)
          onProgress({
            phase: 'writing',
            fraction: base + (index / Math.max(1, result.rows.length)) * writeShare,
          });
      });
      try {
        const parts: BlobPart[] = [];
        const chunks = await reportFileChunks(
          format,
          {
            columns: result.columns,
            locale: params.locale,
            timeZone: params.timeZone,
            title: input.title,
            subtitleLines,
            ...(report.chart ? { chart: report.chart } : {}),
            transcript: result.transcript,
            transcriptFonts: this.transcriptFonts,
          },
          format === 'pdf' ? result.rows : rows,
        );
        for await (const chunk of chunks) parts.push(chunk as BlobPart);
        const blob = new Blob(parts, { type: MEDIA_TYPES[format] });
        files.push({
          format,
          fileName: reportFileName(report.id, params.from, params.to, format, params.timeZone),
          size: blob.size,
          blob,
        });
      } catch (error) {
        if (!(error instanceof TooManyRowsForPdf)) throw error;
        skipped.push({ format, reason: `${error.message}: download the CSV or XLSX instead` });
      }
    }
    onProgress({ phase: 'writing', fraction: 1 });
    return {
      rowCount: result.rows.length,
      columns: previewColumns(result, params.locale),
      files,
      skipped,
    };
  }

  /**
   * How many rows a run with these filters gives, without writing any file (the form's "1,234
   * results" before Generate). A dry run: the same reading and computing as `run`, so the count
   * is the files' row count. The page cancels it by terminating the worker.
   */
  async count(input: ReportJobInput): Promise<{ rows: number; columns: PreviewColumn[] }> {
    const { result, params } = await this.compute(input, () => undefined);
    // The columns too: the data decides some (a column per break reason), and the form lists them.
    return { rows: result.rows.length, columns: previewColumns(result, params.locale) };
  }

  /** Reads the records the report needs and computes its rows, the hidden columns left out. */
  private async compute(
    input: ReportJobInput,
    onProgress: (progress: JobProgress) => void,
  ): Promise<{ report: ReportDefinition; params: ReportParams; result: ReportResult<Rows> }> {
    const report = findReport(input.reportId);
    if (!report) throw new JobError(`there is no report "${input.reportId}" in this version of the app`);
    const checked = paramsFromFilters(report, input.filters, input.now ?? Date.now(), input.filters.locale);
    if (!checked.ok) throw new JobError(checked.error);
    const params = checked.params;
    // The records read: the period's, or the window the report counts (a month it was given).
    const reading = report.readWindow ? { ...params, ...report.readWindow(params) } : params;
    const events: AnyRecord[] = report.reads.includes('activity')
      ? await readEvents(this.store, reading, (fraction) =>
          onProgress({ phase: 'reading', fraction: fraction * READ_SHARE }),
        )
      : [];
    // The other kinds: from a day before the period (a reply's window reaches back 24 h) to the
    // end of the data (a message's status, a reply, a ticket may come after the period ends).
    // Campaigns, people and business numbers are read whole: few, and their records may be older
    // than what they describe (a campaign's dispatches, a person's or a number's month of use).
    const since = reading.from === undefined ? undefined : reading.from - MESSAGING_LOOKBACK_MS;
    const campaigns = new Set<string>();
    const tickets = new Set<string>();
    // A message report gathers its data as it reads (issue 11): statuses from their projections,
    // and messages too when the run needs only their facts; the rest as records.
    const messaging =
      report.messaging && !report.reads.includes('activity')
        ? { data: new MessagingData(), factsSuffice: report.messaging.factsSuffice(params) }
        : undefined;
    // A report that takes its records in batches gets each batch as it is read: millions of
    // records are then never all held (attendance-history over 4M messages).
    const fed =
      !messaging && report.begin && !report.reads.includes('activity') ? report.begin(params) : undefined;
    for (const kind of report.reads) {
      if (kind === 'activity') continue;
      const period = { from: READ_WHOLE.has(kind) ? undefined : since };
      if (
        messaging &&
        (kind === 'message_status' ||
          (kind === 'message' && messaging.factsSuffice && !report.reads.includes('ticket')))
      ) {
        await gatherLocalMessaging(this.store, messaging.data, kind, period);
        continue;
      }
      for await (const batch of readLocalRecords(this.store, kind, period)) {
        fed?.add(batch);
        for (const record of batch) {
          if (messaging) messaging.data.add(record);
          else if (!fed) events.push(record);
          if (record.type === 'campaign') campaigns.add(record.campaignId);
          else if (record.type === 'ticket') tickets.add(record.ticketId);
          else if (record.type === 'message' && record.ticketId !== undefined) tickets.add(record.ticketId);
        }
      }
    }
    // A campaign that is not in the data: said before computing, in the person's language.
    const unknown = unknownLocalValue(
      report,
      params,
      (list) =>
        list === 'campaigns' && report.reads.includes('campaign')
          ? campaigns
          : list === 'tickets' && report.reads.includes('ticket')
            ? tickets
            : undefined,
      input.filters.locale,
    );
    if (unknown) throw new JobError(unknown);
    onProgress({ phase: 'computing', fraction: READ_SHARE });
    const computed: ReportResult<Rows> = messaging
      ? report.messaging!.compute(messaging.data, params)
      : fed
        ? fed.finish()
        : report.compute(events, params);
    const result = withoutColumns(computed, input.filters.hiddenColumns);
    events.length = 0;
    return { report, params, result };
  }

  /** Rows `start` to `start + count` of the last run, shown as text, in the order asked for. */
  page(start: number, count: number, sort?: { column: number; descending: boolean }): string[][] {
    const result = this.result;
    const formatter = this.formatter;
    if (!result || !formatter) return [];
    const order = sort ? this.sortedOrder(sort.column, sort.descending) : undefined;
    const end = Math.min(result.rows.length, start + count);
    const read = cellReader(result.rows);
    const page: string[][] = [];
    for (let position = start; position < end; position++) {
      const cells = read(order ? order[position]! : position);
      page.push(result.columns.map((column, index) => formatter.cell(column, cells[index] ?? null)));
    }
    return page;
  }

  /** The chart the report declares, drawn from the last run's rows; `undefined` when none. */
  chart(): ChartData | undefined {
    if (!this.result || !this.formatter || !this.report || !this.locale) return undefined;
    return chartOf(this.report.chart, this.result, this.formatter, this.locale);
  }

  /** The totals and shares the report declares, from the last run's last row; `undefined` when none. */
  headline(): HeadlineData | undefined {
    if (!this.result || !this.report || !this.locale) return undefined;
    return headlineOf(this.report.headline, this.result, this.locale);
  }

  private sortedOrder(column: number, descending: boolean): number[] {
    const key = `${column}:${descending}`;
    if (this.sorted?.key === key) return this.sorted.order;
    // The column's values read once (a table makes its rows on reading: not one per comparison).
    const rows = this.result!.rows;
    const read = cellReader(rows);
    const values = Array.from({ length: rows.length }, (_, index) => read(index)[column] ?? null);
    const order = Array.from(values.keys());
    order.sort((a, b) => {
      const byValue = compareCells(values[a]!, values[b]!);
      return (descending ? -byValue : byValue) || a - b;
    });
    this.sorted = { key, order };
    return order;
  }
}
