import Papa from 'papaparse';
import type { InvalidLine } from '../records/jsonl.ts';

/**
 * Streams a CSV's bytes into rows with papaparse, a chunk at a time (a 2 GB export is never
 * whole in memory): the encoding detected (UTF-8 with or without BOM, else Windows-1252 when its
 * bytes fit), the delimiter detected from the header (`;` or `,`), quoted fields with line breaks,
 * and each row's line number in the file for error messages.
 */

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
export type CsvDelimiter = ';' | ',';

export interface CsvRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  cells: string[];
}

export interface CsvHead {
  headers: string[];
  delimiter: CsvDelimiter;
  /** What the bytes read so far are in (a file read to the end: what the whole file is in). */
  encoding: CsvEncoding;
}

export class CsvEncodingError extends Error {
  constructor(
    readonly offset: number,
    readonly byte: number,
    /** Set when the bytes say what they are instead (a UTF-16 byte-order mark). */
    readonly found?: string,
  ) {
    super(
      found
        ? `the file is ${found}, neither UTF-8 nor Windows-1252: save it as UTF-8 or Windows-1252 CSV`
        : `the file is neither UTF-8 nor Windows-1252: byte 0x${byte.toString(16).padStart(2, '0').toUpperCase()} ` +
            `at offset ${offset} fits neither (save it as UTF-8 or Windows-1252 CSV)`,
    );
    this.name = 'CsvEncodingError';
  }
}

export interface CsvReadOptions {
  /** Called once, before any row, when the header has been read. */
  onHead?(head: CsvHead): void;
  /**
   * Called with each batch of rows (about a chunk's worth); awaited before more bytes are read,
   * so a slow consumer (IndexedDB) holds the reading back rather than rows piling up.
   */
  onRows(rows: CsvRow[], head: CsvHead): void | Promise<void>;
  /** Lines that cannot be rows at all (an unclosed quote, too few columns). */
  onInvalid(invalid: InvalidLine): void;
  /** Bytes read so far, after each chunk. */
  onBytes?(bytes: number): void;
  /** Stop after this many rows (the mapping step's preview). */
  maxRows?: number;
}

// Bytes Windows-1252 leaves undefined, and NUL (UTF-16 or a binary file): no text export has them.
const NOT_1252 = [0x00, 0x81, 0x8d, 0x8f, 0x90, 0x9d];

/** How many bytes at the end of `bytes` start a UTF-8 sequence the next chunk completes. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/** The offset of the first byte that makes `bytes` invalid UTF-8 (only asked after a failure). */
function firstBadUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection; a cut inside a sequence fails too, so step back 3.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    try {
      decoder.decode(bytes.subarray(0, middle), { stream: true });
      decoder.decode();
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  return Math.min(bytes.length - 1, low + incompleteTail(bytes.subarray(0, low)));
}

/**
 * Turns byte chunks into text chunks: UTF-8 as long as the bytes are valid UTF-8; when they are
 * not and nothing but ASCII came before, Windows-1252 from then on (ASCII reads the same in
 * both); otherwise a {@link CsvEncodingError} naming the first byte that fits neither.
 */
export class CsvDecoder {
  encoding: CsvEncoding = 'utf-8';
  private utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly cp1252 = new TextDecoder('windows-1252');
  private offset = 0;
  private tail: Uint8Array = new Uint8Array(0);
  private nonAscii = false;

  decode(chunk: Uint8Array): string {
    const start = this.offset;
    if (start === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
      this.encoding = 'utf-8-bom';
    // Excel's "Unicode text" and some exporters write UTF-16: say so rather than name a NUL byte.
    if (start === 0 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)))
      throw new CsvEncodingError(0, chunk[0], 'UTF-16');
    this.offset += chunk.length;
    // NUL is valid UTF-8 but never text: UTF-16 without a byte-order mark, or not a CSV at all.
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new CsvEncodingError(start + nul, 0);
    if (this.encoding === 'windows-1252') return this.decode1252(chunk, start);
    try {
      const text = this.utf8.decode(chunk, { stream: true });
      if (!this.nonAscii && /[^\0-\x7f]/.test(text)) this.nonAscii = true;
      this.tail = chunk.subarray(chunk.length - incompleteTail(chunk));
      return text;
    } catch {
      const bytes = new Uint8Array(this.tail.length + chunk.length);
      bytes.set(this.tail);
      bytes.set(chunk, this.tail.length);
      const bytesStart = start - this.tail.length;
      const bad = firstBadUtf8(bytes);
      // Valid UTF-8 beyond ASCII came first: a stray byte now is damage, not another encoding.
      if (
        this.nonAscii ||
        this.encoding === 'utf-8-bom' ||
        bytes.subarray(0, bad).some((byte) => byte >= 0x80)
      )
        throw new CsvEncodingError(bytesStart + bad, bytes[bad]!);
      this.encoding = 'windows-1252';
      return this.decode1252(bytes, bytesStart);
    }
  }

  /** The end of the bytes: a sequence left open is an error too. */
  end(): string {
    if (this.encoding === 'windows-1252') return '';
    try {
      return this.utf8.decode();
    } catch {
      if (this.nonAscii || this.encoding === 'utf-8-bom')
        throw new CsvEncodingError(this.offset - this.tail.length, this.tail[0]!);
      this.encoding = 'windows-1252';
      return this.decode1252(this.tail, this.offset - this.tail.length);
    }
  }

  private decode1252(bytes: Uint8Array, start: number): string {
    // One native search per byte value rather than a loop over every byte in script: this ran
    // over the whole of a Windows-1252 file, a few percent of a million-line import.
    let first = -1;
    for (const byte of NOT_1252) {
      const at = bytes.indexOf(byte);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    if (first >= 0) throw new CsvEncodingError(start + first, bytes[first]!);
    return this.cp1252.decode(bytes);
  }
}

