import { CellFormatter } from '../format/cells.ts';
import type { CellValue, Column } from '../reports/types.ts';
import { MS_PER_DAY } from '../time/zone.ts';
import { ByteChunks } from './bytes.ts';
import { type RowSource, rowBatches, type TableSpec } from './table.ts';

const SEMICOLON = 59;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const TAB = 9;
const EQUALS = 61;
const PLUS = 43;
const MINUS = 45;
const AT = 64;

/** Yield a chunk once it holds this many bytes: few, large chunks are cheap to pass on. */
const CHUNK_BYTES = 1 << 16;

/** `-12.5`, `+3`, `1,5` (pt-BR decimal comma), `-1e3`: numbers keep their sign (DESIGN §5). */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Formula injection: a spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (and, after
 * trimming, tab or CR) as a formula. A leading `'` makes it plain text; numbers are left alone.
 */
export function neutraliseFormula(text: string): string {
  const first = text.charCodeAt(0);
  if (first === EQUALS || first === AT || first === TAB || first === CR) return `'${text}`;
  if ((first === PLUS || first === MINUS) && !PLAIN_NUMBER.test(text)) return `'${text}`;
  return text;
}

/** RFC 4180: a field holding the separator, a quote or a line break is quoted. */
function needsQuotes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === SEMICOLON || c === QUOTE || c === CR || c === LF) return true;
  }
  return false;
}

/** RFC 4180: quote a field holding the separator, a quote or a line break; double the quotes. */
export function quoteCsvField(text: string): string {
  return needsQuotes(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `HH:MM:SS` by second of the day, each made the first time it is asked for. */
const TIMES_OF_DAY: string[] = [];

/** `HH:MM:SS` of a local wall clock (ms): `formatTimeParts` without the calendar arithmetic. */
function timeOfDay(local: number): string {
  const seconds = Math.floor((local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY) / 1000);
  let text = TIMES_OF_DAY[seconds];
  if (text === undefined) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor(seconds / 60) % 60;
    const s = seconds % 60;
    text = `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
    TIMES_OF_DAY[seconds] = text;
  }
  return text;
}

/** One function per column turning a value into its (unquoted) CSV text. */
function cellRenderer(column: Column, formatter: CellFormatter): (value: CellValue) => string {
  const { type } = column;
  const clock = formatter.clock;
  switch (type) {
    case 'text':
      return (value) =>
        typeof value === 'string' ? neutraliseFormula(value) : value === null ? '' : String(value);
    case 'time':
      return (value) =>
        typeof value === 'number' ? timeOfDay(clock.localMs(value)) : formatter.format(type, value);
    case 'date':
    case 'datetime': {
      // Rows of a report share few days and a date's text is the costliest to build: cache it per
      // local day (with the space before the time, for a datetime).
      const byDay = new Map<number, string>();
      return (value) => {
        if (typeof value !== 'number') return formatter.format(type, value);
        const local = clock.localMs(value);
        const day = Math.floor(local / MS_PER_DAY);
        let date = byDay.get(day);
        if (date === undefined) {
          date = formatter.format('date', value) + (type === 'date' ? '' : ' ');
          byDay.set(day, date);
        }
        return type === 'date' ? date : date + timeOfDay(local);
      };
    }
    default:
      return (value) => formatter.cell(column, value);
  }
}

/**
 * The table as CSV (DESIGN §5): UTF-8 byte-order mark, `;` separator, CRLF line ends, RFC 4180
 * quoting and one header row of the locale's labels. Yields UTF-8 bytes in chunks of about 64 KB,
 * written straight from each cell's text (no string per row: see `ByteChunks`).
 */
export async function* writeCsv(spec: TableSpec, rows: RowSource): AsyncGenerator<Uint8Array> {
  const formatter = new CellFormatter(spec.locale, spec.timeZone);
  const renderers = spec.columns.map((column) => cellRenderer(column, formatter));
  const width = renderers.length;
  const out = new ByteChunks(CHUNK_BYTES);
  const field = (text: string) => {
    if (!needsQuotes(text)) {
      out.addUtf8(text);
      return;
    }
    out.addByte(QUOTE);
    out.addUtf8(text.replaceAll('"', '""'));
    out.addByte(QUOTE);
  };
  out.addUtf8('\uFEFF');
  spec.columns.forEach((column, i) => {
    if (i > 0) out.addByte(SEMICOLON);
    field(column.label[spec.locale]);
  });
  out.add('\r\n');
  for await (const batch of rowBatches(rows)) {
    for (const row of batch) {
      for (let i = 0; i < width; i++) {
        if (i > 0) out.addByte(SEMICOLON);
        field(renderers[i]!(row[i] ?? null));
      }
      out.addByte(CR);
      out.addByte(LF);
    }
    if (out.full) yield out.take();
  }
  yield out.take();
}

/** Collects a writer's chunks into one string (tests, small files); bytes are read as UTF-8. */
export async function collectText(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for await (const chunk of chunks)
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
