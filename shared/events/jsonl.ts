import { type ActivityEvent, parseEventLine } from './schema.ts';

export interface InvalidLine {
  /** 1-based line number in the file. */
  line: number;
  error: string;
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

export interface EventStreamOptions {
  /** Called for each line that is not a valid event; return `false` to stop reading. */
  onInvalid(invalid: InvalidLine): boolean;
}

/** Reads JSON Lines of activity events; yields batches of valid events. Blank lines are allowed. */
export async function* readEvents(
  chunks: AsyncIterable<Uint8Array | string>,
  options: EventStreamOptions,
): AsyncGenerator<ActivityEvent[]> {
  let lineNumber = 0;
  for await (const lines of readLines(chunks)) {
    const batch: ActivityEvent[] = [];
    for (const raw of lines) {
      lineNumber++;
      // JSON.parse ignores a trailing \r; only blank lines need a look, and only when they start blank.
      const first = raw.charCodeAt(0);
      if (raw.length === 0 || (first <= 32 && raw.trim() === '')) continue;
      const result = parseEventLine(raw);
      if (result.ok) batch.push(result.event);
      else if (!options.onInvalid({ line: lineNumber, error: result.error })) {
        if (batch.length > 0) yield batch;
        return;
      }
    }
    if (batch.length > 0) yield batch;
  }
}
