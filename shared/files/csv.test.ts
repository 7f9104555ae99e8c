import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RowTable } from '../reports/rows.ts';
import type { Column, Row } from '../reports/types.ts';
import { ZoneClock } from '../time/zone.ts';
import { collectText, neutraliseFormula, quoteCsvField, writeCsv } from './csv.ts';

const ZONE = 'America/Sao_Paulo';
const clock = new ZoneClock(ZONE);

const columns: Column[] = [
  { key: 'name', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
  { key: 'count', type: 'integer', label: { en: 'Count', 'pt-BR': 'Quantidade' } },
  { key: 'day', type: 'date', label: { en: 'Start Date', 'pt-BR': 'Data de Início' } },
  { key: 'at', type: 'time', label: { en: 'Start Time', 'pt-BR': 'Hora de Início' } },
  { key: 'when', type: 'datetime', label: { en: 'When; "exactly"', 'pt-BR': 'Quando; "exato"' } },
  { key: 'took', type: 'duration', label: { en: 'Duration', 'pt-BR': 'Duração' } },
];

const at = clock.instantOf(2026, 3, 10, 8, 5, 9) + 999; // sub-second part is dropped
const tricky: Array<[string, string]> = [
  // [value written, value a reader gets back]
  ['Conceição Ávila', 'Conceição Ávila'],
  ['say "hi"; bye', 'say "hi"; bye'],
  ['two\nlines\r\nhere', 'two\nlines\r\nhere'],
  ['=1+2', "'=1+2"],
  ['+55 11 9999', "'+55 11 9999"],
  ['-12.5', '-12.5'],
  ['+3', '+3'],
  ['-1,5', '-1,5'],
  ['-x', "'-x"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tcmd', "'\tcmd"],
  ['\rcmd', "'\rcmd"],
  ['=HYPERLINK("http://x";"y")', `'=HYPERLINK("http://x";"y")`],
  ['12', '12'],
  ['', ''],
];

function rowsFor(texts: string[]): Row[] {
  return texts.map((text, i) => [text, -i, at, at, at, 90_061_500 + i * 1000]);
}

async function parsed(locale: 'en' | 'pt-BR', rows: Row[] | AsyncIterable<Row>): Promise<string[][]> {
  const text = await collectText(writeCsv({ columns, locale, timeZone: ZONE }, rows));
  return parse(text, { delimiter: ';', bom: true, relax_column_count: false });
}

describe('writeCsv', () => {
  it('starts with a BOM, separates with ";" and ends lines with CRLF', async () => {
    const text = await collectText(writeCsv({ columns, locale: 'en', timeZone: ZONE }, rowsFor(['a', 'b'])));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n')).toEqual([
      'Agent Name;Count;Start Date;Start Time;"When; ""exactly""";Duration',
      'a;0;2026-03-10;08:05:09;2026-03-10 08:05:09;25:01:01',
      'b;-1;2026-03-10;08:05:09;2026-03-10 08:05:09;25:01:02',
      '',
    ]);
  });

  it('writes a table’s rows, read into one array, as it writes the same rows as arrays', async () => {
    const rows = rowsFor(tricky.map(([written]) => written));
    const table = new RowTable(rows.length, (index, cells) => {
      rows[index]!.forEach((value, at) => {
        cells[at] = value;
      });
    });
    const spec = { columns, locale: 'pt-BR' as const, timeZone: ZONE };
    expect(await collectText(writeCsv(spec, table))).toBe(await collectText(writeCsv(spec, rows)));
  });

  it('round-trips tricky text through an RFC 4180 parser, neutralising formulas but not numbers', async () => {
    const records = await parsed('en', rowsFor(tricky.map(([written]) => written)));
    expect(records[0]).toEqual([
      'Agent Name',
      'Count',
      'Start Date',
      'Start Time',
      'When; "exactly"',
      'Duration',
    ]);
    expect(records.slice(1).map((record) => record[0])).toEqual(tricky.map(([, read]) => read));
    expect(records.length).toBe(tricky.length + 1);
  });

  it('never touches non-text columns, and writes empty cells for null', async () => {
    const records = await parsed('en', [
      [null, -5, null, null, null, null],
      ['x', null, at, null, null, 0],
    ]);
    expect(records.slice(1)).toEqual([
      ['', '-5', '', '', '', ''],
      ['x', '', '2026-03-10', '', '', '00:00:00'],
    ]);
  });

  it('uses the locale for labels and dates (pt-BR: dd/mm/yyyy), times and durations as HH:MM:SS', async () => {
    const midnight = clock.instantOf(2026, 12, 31, 23, 59, 59);
    const records = await parsed('pt-BR', [['Conceição', 1, midnight, midnight, midnight, 3_600_000 * 100]]);
    expect(records).toEqual([
      ['Nome do Agente', 'Quantidade', 'Data de Início', 'Hora de Início', 'Quando; "exato"', 'Duração'],
      ['Conceição', '1', '31/12/2026', '23:59:59', '31/12/2026 23:59:59', '100:00:00'],
    ]);
  });

  it('writes decimals with their digits and the locale’s decimal mark (pt-BR: comma), no grouping', async () => {
    const decimals: Column[] = [
      { key: 'cost', type: 'decimal', decimals: 4, label: { en: 'Cost', 'pt-BR': 'Custo' } },
      { key: 'share', type: 'decimal', decimals: 1, label: { en: 'Read %', 'pt-BR': 'Lidos %' } },
      { key: 'plain', type: 'decimal', label: { en: 'Plain', 'pt-BR': 'Simples' } },
    ];
    const data: Row[] = [
      [0.0625, 95.24, 1234.5],
      [0, 100, -0.125],
      [null, null, null],
    ];
    const read = async (locale: 'en' | 'pt-BR') =>
      parse(await collectText(writeCsv({ columns: decimals, locale, timeZone: ZONE }, data)), {
        delimiter: ';',
        bom: true,
      }).slice(1);
    expect(await read('en')).toEqual([
      ['0.0625', '95.2', '1234.50'],
      ['0.0000', '100.0', '-0.13'],
      ['', '', ''],
    ]);
    expect(await read('pt-BR')).toEqual([
      ['0,0625', '95,2', '1234,50'],
      ['0,0000', '100,0', '-0,13'],
      ['', '', ''],
    ]);
  });

  it('reads rows as they arrive and yields several chunks for many rows', async () => {
    async function* slowly(): AsyncGenerator<Row> {
      for (let i = 0; i < 5000; i++) yield [`Agent ${i}`, i, at + i * 60_000, at, at, i * 1000];
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of writeCsv({ columns, locale: 'en', timeZone: ZONE }, slowly()))
      chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    const records: string[][] = parse(Buffer.concat(chunks), { delimiter: ';', bom: true });
    expect(records.length).toBe(5001);
    expect(records[5000]).toEqual([
      'Agent 4999',
      '4999',
      '2026-03-13',
      '08:05:09',
      '2026-03-10 08:05:09',
      '01:23:19',
    ]);
  });

  it('helpers: quoting and the formula guard', () => {
    expect(quoteCsvField('plain')).toBe('plain');
    expect(quoteCsvField('a"b')).toBe('"a""b"');
    expect(neutraliseFormula('-')).toBe("'-");
    expect(neutraliseFormula('-0')).toBe('-0');
    expect(neutraliseFormula('+1e5')).toBe('+1e5');
    expect(neutraliseFormula('Normal')).toBe('Normal');
  });
});
