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
 * Splits a stream of text or UTF-8 bytes into lines, in batches (one per input chunk) so that
 * a consumer pays one `await` per chunk rather than per line. Handles LF and CRLF.
 */
export async function* readLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length > 0) yield lines;
  }
  carry += decoder.decode();
  if (carry !== '') yield [carry];
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

/** Reads JSON Lines of records of any kind; yields batches of valid ones. Blank lines are allowed. */
export async function* readRecords<R extends AnyRecord = AnyRecord>(
  chunks: AsyncIterable<Uint8Array | string>,
  options: RecordStreamOptions,
): AsyncGenerator<R[]> {
  const wanted = options.kinds && new Set<string>(options.kinds);
  let lineNumber = 0;
  for await (const lines of readLines(chunks)) {
    const batch: R[] = [];
    for (const raw of lines) {
      lineNumber++;
      // JSON.parse ignores a trailing \r; only blank lines need a look, and only when they start blank.
      const first = raw.charCodeAt(0);
      if (raw.length === 0 || (first <= 32 && raw.trim() === '')) continue;
      const result = parseRecordLine(raw);
      if (result.ok) {
        if (!wanted || wanted.has(result.kind)) batch.push(result.record as R);
      } else if (wanted && !wantedOrUnknown(raw, wanted)) {
        // An invalid record of a kind this reader does not want is not its reader's problem.
      } else if (!options.onInvalid({ line: lineNumber, error: result.error, ...parsedValue(raw) })) {
        if (batch.length > 0) yield batch;
        return;
      }
    }
    if (batch.length > 0) yield batch;
  }
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
