import type { RecordKindName } from './kind.ts';
import { type AnyRecord, kindOfType, parseRecordLine } from './registry.ts';

export interface InvalidLine {
  /** 1-based line number in the file. */
  line: number;
  error: string;
  /** The line as parsed, when it was JSON: what a reader's message can quote ("the time "x"…"). */
  value?: unknown;
}

/**
 * Splits text or UTF-8 bytes into lines, a chunk at a time: each chunk is decoded once and split
 * once, and the lines are slices of that text (no copy per line). Handles LF and CRLF (JSON.parse
 * ignores the trailing \r). The same splitter serves the async reader and the synchronous one.
 */
class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private carry = '';
  /** The complete lines this chunk ends, with what an earlier chunk left unfinished. */
  push(chunk: Uint8Array | string): string[] {
    const lines = (
      this.carry + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }))
    ).split('\n');
    this.carry = lines.pop() ?? '';
    return lines;
  }
  /** The last line, when the input does not end with a newline. */
  end(): string[] {
    const last = this.carry + this.decoder.decode();
    this.carry = '';
    return last === '' ? [] : [last];
  }
}

/**
 * Splits a stream of text or UTF-8 bytes into lines, in batches (one per input chunk) so that
 * a consumer pays one `await` per chunk rather than per line. Handles LF and CRLF.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) {
    const lines = splitter.push(chunk);
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

export interface RecordStreamOptions {
  /** Called for each line that is not a valid record; return `false` to stop reading. */
  onInvalid(invalid: InvalidLine): boolean;
  /**
   * Only records of these kinds are yielded; valid records of other kinds are passed over
   * silently (a file may mix kinds). Every kind when not given.
   */
  kinds?: readonly RecordKindName[];
}

/**
 * Turns batches of lines into batches of valid records, counting lines across batches: what
 * `readRecords` and `readRecordsSync` share. `stopped` once `onInvalid` said to stop.
 */
class RecordLines<R extends AnyRecord> {
  private readonly wanted: Set<string> | undefined;
  private lineNumber = 0;
  stopped = false;
  constructor(private readonly options: RecordStreamOptions) {
    this.wanted = options.kinds && new Set<string>(options.kinds);
  }
  records(lines: readonly string[]): R[] {
    const wanted = this.wanted;
    const batch: R[] = [];
    for (const raw of lines) {
      this.lineNumber++;
      // JSON.parse ignores a trailing \r; only blank lines need a look, and only when they start blank.
      const first = raw.charCodeAt(0);
      if (raw.length === 0 || (first <= 32 && raw.trim() === '')) continue;
      const result = parseRecordLine(raw);
      if (result.ok) {
        if (!wanted || wanted.has(result.kind)) batch.push(result.record as R);
      } else if (wanted && !wantedOrUnknown(raw, wanted)) {
        // An invalid record of a kind this reader does not want is not its reader's problem.
      } else if (
        !this.options.onInvalid({ line: this.lineNumber, error: result.error, ...parsedValue(raw) })
      ) {
        this.stopped = true;
        return batch;
      }
    }
    return batch;
  }
}

/** Reads JSON Lines of records of any kind; yields batches of valid ones. Blank lines are allowed. */
export async function* readRecords<R extends AnyRecord = AnyRecord>(
  chunks: AsyncIterable<Uint8Array | string>,
  options: RecordStreamOptions,
): AsyncGenerator<R[]> {
  const reader = new RecordLines<R>(options);
  for await (const lines of readLines(chunks)) {
    const batch = reader.records(lines);
    if (batch.length > 0) yield batch;
    if (reader.stopped) return;
  }
}

/**
 * `readRecords` over chunks at hand (a file read with `readSync`): for a consumer that cannot
 * await, such as a report's `compute` fed while the file is read, so that no record is held
 * but those the report keeps.
 */
export function* readRecordsSync<R extends AnyRecord = AnyRecord>(
  chunks: Iterable<Uint8Array | string>,
  options: RecordStreamOptions,
): Generator<R[]> {
  const reader = new RecordLines<R>(options);
  const splitter = new LineSplitter();
  for (const chunk of chunks) {
    const batch = reader.records(splitter.push(chunk));
    if (batch.length > 0) yield batch;
    if (reader.stopped) return;
  }
  const batch = reader.records(splitter.end());
  if (batch.length > 0) yield batch;
}

/** An invalid line parsed again (rare, so not kept from the first parse), when it is JSON. */
function parsedValue(raw: string): { value?: unknown } {
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return {};
  }
}

/** Whether a line that failed validation is of a wanted kind, or of no kind at all. */
function wantedOrUnknown(raw: string, wanted: Set<string>): boolean {
  try {
    const kind = kindOfType((JSON.parse(raw) as { type?: unknown })?.type);
    return kind === undefined || wanted.has(kind.name);
  } catch {
    return true;
  }
}
