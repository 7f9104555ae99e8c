import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { Column, Row } from '../reports/types.ts';
import { ZoneClock } from '../time/zone.ts';
import { collectBytes, columnLetters, sheetNameFor, writeXlsx, type XlsxSpec } from './xlsx.ts';

const ZONE = 'America/Sao_Paulo';
const clock = new ZoneClock(ZONE);

const columns: Column[] = [
  { key: 'name', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
  { key: 'count', type: 'integer', label: { en: 'Count', 'pt-BR': 'Quantidade' } },
  { key: 'day', type: 'date', label: { en: 'Start Date', 'pt-BR': 'Data de Início' } },
  { key: 'at', type: 'time', label: { en: 'Start Time', 'pt-BR': 'Hora de Início' } },
  { key: 'when', type: 'datetime', label: { en: 'When', 'pt-BR': 'Quando' } },
  { key: 'took', type: 'duration', label: { en: 'Duration', 'pt-BR': 'Duração' } },
];

// 23:30:15.7 local on 2026-03-10: UTC is already the 11th, so serials must use the local clock.
const late = clock.instantOf(2026, 3, 10, 23, 30, 15) + 700;
const serialOfWall = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 86_400_000 + 25_569;

const rows: Row[] = [
  ['Conceição <&> "x"', 42, late, late, late, 90_061_900],
  ['tab\there\r\nline two', -7, null, null, null, null],
  [null, null, late, null, late, 0],
  ['ctrl\u0001\u0008chars _x0041_ \uD800lone', 0, late, late, late, 1_000],
];

function spec(extra: Partial<XlsxSpec> = {}): XlsxSpec {
  return { columns, locale: 'en', timeZone: ZONE, ...extra };
}

async function workbook(extra: Partial<XlsxSpec> = {}, data: Row[] = rows) {
  const bytes = await collectBytes(writeXlsx(spec(extra), data));
  return { bytes, book: XLSX.read(bytes, { type: 'array', cellNF: true }), files: unzipSync(bytes) };
}

describe('writeXlsx', () => {
  it('writes typed cells that read back with their values and number formats', async () => {
    const { book, files } = await workbook();
    expect(book.SheetNames).toEqual(['Report']);
    const sheet = book.Sheets.Report!;
    expect(sheet['!ref']).toBe('A1:F5');

    // Header: bold labels (style checked in styles.xml below).
    expect(['A1', 'B1', 'C1', 'D1', 'E1', 'F1'].map((ref) => sheet[ref]?.v)).toEqual(
      columns.map((column) => column.label.en),
    );

    const a2 = sheet.A2!;
    expect(a2.t).toBe('s');
    expect(a2.v).toBe('Conceição <&> "x"');
    expect(sheet.B2).toMatchObject({ t: 'n', v: 42 });
    expect(sheet.C2).toMatchObject({
      t: 'n',
      v: serialOfWall(2026, 3, 10),
      z: 'yyyy-mm-dd',
      w: '2026-03-10',
    });
    expect(sheet.D2!.t).toBe('n');
    expect(sheet.D2!.z).toBe('hh:mm:ss');
    expect(sheet.D2!.v).toBeCloseTo((23 * 3600 + 30 * 60 + 15) / 86_400, 12);
    expect(sheet.D2!.w).toBe('23:30:15');
    expect(sheet.E2).toMatchObject({ t: 'n', z: 'yyyy-mm-dd hh:mm:ss', w: '2026-03-10 23:30:15' });
    expect(sheet.E2!.v).toBeCloseTo(serialOfWall(2026, 3, 10, 23, 30, 15), 9);
    expect(sheet.F2).toMatchObject({ t: 'n', z: '[h]:mm:ss', w: '25:01:01' });
    expect(sheet.F2!.v).toBeCloseTo(90_061 / 86_400, 12);

    // Whitespace and line breaks survive; empty cells stay empty and later cells keep their column.
    // CR is kept in the file as a character reference; SheetJS, like Excel, reads CRLF as LF.
    expect(sheet.A3!.v).toBe('tab\there\nline two');
    expect(sheet.B3).toMatchObject({ t: 'n', v: -7 });
    expect(sheet.C3).toBeUndefined();
    expect(sheet.F3).toBeUndefined();
    expect(sheet.A4).toBeUndefined();
    expect(sheet.C4!.w).toBe('2026-03-10');
    expect(sheet.D4).toBeUndefined();
    expect(sheet.E4!.w).toBe('2026-03-10 23:30:15');
    expect(sheet.F4).toMatchObject({ t: 'n', v: 0, w: '0:00:00' });

    // Characters XML forbids are dropped; a literal `_x0041_` stays literal.
    expect(sheet.A5!.v).toBe('ctrlchars _x0041_ lone');
    const sharedStrings = strFromU8(files['xl/sharedStrings.xml']!);
    expect(sharedStrings).toContain('<t xml:space="preserve">tab\there&#13;\nline two</t>');
    expect(sharedStrings).toContain('Conceição &lt;&amp;&gt; &quot;x&quot;');
  });

  it('reads dates back as the local wall clock with cellDates', async () => {
    const { bytes } = await workbook();
    const sheet = XLSX.read(bytes, { type: 'array', cellDates: true }).Sheets.Report!;
    // SheetJS reads a serial as a Date whose UTC fields are the spreadsheet's wall clock.
    expect((sheet.E2!.v as Date).toISOString()).toBe('2026-03-10T23:30:15.000Z');
    expect((sheet.C2!.v as Date).toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });

  it('uses dd/mm/yyyy and the labels of pt-BR', async () => {
    const { book } = await workbook({ locale: 'pt-BR', sheetName: 'Atividades' });
    const sheet = book.Sheets.Atividades!;
    expect(sheet.A1!.v).toBe('Nome do Agente');
    expect(sheet.F1!.v).toBe('Duração');
    expect(sheet.C2).toMatchObject({ z: 'dd/mm/yyyy', w: '10/03/2026' });
    expect(sheet.E2).toMatchObject({ z: 'dd/mm/yyyy hh:mm:ss', w: '10/03/2026 23:30:15' });
  });

  it('writes decimals as real numbers with a number format of their digits, in both locales', async () => {
    const decimals: Column[] = [
      { key: 'cost', type: 'decimal', decimals: 4, label: { en: 'Cost', 'pt-BR': 'Custo' } },
      { key: 'share', type: 'decimal', decimals: 1, label: { en: 'Read %', 'pt-BR': 'Lidos %' } },
      { key: 'other', type: 'decimal', decimals: 4, label: { en: 'Other', 'pt-BR': 'Outro' } },
      { key: 'when', type: 'datetime', label: { en: 'When', 'pt-BR': 'Quando' } },
    ];
    for (const locale of ['en', 'pt-BR'] as const) {
      const bytes = await collectBytes(
        writeXlsx({ columns: decimals, locale, timeZone: ZONE }, [
          [0.0625, 95.24, 2, late],
          [null, 100, 0, null],
        ]),
      );
      const sheet = XLSX.read(bytes, { type: 'array', cellNF: true }).Sheets.Report!;
      // The value is the number itself; only the format rounds what is shown.
      expect(sheet.A2).toMatchObject({ t: 'n', v: 0.0625, z: '0.0000', w: '0.0625' });
      expect(sheet.B2).toMatchObject({ t: 'n', v: 95.24, z: '0.0', w: '95.2' });
      expect(sheet.C2).toMatchObject({ t: 'n', v: 2, z: '0.0000', w: '2.0000' });
      expect(sheet.D2).toMatchObject({
        t: 'n',
        z: locale === 'en' ? 'yyyy-mm-dd hh:mm:ss' : 'dd/mm/yyyy hh:mm:ss',
      });
      expect(sheet.A3).toBeUndefined();
      expect(sheet.B3).toMatchObject({ t: 'n', v: 100, w: '100.0' });
      // Two distinct digit counts: two decimal styles after the six fixed ones.
      const styles = strFromU8(unzipSync(bytes)['xl/styles.xml']!);
      expect(styles).toContain('<cellXfs count="8">');
    }
  });

  it('freezes a bold header row and puts a filter over the rows', async () => {
    const { book, files } = await workbook();
    expect(book.Sheets.Report!['!autofilter']).toEqual({ ref: 'A1:F5' });
    const sheetXml = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheetXml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheetXml).toContain('</sheetData><autoFilter ref="A1:F5"/></worksheet>');
    expect(sheetXml).toMatch(/<row r="1"><c t="s" s="1">/);
    const styles = strFromU8(files['xl/styles.xml']!);
    expect(styles).toMatch(/<cellXfs count="6"><xf [^>]*\/><xf numFmtId="0" fontId="1"/);
    expect(styles).toMatch(/<fonts count="2"><font>(?!<b\/>).*?<\/font><font><b\/>/);
    const workbookXml = strFromU8(files['xl/workbook.xml']!);
    expect(workbookXml).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Report'!$A$1:$F$5</definedName>`,
    );
  });

  it('continues on further sheets, each with its own header, freeze and filter', async () => {
    const many: Row[] = Array.from({ length: 7 }, (_, i) => [`Agent ${i}`, i, late, late, late, i * 1000]);
    const { book, files } = await workbook({ maxRowsPerSheet: 3, sheetName: "O'Brien: [calls]" }, many);
    expect(book.SheetNames).toEqual(["O'Brien_ _calls_", "O'Brien_ _calls_ 2", "O'Brien_ _calls_ 3"]);
    const values = book.SheetNames.map((name) =>
      XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name]!, { header: 1 }).map((row) => [row[0], row[1]]),
    );
    expect(values).toEqual([
      [
        ['Agent Name', 'Count'],
        ['Agent 0', 0],
        ['Agent 1', 1],
        ['Agent 2', 2],
      ],
      [
        ['Agent Name', 'Count'],
        ['Agent 3', 3],
        ['Agent 4', 4],
        ['Agent 5', 5],
      ],
      [
        ['Agent Name', 'Count'],
        ['Agent 6', 6],
      ],
    ]);
    expect(book.SheetNames.map((name) => book.Sheets[name]!['!autofilter']?.ref)).toEqual([
      'A1:F4',
      'A1:F4',
      'A1:F2',
    ]);
    for (const n of [1, 2, 3]) {
      expect(strFromU8(files[`xl/worksheets/sheet${n}.xml`]!)).toContain('state="frozen"');
    }
    const workbookXml = strFromU8(files['xl/workbook.xml']!);
    expect(workbookXml).toContain(
      `localSheetId="2" hidden="1">'O''Brien_ _calls_ 3'!$A$1:$F$2</definedName>`,
    );
  });

  it('writes a valid workbook with no rows, and streams bytes before the end for many rows', async () => {
    const { book } = await workbook({}, []);
    expect(book.Sheets.Report!['!autofilter']).toEqual({ ref: 'A1:F1' });

    async function* generated(): AsyncGenerator<Row> {
      for (let i = 0; i < 20_000; i++) yield [`Agent ${i}`, i, late + i * 1000, late, late, i];
    }
    let chunks = 0;
    for await (const _ of writeXlsx(spec(), generated())) chunks++;
    expect(chunks).toBeGreaterThan(3);
  });

  it('reads back every cell of a sheet written in many chunks', async () => {
    // Past 64K characters of XML per chunk, with gaps, repeated times and durations past a week.
    const many: Row[] = Array.from({ length: 3000 }, (_, i) => [
      i % 7 === 0 ? null : `Agent ${i % 50}`,
      i % 5 === 0 ? Number.NaN : i * 1_000_003,
      late + i * 3_600_000,
      late + (i % 60) * 1000,
      i % 11 === 0 ? null : late - i * 61_000,
      i % 2 === 0 ? i * 1000 : (i * 86_400 + 17) * 1000,
    ]);
    const sheet = (await workbook({}, many)).book.Sheets.Report!;
    expect(sheet['!ref']).toBe('A1:F3001');
    many.forEach((row, i) => {
      const r = i + 2;
      const [name, count, day, at, when, took] = row as [
        string | null,
        number,
        number,
        number,
        number | null,
        number,
      ];
      expect(sheet[`A${r}`]?.v).toBe(name ?? undefined);
      expect(sheet[`B${r}`]?.v).toBe(Number.isFinite(count) ? count : undefined);
      const local = clock.parts(day);
      expect(sheet[`C${r}`]!.v).toBe(serialOfWall(local.year, local.month, local.day));
      const t = clock.parts(at);
      const two = (n: number) => String(n).padStart(2, '0');
      expect(sheet[`D${r}`]!.w).toBe(`${two(t.hour)}:${two(t.minute)}:${two(t.second)}`);
      if (when === null) expect(sheet[`E${r}`]).toBeUndefined();
      else
        expect(sheet[`E${r}`]!.v).toBeCloseTo(
          clock.localMs(Math.floor(when / 1000) * 1000) / 86_400_000 + 25_569,
          9,
        );
      expect(sheet[`F${r}`]!.v).toBeCloseTo(Math.floor(took / 1000) / 86_400, 12);
    });
  });

  it('helpers: column letters and sheet names', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(sheetNameFor('A very long report title that goes on', 11)).toBe('A very long report title tha 12');
    expect(sheetNameFor("'quoted'", 0)).toBe('quoted');
    expect(sheetNameFor('', 0)).toBe('Report');
  });
});
