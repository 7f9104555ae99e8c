import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, readSync } from 'node:fs';
import type { Writable } from 'node:stream';
import {
  REPORT_FILE_FORMATS,
  type ReportFileFormat,
  type ReportFileSpec,
  reportFileChunks,
  TooManyRowsForPdf,
} from '../../shared/files/report-file.ts';
import { isLocale } from '../../shared/i18n.ts';
import {
  type InvalidLine,
  READ_CHUNK_BYTES,
  readRecords,
  readRecordsSync,
} from '../../shared/records/jsonl.ts';
import type { AnyRecord } from '../../shared/records/registry.ts';
import { describeRun } from '../../shared/reports/describe.ts';
import { optionName } from '../../shared/reports/filter-schema.ts';
import { columnPicker, defaultHiddenColumns, defaultPeriod, nextDate } from '../../shared/reports/filters.ts';
import { LocalLists, listsOf } from '../../shared/reports/local-lists.ts';
import { type ReportRequest, unknownLocalValue, validateRequest } from '../../shared/reports/params.ts';
import { findReport, REPORTS } from '../../shared/reports/registry.ts';
import { isRows, pickedRows } from '../../shared/reports/rows.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row, Rows } from '../../shared/reports/types.ts';
import { parseInstantInZone } from '../../shared/time/parse.ts';
import { isValidTimeZone, systemTimeZone, ZoneClock } from '../../shared/time/zone.ts';
import { parseOptions } from './options.ts';
import { defaultMemoryEvents, EventSpool } from './spill.ts';
import { loadTranscriptFonts } from './transcript-fonts.ts';
import { UserError } from './user-error.ts';

const SKIPPED_LINES_SHOWN = 20;

/**
 * The options of the reports' own filters, from their declarations: a switch is a flag
 * (`--split-days`), agents a list (`--agents a,b`), a select or text a value (`--campaign x`).
 */
function declaredOptions(): Record<string, { type: 'string' } | { type: 'boolean'; default: false }> {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; default: false }> = {};
  for (const report of REPORTS) {
    for (const field of report.filters) {
      if (field.widget === 'period') continue;
      options[optionName(field)] =
        field.widget === 'toggle' ? { type: 'boolean', default: false } : { type: 'string' };
    }
  }
  return options;
}

/**
 * The filters the options set; the validator refuses a value for a filter the report does not
 * declare (`--agents` where there is no agent filter, say).
 */
function requestOf(
  values: Record<string, string | boolean | undefined>,
): Pick<ReportRequest, 'splitDays' | 'deviceTime' | 'agentIds' | 'options'> {
  const request: Pick<ReportRequest, 'splitDays' | 'deviceTime' | 'agentIds' | 'options'> = {};
  const options: Record<string, string> = {};
  for (const field of REPORTS.flatMap((candidate) => candidate.filters)) {
    const value = values[optionName(field)];
    if (value === undefined || value === false) continue;
    if (field.widget === 'agents' && typeof value === 'string') {
      request.agentIds = value.split(',').map((id) => id.trim());
    } else if (field.key === 'splitDays' || field.key === 'deviceTime') {
      request[field.key] = value === true;
    } else if (field.widget === 'toggle') {
      options[field.key] = 'true';
    } else if (typeof value === 'string') {
      options[field.key] = value;
    }
  }
  if (Object.keys(options).length > 0) request.options = options;
  return request;
}

/**
 * `--from`/`--to` as given, or when both are left out the report's default period (the last
 * `defaultDays` days up to today, or the `--as-of` day): the messaging reports' last 7 days.
 */
function defaultPeriodOf(
  report: ReportDefinition,
  timeZone: string,
  from: string | undefined,
  to: string | undefined,
  asOf: string | undefined,
): { from?: string; to?: string } {
  if (from !== undefined || to !== undefined || !isValidTimeZone(timeZone)) return { from, to };
  const now = asOf === undefined ? Date.now() : parseInstantInZone(asOf, new ZoneClock(timeZone));
  // An --as-of that is no date is the validator's to name.
  if (now === undefined) return {};
  const days = defaultPeriod(report, now, timeZone);
  return days === undefined ? {} : { from: days.fromDate, to: nextDate(days.toDate) };
}

