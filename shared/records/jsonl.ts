import type { RecordKindName } from './kind.ts';
import { type AnyRecord, kindOfType, parseRecordLine } from './registry.ts';

export interface InvalidLine {
  /** 1-based line number in the file. */
  line: number;
  error: string;
  /** The line as parsed, when it was JSON: what a reader's message can quote ("the time "x"…"). */
  value?: unknown;
}

const NEWLINE = 0x0a;

/**
 * How much of a file a reader takes at a time. 64 KiB rather than a megabyte: each chunk's lines
 * are decoded as one string, and a string past V8's regular object size (128 KiB) is a large
 * object, mapped and unmapped on its own — over a 247 MB file a third of the CLI's page faults
 * and half a second of system time; the smaller string is made and dropped in the young heap.
 */
export const READ_CHUNK_BYTES = 1 << 16;

/** `a` then `b`, in a new array (the caller may reuse `b`'s buffer). */
function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Splits text or UTF-8 bytes into lines, a chunk at a time: each chunk's complete lines are
 * decoded at once and split once, and the lines are slices of that text (no copy per line).
 * Handles LF and CRLF (JSON.parse ignores the trailing \r). The same splitter serves the async
 * reader and the synchronous one.
 *
 * Bytes are cut at their last newline and only whole lines decoded, without `stream: true`: a
 * newline byte is never inside a UTF-8 sequence, so the text is the same, and a streaming
 * `TextDecoder` takes a slower path (ICU's converter in Node) — three times the CPU of the one-shot
 * decode over a file of 1M records. The unfinished last line waits as bytes.
 */
class LineSplitter {
  // A byte order mark at the start of the input is dropped, as a streaming decode does; one at
  // the start of a later piece is a character of a line (the plain decoder keeps it).
  private decoder = new TextDecoder('utf-8');
  private readonly plain = new TextDecoder('utf-8', { ignoreBOM: true });
  /** What an earlier chunk left unfinished: this text, then these bytes. */
  private carryText = '';
  private carryBytes: Uint8Array = new Uint8Array(0);

  private decode(bytes: Uint8Array): string {
    if (bytes.length === 0) return '';
    const text = this.decoder.decode(bytes);
    this.decoder = this.plain;
    return text;
  }

  /** The unfinished line so far, as text; the carry is then empty. */
  private pending(): string {
    const text = this.carryText + this.decode(this.carryBytes);
    this.carryText = '';
    this.carryBytes = new Uint8Array(0);
    return text;
  }

  /** The complete lines this chunk ends, with what an earlier chunk left unfinished. */
  push(chunk: Uint8Array | string): string[] {
    if (typeof chunk === 'string') {
      const lines = (this.pending() + chunk).split('\n');
      this.carryText = lines.pop() ?? '';
      return lines;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.carryBytes = concatBytes(this.carryBytes, chunk);
      return [];
    }
    const first = chunk.indexOf(NEWLINE);
    const head = this.carryText + this.decode(concatBytes(this.carryBytes, chunk.subarray(0, first)));
    const lines = first === last ? [] : this.decode(chunk.subarray(first + 1, last)).split('\n');
    lines.unshift(head);
    this.carryText = '';
    // A copy (a Buffer's `slice` is a view): the caller may read its next chunk into the same buffer.
    this.carryBytes = new Uint8Array(chunk.subarray(last + 1));
    return lines;
  }

  /** The last line, when the input does not end with a newline. */
  end(): string[] {
    const last = this.pending();
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
