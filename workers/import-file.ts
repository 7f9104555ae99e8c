import { type InvalidLine, readRecords } from '../shared/records/jsonl.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import { type AnyRecord, kindOfType } from '../shared/records/registry.ts';
import { keepPendingRecords, type LocalStore } from './local-store.ts';

/** Invalid lines listed in full; beyond this only their count. */
export const INVALID_LINES_LISTED = 200;
/** Records kept per write: one pending chunk per kind each time. */
const CHUNK_RECORDS = 5_000;

export interface ImportSummary {
  fileName: string;
  kept: number;
  invalidCount: number;
  /** The first invalid lines, each with its line number and what is wrong. */
  invalid: InvalidLine[];
}

/**
 * Keeps records of any kind in the local store as pending: pushed with the next sync, read by
 * reports meanwhile; activity also updates the agents list. The one way an importer (JSON Lines
 * here, CSV in `import-csv.ts`) hands records to the store.
 */
export async function keepRecords(
  store: LocalStore,
  records: readonly AnyRecord[],
  source: string,
): Promise<void> {
  await keepPendingRecords(store, records, source);
}

/**
 * Reads a JSON Lines file of records of any kind, mixed or not (the extension's export, an
 * office's data), keeps every valid record to be pushed with the next sync, and lists the
 * invalid lines. A bad line loses nothing but itself.
 */
export async function importEventFile(
  store: LocalStore,
  file: Blob & { name?: string },
  onProgress: (fraction: number) => void,
): Promise<ImportSummary> {
  const fileName = file.name ?? 'events.jsonl';
  const summary: ImportSummary = { fileName, kept: 0, invalidCount: 0, invalid: [] };
  let read = 0;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      onProgress(read / Math.max(1, file.size));
      yield value;
    }
  }
  let waiting: AnyRecord[] = [];
  const keep = async (records: AnyRecord[]) => {
    await keepRecords(store, records, fileName);
    summary.kept += records.length;
  };
  const batches = readRecords(bytes(), {
    onInvalid(invalid) {
      summary.invalidCount++;
      if (summary.invalid.length < INVALID_LINES_LISTED) summary.invalid.push(invalid);
      return true;
    },
  });
  for await (const batch of batches) {
    for (const record of batch) waiting.push(record);
    if (waiting.length >= CHUNK_RECORDS) {
      await keep(waiting);
      waiting = [];
    }
  }
  if (waiting.length > 0) await keep(waiting);
  onProgress(1);
  return summary;
}

/** What the confirm step shows before an import: the lines and kinds found in the file's start. */
export interface FileScan {
  /** Lines read (blank ones included), valid records per kind, and invalid lines. */
  lines: number;
  kinds: Partial<Record<RecordKindName, number>>;
  invalid: number;
  /** Whether the whole file was read (else: the first `SCAN_BYTES`). */
  complete: boolean;
}

/** How much of a file the confirm step reads: enough to say what it holds, fast for any size. */
export const SCAN_BYTES = 1 << 20;

/** Reads the start of a JSON Lines file (whole lines only) and counts what it holds. */
export async function scanEventFile(file: Blob): Promise<FileScan> {
  const complete = file.size <= SCAN_BYTES;
  let text = await file.slice(0, SCAN_BYTES).text();
  if (!complete) text = text.slice(0, text.lastIndexOf('\n') + 1);
  const scan: FileScan = { lines: 0, kinds: {}, invalid: 0, complete };
  const batches = readRecords(
    (async function* () {
      yield text;
    })(),
    {
      onInvalid() {
        scan.invalid++;
        return true;
      },
    },
  );
  for await (const batch of batches) {
    for (const record of batch) {
      const kind = kindOfType((record as { type?: unknown }).type)?.name;
      if (kind) scan.kinds[kind] = (scan.kinds[kind] ?? 0) + 1;
    }
  }
  scan.lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return scan;
}
