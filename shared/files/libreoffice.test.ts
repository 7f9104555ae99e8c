// Opens the CSV and XLSX files in LibreOffice (headless, converting them to CSV) and checks that a
// spreadsheet shows what was written. Needs Node APIs and the `soffice` binary, so it lives in a
// test file and is skipped where LibreOffice is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column, Row } from '../reports/types.ts';
import { ZoneClock } from '../time/zone.ts';
import { collectText, writeCsv } from './csv.ts';
import { collectBytes, writeXlsx } from './xlsx.ts';

const hasSoffice = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'soffice')));

const ZONE = 'America/Sao_Paulo';
const clock = new ZoneClock(ZONE);
const t = clock.instantOf(2026, 3, 10, 23, 30, 15);

const columns: Column[] = [
  { key: 'agentName', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
  { key: 'calls', type: 'integer', label: { en: 'Calls', 'pt-BR': 'Chamadas' } },
  { key: 'startDate', type: 'date', label: { en: 'Start Date', 'pt-BR': 'Data de Início' } },
  { key: 'startTime', type: 'time', label: { en: 'Start Time', 'pt-BR': 'Hora de Início' } },
  { key: 'end', type: 'datetime', label: { en: 'End', 'pt-BR': 'Término' } },
  { key: 'duration', type: 'duration', label: { en: 'Duration', 'pt-BR': 'Duração' } },
  { key: 'userIp', type: 'text', label: { en: 'User IP', 'pt-BR': 'IP do Usuário' } },
];

const rows: Row[] = [
  ['Conceição "Ção"; Ávila', 5, t, t, t + 3_600_000, 90_061_000, '=1+2'],
  ['two\nlines', -3, t, t, null, 0, '-12.5'],
  ['+55 11 9999', null, t + 86_400_000, t, t, 1_000, '@SUM(A1)'],
  ['-x', 0, t, t + 1_000, t, 3_600_000 * 100, '10.0.0.1'],
  ['Łukasz', 1_234_567, t, t, t, 59_000, ''],
];

/** LibreOffice's CSV filter: `;`, `"`, UTF-8, from line 1, en-US; import with formulas evaluated
 * and special numbers (dates, times) not detected, export as shown. */
const CSV_IN = 'CSV:59,34,76,1,,1033,false,false,false,false,false,,true';
const CSV_OUT = 'csv:Text - txt - csv (StarCalc):59,34,76,1,,1033,false,true,true,false,false';

const work = hasSoffice ? mkdtempSync(join(tmpdir(), 'pontual-lo-')) : '';
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Converts files with LibreOffice, in a throwaway profile so parallel runs do not clash. */
function soffice(args: string[], files: string[], outDir: string): void {
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=${pathToFileURL(join(work, 'profile')).href}`,
      '--headless',
      ...args,
      '--outdir',
      outDir,
      ...files,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
}

const records = (text: string): string[][] => parse(text, { delimiter: ';', bom: true });
/** LibreOffice shows `[h]:mm:ss` with one hour digit when it can; the CSV always has two. */
const twoDigitHours = (cells: string[]) =>
  cells.map((cell) => cell.replace(/^(\d):(\d\d):(\d\d)$/, '0$1:$2:$3'));

// LibreOffice takes a few seconds to start.
describe.skipIf(!hasSoffice)('LibreOffice opens the files as written', { timeout: 180_000 }, () => {
  it('CSV: same cells, formulas neutralised but numbers kept', async () => {
    const csv = await collectText(writeCsv({ columns, locale: 'en', timeZone: ZONE }, rows));
    writeFileSync(join(work, 'report.csv'), csv);
    // Control: the same import options do run an unguarded formula.
    writeFileSync(join(work, 'control.csv'), '\uFEFFA;B\r\n=1+2;-12.5\r\n');
    const out = join(work, 'csv-out');
    soffice(
      [`--infilter=${CSV_IN}`, '--convert-to', CSV_OUT],
      [join(work, 'report.csv'), join(work, 'control.csv')],
      out,
    );

    expect(records(readFileSync(join(out, 'control.csv'), 'utf8'))).toEqual([
      ['A', 'B'],
      ['3', '-12.5'],
    ]);
    const shown = records(readFileSync(join(out, 'report.csv'), 'utf8'));
    expect(shown).toEqual(records(csv));
    expect(shown[1]).toEqual([
      'Conceição "Ção"; Ávila',
      '5',
      '2026-03-10',
      '23:30:15',
      '2026-03-11 00:30:15',
      '25:01:01',
      "'=1+2",
    ]);
    expect(shown[2]?.[6]).toBe('-12.5');
  });

  it('XLSX: every sheet shows the header and the values the CSV shows, text unchanged', async () => {
    const spec = { columns, locale: 'pt-BR' as const, timeZone: ZONE };
    writeFileSync(
      join(work, 'report.xlsx'),
      await collectBytes(writeXlsx({ ...spec, sheetName: 'Atividades', maxRowsPerSheet: 3 }, rows)),
    );
    const out = join(work, 'xlsx-out');
    // `-1`: one CSV per sheet, named `<file>-<sheet>.csv`.
    soffice(['--convert-to', `${CSV_OUT},-1`], [join(work, 'report.xlsx')], out);
    expect(readdirSync(out).sort()).toEqual(['report-Atividades 2.csv', 'report-Atividades.csv']);

    const [header, ...expected] = records(await collectText(writeCsv(spec, rows)));
    const sheets = ['report-Atividades.csv', 'report-Atividades 2.csv'].map((name) =>
      records(readFileSync(join(out, name), 'utf8')),
    );
    for (const sheet of sheets) expect(sheet[0]).toEqual(header);
    const shown = sheets.flatMap((sheet) => sheet.slice(1)).map(twoDigitHours);
    // XLSX text cells are never formulas, so they keep their text where the CSV adds a quote.
    const texts = new Set([0, 6]);
    expect(shown).toEqual(
      expected.map((record, r) =>
        record.map((cell, c) => (texts.has(c) ? String(rows[r]?.[c] ?? '') : cell)),
      ),
    );
    expect(shown[0]).toEqual([
      'Conceição "Ção"; Ávila',
      '5',
      '10/03/2026',
      '23:30:15',
      '11/03/2026 00:30:15',
      '25:01:01',
      '=1+2',
    ]);
  });
});