/** `pontual report <id> --input <file|-> …`: JSON Lines of events in, a report file out. */
export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...declaredOptions(),
    input: { type: 'string', short: 'i' },
    format: { type: 'string', default: 'csv' },
    out: { type: 'string', short: 'o' },
    tz: { type: 'string' },
    locale: { type: 'string', default: 'en' },
    from: { type: 'string' },
    to: { type: 'string' },
    'as-of': { type: 'string' },
    'skip-invalid': { type: 'boolean', default: false },
    'memory-events': { type: 'string' },
    show: { type: 'string' },
    hide: { type: 'string' },
  });
  const [id, ...extra] = positionals;
  if (id === undefined) throw new UserError(`which report? (one of: ${REPORTS.map((r) => r.id).join(', ')})`);
  if (extra.length > 0) throw new UserError(`unexpected argument "${extra[0]}"`);
  const report = findReport(id);
  if (!report) throw new UserError(`unknown report "${id}" (one of: ${REPORTS.map((r) => r.id).join(', ')})`);
  if (values.input === undefined)
    throw new UserError('--input is required (a JSON Lines file, or - for standard input)');
  const format = values.format as ReportFileFormat;
  if (!REPORT_FILE_FORMATS.includes(format))
    throw new UserError(`unknown format "${values.format}" (one of: ${REPORT_FILE_FORMATS.join(', ')})`);
  const memoryEvents =
    values['memory-events'] === undefined ? defaultMemoryEvents() : Number(values['memory-events']);
  if (!Number.isInteger(memoryEvents) || memoryEvents < 1) {
    throw new UserError(`--memory-events must be a whole number above 0, not "${values['memory-events']}"`);
  }

  const timeZone = values.tz ?? systemTimeZone();
  const period = defaultPeriodOf(report, timeZone, values.from, values.to, values['as-of']);
  const hidden = hiddenColumns(report, values.show, values.hide);
  const checked = validateRequest(
    report,
    {
      timeZone,
      locale: values.locale,
      from: period.from,
      to: period.to,
      asOf: values['as-of'],
      ...requestOf(values as Record<string, string | boolean | undefined>),
    },
    Date.now(),
    isLocale(values.locale) ? values.locale : 'en',
  );
  if (!checked.ok) throw new UserError(checked.error);
  const params = checked.params;

  const inputName = values.input === '-' ? 'stdin' : values.input;
  const spool = new EventSpool(report, memoryEvents);
  try {
    // A file is read as the report computes, when it fits in memory; standard input, or a file
    // that does not fit, goes through the spool (held, or spilled to disk).
    const fast =
      values.input === '-'
        ? undefined
        : computeWhileReading(values.input, inputName, values['skip-invalid'], spool, memoryEvents, params);
    let all: ReturnType<EventSpool['result']> | ReportResult<Rows>;
    let known: LocalLists;
    let skipped: InvalidLine[];
    if (fast) {
      ({ result: all, known, skipped } = fast);
    } else {
      known = new LocalLists(listsOf(report.filters));
      skipped = await readInput(values.input, inputName, values['skip-invalid'], spool, known);
    }
    if (skipped.length > 0) reportSkipped(inputName, skipped);
    // A campaign that is not in the data is a typo: said before anything is written (and, through
    // the spool, before the report is computed).
    const unknown = unknownLocalValue(report, params, (list) => known.known(list), params.locale);
    if (unknown !== undefined) throw new UserError(unknown);
    all ??= spool.result(params);
    const { columns, kept, pick } = columnPicker(all.columns, hidden);
    // Rows read by position (a table of millions, made on reading) stay so: the writer then
    // reads their cells without an array per row.
    const rows = isRows(all.rows) ? pickedRows(all.rows, kept) : mapRows(all.rows, pick);
    const result = { columns, rows, transcript: all.transcript };
    await writeOutput(
      format,
      {
        title: report.title[params.locale],
        subtitleLines: describeRun(report, params, Date.now()),
        chart: report.chart,
      },
      result,
      params,
      values.out,
    );
  } finally {
    spool.dispose();
  }
  return 0;
}

/**
 * The columns left out: those hidden by default unless `--show` names them, and those `--hide`
 * names. Both take declared column keys, comma-separated.
 */
function hiddenColumns(report: ReportDefinition, show?: string, hide?: string): string[] {
  const keys = (list: string | undefined, option: string) => {
    const named =
      list === undefined
        ? []
        : list
            .split(',')
            .map((key) => key.trim())
            .filter(Boolean);
    const known = report.columns.map((column) => column.key);
    const unknown = named.find((key) => !known.includes(key));
    if (unknown !== undefined)
      throw new UserError(
        `--${option}: "${unknown}" is not a column of ${report.id} (one of: ${known.join(', ')})`,
      );
    return named;
  };
  const shown = keys(show, 'show');
  const hidden = keys(hide, 'hide');
  return [...defaultHiddenColumns(report).filter((key) => !shown.includes(key)), ...hidden];
}

function* mapRows(rows: Iterable<Row>, pick: (row: Row) => Row): Iterable<Row> {
  for (const row of rows) yield pick(row);
}

