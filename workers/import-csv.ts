import { type CsvMapping, compileMapping, type RowMapper } from '../shared/import/csv-mapping.ts';
import { type CsvHead, type CsvRow, readCsv } from '../shared/import/csv-reader.ts';
import type { InvalidLine } from '../shared/records/jsonl.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { type ImportSummary, INVALID_LINES_LISTED, keepRecords } from './import-file.ts';
import type { LocalStore } from './local-store.ts';

/** Records kept per write: big enough that IndexedDB's per-transaction cost vanishes. */
const KEEP_RECORDS = 5_000;
/** Rows the mapping step shows. */
export const PREVIEW_ROWS = 20;

export interface CsvPreview extends CsvHead {
  rows: CsvRow[];
  /** Lines among the first ones that are not rows (unclosed quote, too few columns). */
  invalid: InvalidLine[];
}

export interface CsvImportSummary extends ImportSummary {
  encoding: CsvHead['encoding'];
  delimiter: CsvHead['delimiter'];
  /** Data rows read (valid or not), the header excluded. */
  rows: number;
}

async function* bytesOf(file: Blob, onBytes?: (read: number) => void): AsyncGenerator<Uint8Array> {
  // file.stream(): the browser hands out chunks as it reads, so memory stays flat whatever the size.
  const reader = file.stream().getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    read += value.byteLength;
    onBytes?.(read);
    yield value;
  }
}

/** The head and first rows of a CSV, for the mapping step; reads only as far as it needs. */
export async function previewCsv(file: Blob, rows = PREVIEW_ROWS): Promise<CsvPreview> {
  const found: CsvRow[] = [];
  const invalid: InvalidLine[] = [];
  const head = await readCsv(bytesOf(file), {
    maxRows: rows,
    onRows: (batch) => {
      found.push(...batch.slice(0, rows - found.length));
    },
    onInvalid: (line) => {
      if (invalid.length < rows) invalid.push(line);
    },
  });
  return { ...head, rows: found, invalid };
}

/**
 * Reads a CSV stream, maps each row with `mapping` and hands the valid records to `keep` in
 * batches; lists invalid lines (the first {@link INVALID_LINES_LISTED}, then a count). Throws
 * when the mapping does not fit the file's columns (before anything is kept), or when the
 * encoding is neither UTF-8 nor Windows-1252 (what came before the bad byte stays kept: those
 * records are valid, and importing the fixed file again gives them the same ids).
 */
export async function importCsvStream(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  mapping: CsvMapping,
  keep: (records: AnyRecord[]) => Promise<void>,
): Promise<CsvImportSummary> {
  const summary: CsvImportSummary = {
    fileName,
    kept: 0,
    invalidCount: 0,
    invalid: [],
    encoding: 'utf-8',
    delimiter: ',',
    rows: 0,
  };
  const invalid = (line: InvalidLine) => {
    summary.invalidCount++;
    if (summary.invalid.length < INVALID_LINES_LISTED) summary.invalid.push(line);
  };
  let mapper: RowMapper | undefined;
  let waiting: AnyRecord[] = [];
  // One write in flight while the next batch is parsed and mapped: IndexedDB commits a
  // transaction away from this thread, so waiting for it before reading on left the worker idle
  // (about a sixth of the import in Chromium). Awaiting the previous write before starting the
  // next keeps memory bounded to two batches and a slow store still holds the reading back.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const records = waiting;
    waiting = [];
    await writing;
    writing = keep(records).then(() => {
      summary.kept += records.length;
    });
    // Not awaited here: a failed write is seen at the next flush or at the end.
    writing.catch(() => {});
  };
  let head: CsvHead;
  try {
    head = await readCsv(chunks, {
      onHead: (found) => {
        // Throws with every problem named before a single row is read.
        mapper = compileMapping(mapping, found.headers);
      },
      onInvalid: invalid,
      onRows: async (rows) => {
        summary.rows += rows.length;
        for (const row of rows) {
          const result = mapper!.map(row.cells);
          if (result.ok) for (const record of result.records) waiting.push(record);
          else invalid({ line: row.line, error: result.error });
        }
        if (waiting.length >= KEEP_RECORDS) await flush();
      },
    });
    if (waiting.length > 0) await flush();
  } catch (error) {
    // What was handed to the store is written (or failed) before the error is passed on.
    await writing.catch(() => {});
    throw error;
  }
  await writing;
  summary.encoding = head.encoding;
  summary.delimiter = head.delimiter;
  return summary;
}

/** Imports a CSV file into the local store as pending records (pushed with the next sync). */
export async function importCsvFile(
  store: LocalStore,
  file: Blob & { name?: string },
  mapping: CsvMapping,
  onProgress: (fraction: number) => void,
): Promise<CsvImportSummary> {
  const fileName = file.name ?? 'import.csv';
  let reported = 0;
  const onBytes = (read: number) => {
    const fraction = read / Math.max(1, file.size);
    // One message per percent: a 2 GB file must not flood the page with progress messages.
    if (fraction - reported >= 0.01) {
      reported = fraction;
      onProgress(fraction);
    }
  };
  const summary = await importCsvStream(bytesOf(file, onBytes), fileName, mapping, (records) =>
    keepRecords(store, records, fileName),
  );
  onProgress(1);
  return summary;
}