/** `;` when the header line has more of them than of `,` outside quotes (the pt-BR exports). */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    let at = cell.indexOf('\n');
    while (at >= 0) {
      count++;
      at = cell.indexOf('\n', at + 1);
    }
  }
  return count;
}

/**
 * papaparse reads Node-style streams (`on('data')`, `pause`, `resume`); this feeds it the
 * decoded text one chunk at a time. Each `push` parses synchronously (papaparse's chunk callback
 * runs before `emit` returns), which is what lets the caller await the rows before reading on.
 */
class TextFeed {
  readonly readable = true;
  private readonly listeners = new Map<string, (value?: unknown) => void>();
  read() {}
  pause() {}
  resume() {}
  on(event: string, listener: (value?: unknown) => void) {
    this.listeners.set(event, listener);
  }
  removeListener(event: string) {
    this.listeners.delete(event);
  }
  push(text: string) {
    if (text !== '') this.listeners.get('data')?.(text);
  }
  end() {
    this.listeners.get('end')?.();
  }
}

/** Reads the CSV in `chunks`; returns what its head says (encoding: of the whole file read). */
export async function readCsv(chunks: AsyncIterable<Uint8Array>, options: CsvReadOptions): Promise<CsvHead> {
  const decoder = new CsvDecoder();
  const feed = new TextFeed();
  let head: CsvHead | undefined;
  let headerCells: string[] | undefined;
  let line = 1;
  let rowCount = 0;
  let waiting: CsvRow[] = [];
  let failure: Error | undefined;
  let delimiter: CsvDelimiter | undefined;
  let firstText = '';
  let done = false;

  const start = (delimiter: CsvDelimiter) =>
    Papa.parse(feed as unknown as Papa.LocalFile, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      chunk(results: Papa.ParseResult<string[]>) {
        const bad = new Map<number, string>();
        for (const error of results.errors)
          if (error.row !== undefined && error.code === 'MissingQuotes')
            bad.set(error.row, 'a quoted field is never closed');
        for (const [index, cells] of results.data.entries()) {
          if (done) break;
          const at = line;
          line += 1 + countNewlines(cells);
          if (cells.length === 1 && cells[0] === '') continue; // a blank line
          if (!headerCells) {
            headerCells = cells.map((cell) => cell.trim());
            continue;
          }
          const problem =
            bad.get(index) ??
            (cells.length < headerCells.length
              ? `has ${cells.length} columns; the header has ${headerCells.length}`
              : undefined);
          if (problem) {
            options.onInvalid({ line: at, error: problem });
            continue;
          }
          waiting.push({ line: at, cells });
          rowCount++;
          if (options.maxRows !== undefined && rowCount >= options.maxRows) done = true;
        }
      },
      error(error: Error) {
        failure = error;
      },
      complete() {},
    });

  const flush = async () => {
    if (!head && headerCells) {
      head = { headers: headerCells, delimiter: delimiter!, encoding: decoder.encoding };
      options.onHead?.(head);
    }
    if (head && waiting.length > 0) {
      const rows = waiting;
      waiting = [];
      head.encoding = decoder.encoding;
      await options.onRows(rows, head);
    }
  };

  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    let text = decoder.decode(chunk);
    if (delimiter === undefined) {
      // The header's delimiter decides; wait for its whole first line (a header is small).
      firstText += text;
      if (!firstText.includes('\n')) continue;
      delimiter = detectDelimiter(firstText.split('\n', 1)[0]!);
      start(delimiter);
      text = firstText;
    }
    feed.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (failure) throw failure;
    await flush();
    options.onBytes?.(bytes);
    if (done) return head!;
  }
  const rest = decoder.end();
  if (delimiter === undefined) {
    firstText += rest;
    if (firstText.trim() === '') throw new Error('the file is empty: it has no header line');
    delimiter = detectDelimiter(firstText.split('\n', 1)[0]!);
    start(delimiter);
    feed.push(firstText.charCodeAt(0) === 0xfeff ? firstText.slice(1) : firstText);
  } else feed.push(rest);
  feed.end();
  if (failure) throw failure;
  await flush();
  if (!head) throw new Error('the file is empty: it has no header line');
  head.encoding = decoder.encoding;
  return head;
}