async function readInput(
  path: string,
  name: string,
  skipInvalid: boolean,
  spool: EventSpool,
  known: LocalLists,
): Promise<InvalidLine[]> {
  const source = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const opened = new Promise<void>((resolve, reject) => {
    source.once('error', reject);
    source.once('readable', resolve);
    source.once('end', resolve);
  });
  try {
    await opened;
  } catch (error) {
    throw new UserError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const skipped: InvalidLine[] = [];
  let stop: InvalidLine | undefined;
  // The kinds the report reads; records of other kinds in the same file are passed over.
  const batches = readRecords(source as AsyncIterable<Uint8Array>, {
    kinds: spool.reads,
    onInvalid(invalid) {
      if (!skipInvalid) {
        stop = invalid;
        return false;
      }
      skipped.push(invalid);
      return true;
    },
  });
  for await (const batch of batches) {
    known.add(batch);
    spool.add(batch);
  }
  if (stop) {
    source.destroy();
    throw new UserError(`${name}:${stop.line}: ${stop.error}`);
  }
  return skipped;
}

/** Why the fast path gave up: the input does not fit in memory, or the report reads it twice. */
class NotOnePass extends Error {}

/**
 * The fast path for a file that fits in memory: the report's `compute` is fed records as the file
 * is read (synchronously, a chunk at a time), so nothing is held but what the report keeps
 * (a message report keeps no ticket, only its instant), and no record waits in a spool. Gives
 * `undefined` when the file holds `memoryEvents` records or more, or when the report iterates its
 * input twice: the caller then reads it again through the spool, which can spill. An invalid line
 * stops it with the same `file:line: field: what is wrong` as the spool's path.
 */
export function computeWhileReading(
  path: string,
  name: string,
  skipInvalid: boolean,
  spool: EventSpool,
  memoryEvents: number,
  params: ReportParams,
): { result: ReportResult<Rows>; known: LocalLists; skipped: InvalidLine[] } | undefined {
  const report = spool.report;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UserError(
      `cannot read ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const known = new LocalLists(listsOf(report.filters));
  const skipped: InvalidLine[] = [];
  let stop: InvalidLine | undefined;
  let iterated = false;
  const records: Iterable<AnyRecord> = {
    *[Symbol.iterator]() {
      if (iterated) throw new NotOnePass();
      iterated = true;
      let count = 0;
      const batches = readRecordsSync(fileChunks(fd), {
        kinds: report.reads,
        onInvalid(invalid) {
          if (!skipInvalid) {
            stop = invalid;
            return false;
          }
          skipped.push(invalid);
          return true;
        },
      });
      for (const batch of batches) {
        count += batch.length;
        if (count >= memoryEvents) throw new NotOnePass();
        known.add(batch);
        for (const record of batch) yield spool.intern(record);
      }
      if (stop) throw new UserError(`${name}:${stop.line}: ${stop.error}`);
    },
  };
  try {
    // A report that takes its records in batches keeps its rows as a table (attendance-history:
    // a few numbers per row), which `compute` would turn into an array per row.
    const run = report.begin?.(params);
    run?.add(records);
    return { result: run ? run.finish() : report.compute(records, params), known, skipped };
  } catch (error) {
    if (error instanceof NotOnePass) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** A file's bytes a chunk at a time, into one reused buffer (each chunk is decoded at once). */
function* fileChunks(fd: number): Generator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) yield buffer.subarray(0, read);
}

function reportSkipped(name: string, skipped: InvalidLine[]): void {
  const shown = skipped.slice(0, SKIPPED_LINES_SHOWN);
  const more = skipped.length > shown.length ? ` and ${skipped.length - shown.length} more` : '';
  process.stderr.write(
    `pontual: skipped ${skipped.length} invalid line${skipped.length === 1 ? '' : 's'} of ${name}: ` +
      `${shown.map((line) => line.line).join(', ')}${more}\n`,
  );
  for (const line of shown) process.stderr.write(`  ${name}:${line.line}: ${line.error}\n`);
}

async function writeOutput(
  format: ReportFileFormat,
  heading: Pick<ReportFileSpec, 'title' | 'subtitleLines' | 'chart'>,
  result: {
    columns: ReportResult['columns'];
    rows: Rows | Iterable<Row>;
    transcript?: ReportResult['transcript'];
  },
  params: ReportParams,
  out: string | undefined,
): Promise<void> {
  let chunks: AsyncIterable<string | Uint8Array>;
  try {
    chunks = await reportFileChunks(
      format,
      {
        ...heading,
        columns: result.columns,
        locale: params.locale,
        timeZone: params.timeZone,
        transcript: result.transcript,
        transcriptFonts: loadTranscriptFonts,
      },
      result.rows,
    );
  } catch (error) {
    if (error instanceof TooManyRowsForPdf) throw new UserError(`${error.message}: use --format csv or xlsx`);
    throw error;
  }
  const sink: Writable = out === undefined ? process.stdout : createWriteStream(out);
  if (out !== undefined) {
    try {
      await once(sink, 'open');
    } catch (error) {
      throw new UserError(`cannot write ${out}: ${(error as Error).message}`);
    }
  }
  for await (const chunk of chunks) {
    if (!sink.write(chunk)) await once(sink, 'drain');
  }
  if (out !== undefined) {
    sink.end();
    await once(sink, 'finish');
  }
}
