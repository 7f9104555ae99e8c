import 'fake-indexeddb/auto';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { loadTranscriptFonts } from '../server/cli/transcript-fonts.ts';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { PDF_MAX_ROWS } from '../shared/files/pdf.ts';
import { reportFileChunks, TooManyRowsForPdf } from '../shared/files/report-file.ts';
import { activity } from '../shared/reports/activity.ts';
import { attendanceHistory } from '../shared/reports/attendance-history.ts';
import type { ReportFilters } from '../shared/reports/filters.ts';
import { mt, status } from '../shared/testing/messaging.ts';
import { pdfPagesText } from '../shared/testing/pdf-text.ts';
import { type Step, scenarioEvents } from '../shared/testing/scenario.ts';
import { attendanceDay, runAttendance } from '../shared/testing/tickets.ts';
import { MS_PER_DAY } from '../shared/time/zone.ts';
import { addChunk, type EventChunk, LocalStore, toChunk } from './local-store.ts';
import { JobError, type JobProgress, LOOKBACK_MS, ReportJobRunner } from './report-job.ts';

const TZ = 'America/Sao_Paulo';
const DATE = '2026-03-10';
/** The run's "now": the day after the example, so nothing is ongoing. */
const NOW = Date.parse('2026-03-11T12:00:00Z');
const IP = '203.0.113.7';

/** DESIGN §4 example B, as in the Activity golden test. */
const EXAMPLE_B: Step[] = [
  ['09:58:10', 'login', 'page_load'],
  ['09:59:00', 'break', 'Training'],
  ['10:07:42', 'login', 'refresh'],
  ['10:10:00', 'break', 'Meeting'],
  ['10:14:50', 'logout'],
];
const exampleB = (options: { date?: string; agentId?: string; agentName?: string } = {}) =>
  scenarioEvents(EXAMPLE_B, { timeZone: TZ, date: DATE, ip: IP, ...options });

/** Example B's expected rows, every column, as the CSV shows them. */
const EXPECTED_B = [
  ['Fabio Rocha', 'Login', DATE, '09:58:10', DATE, '10:07:42', '00:09:32', IP],
  ['Fabio Rocha', 'Break - Training', DATE, '09:59:00', DATE, '10:07:42', '00:08:42', IP],
  ['Fabio Rocha', 'Login', DATE, '10:07:42', DATE, '10:14:50', '00:07:08', IP],
  ['Fabio Rocha', 'Break - Training', DATE, '10:07:42', DATE, '10:10:00', '00:02:18', IP],
  ['Fabio Rocha', 'Break - Meeting', DATE, '10:10:00', DATE, '10:14:50', '00:04:50', IP],
  ['Fabio Rocha', 'Logout', DATE, '10:14:50', DATE, '10:14:50', '00:00:00', IP],
];
/** The Activity report's columns as the app shows them first: the optional Cause column off. */
const SHOWN = activity.columns.filter((column) => !column.hiddenByDefault);
const HEADER = SHOWN.map((column) => column.label.en);

let stores: LocalStore[] = [];
afterEach(async () => {
  for (const store of stores) await store.delete();
  stores = [];
});

function freshStore(): LocalStore {
  const store = new LocalStore(`report-job-test-${Math.random().toString(36).slice(2)}`);
  stores.push(store);
  return store;
}

/** Example B split over three chunks, with its login repeated in the last one. */
async function storeWithExampleB(): Promise<LocalStore> {
  const store = freshStore();
  const events = exampleB();
  await store.chunks.bulkAdd([
    toChunk(events.slice(0, 2)),
    toChunk(events.slice(2, 4)),
    toChunk([events[4]!, { ...events[0]! }]),
  ]);
  return store;
}

function filters(extra: Partial<ReportFilters> = {}): ReportFilters {
  return {
    fromDate: DATE,
    toDate: DATE,
    timeZone: TZ,
    locale: 'en',
    splitDays: false,
    agentIds: [],
    // What the app starts from: the Activity report's optional Cause column off.
    hiddenColumns: ['cause'],
    formats: ['csv'],
    ...extra,
  };
}

async function run(
  store: LocalStore,
  extra: Partial<ReportFilters> = {},
  reportId = 'activity',
  progress: JobProgress[] = [],
) {
  const runner = new ReportJobRunner(store);
  const output = await runner.run(
    { reportId, title: 'Activity', filters: filters(extra), now: NOW },
    (step) => progress.push(step),
  );
  return { runner, output };
}

async function csvRecords(blob: Blob): Promise<string[][]> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(Buffer.from(bytes), { delimiter: ';', bom: true });
}

describe('ReportJobRunner over the local store', () => {
  it('writes example B as CSV, XLSX and PDF from chunks, a duplicate dropped, with steady progress', async () => {
    const store = await storeWithExampleB();
    const progress: JobProgress[] = [];
    const { output } = await run(store, { formats: ['csv', 'xlsx', 'pdf'] }, 'activity', progress);

    expect(output.rowCount).toBe(6);
    expect(output.skipped).toEqual([]);
    expect(output.columns).toEqual(
      SHOWN.map((column) => ({
        key: column.key,
        label: column.label.en,
        numeric: column.key === 'duration',
      })),
    );
    expect(output.files.map((file) => [file.format, file.fileName, file.size])).toEqual([
      ['csv', expect.stringMatching(/^activity_.*\.csv$/), output.files[0]!.blob.size],
      ['xlsx', expect.stringMatching(/^activity_.*\.xlsx$/), output.files[1]!.blob.size],
      ['pdf', expect.stringMatching(/^activity_.*\.pdf$/), output.files[2]!.blob.size],
    ]);
    const [csv, xlsx, pdf] = output.files.map((file) => file.blob) as [Blob, Blob, Blob];
    expect(csv.type).toBe('text/csv;charset=utf-8');
    expect(pdf.type).toBe('application/pdf');

    // CSV: exactly the DESIGN rows.
    expect(await csvRecords(csv)).toEqual([HEADER, ...EXPECTED_B]);

    // XLSX: the same rows, with typed cells.
    const book = XLSX.read(new Uint8Array(await xlsx.arrayBuffer()), { type: 'array', cellNF: true });
    expect(book.SheetNames).toEqual(['Activity']);
    const sheet = book.Sheets.Activity!;
    expect(sheet['!ref']).toBe('A1:H7');
    const values = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false });
    expect(values).toEqual([
      HEADER,
      ...EXPECTED_B.map((row) => row.map((cell) => cell.replace(/^00:/, '0:'))),
    ]);
    expect(sheet.A2).toMatchObject({ t: 's', v: 'Fabio Rocha' });
    expect(sheet.B3).toMatchObject({ t: 's', v: 'Break - Training' });
    expect(sheet.C2).toMatchObject({ t: 'n', z: 'yyyy-mm-dd', w: DATE });
    expect(sheet.C2!.v).toBe(Date.UTC(2026, 2, 10) / MS_PER_DAY + 25_569);
    expect(sheet.D2).toMatchObject({ t: 'n', z: 'hh:mm:ss', w: '09:58:10' });
    expect(sheet.D2!.v).toBeCloseTo((9 * 3600 + 58 * 60 + 10) / 86_400, 12);
    expect(sheet.F2).toMatchObject({ t: 'n', z: 'hh:mm:ss', w: '10:07:42' });
    expect(sheet.G2).toMatchObject({ t: 'n', z: '[h]:mm:ss' });
    expect(sheet.G2!.v).toBeCloseTo((9 * 60 + 32) / 86_400, 12);
    expect(sheet.G7).toMatchObject({ t: 'n', v: 0 });
    expect(sheet.H2).toMatchObject({ t: 's', v: IP });

    // PDF: the title and the rows.
    const pages = await pdfPagesText(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.startsWith('Activity Period: 2026-03-10 – 2026-03-10')).toBe(true);
    expect(pages[0]).toContain(`Time zone: ${TZ}`);
    expect(pages[0]).toContain(HEADER.join(' '));
    for (const row of EXPECTED_B) expect(pages[0]).toContain(row.join(' '));

    // Progress: phases in order, fractions never going back, ending at 1.
    const fractions = progress.map((step) => step.fraction);
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
    const phases = progress.map((step) => step.phase);
    expect([...new Set(phases)]).toEqual(['reading', 'computing', 'writing']);
  });

  it('page() shows formatted rows, a slice at a time, sorted ascending or descending by a column', async () => {
    const { runner } = await run(await storeWithExampleB());
    expect(runner.page(0, 100)).toEqual(EXPECTED_B);
    expect(runner.page(2, 2)).toEqual(EXPECTED_B.slice(2, 4));
    expect(runner.page(5, 10)).toEqual(EXPECTED_B.slice(5));
    expect(runner.page(6, 10)).toEqual([]);

    const duration = activity.columns.findIndex((column) => column.key === 'duration');
    const byDuration = (rows: string[][]) => rows.map((row) => row[duration]);
    expect(byDuration(runner.page(0, 6, { column: duration, descending: false }))).toEqual([
      '00:00:00',
      '00:02:18',
      '00:04:50',
      '00:07:08',
      '00:08:42',
      '00:09:32',
    ]);
    expect(byDuration(runner.page(0, 6, { column: duration, descending: true }))).toEqual([
      '00:09:32',
      '00:08:42',
      '00:07:08',
      '00:04:50',
      '00:02:18',
      '00:00:00',
    ]);
    // A page of the sorted order, and text columns sorted too (equal values keep the report's order).
    expect(runner.page(1, 2, { column: duration, descending: true })).toEqual([EXPECTED_B[1], EXPECTED_B[2]]);
    expect(runner.page(0, 6, { column: 1, descending: false }).map((row) => [row[1], row[3]])).toEqual([
      ['Break - Meeting', '10:10:00'],
      ['Break - Training', '09:59:00'],
      ['Break - Training', '10:07:42'],
      ['Login', '09:58:10'],
      ['Login', '10:07:42'],
      ['Logout', '10:14:50'],
    ]);
    expect(runner.page(0, 6, { column: 1, descending: true }).map((row) => [row[1], row[3]])).toEqual([
      ['Logout', '10:14:50'],
      ['Login', '09:58:10'],
      ['Login', '10:07:42'],
      ['Break - Training', '09:59:00'],
      ['Break - Training', '10:07:42'],
      ['Break - Meeting', '10:10:00'],
    ]);
    // Without a sort, the report's own order again.
    expect(runner.page(0, 6)).toEqual(EXPECTED_B);
    expect(new ReportJobRunner(freshStore()).page(0, 10)).toEqual([]);
  });

  it('hidden columns are left out of the files, the columns and page()', async () => {
    const { runner, output } = await run(await storeWithExampleB(), {
      hiddenColumns: ['userIp', 'endDate', 'cause'],
      formats: ['csv', 'xlsx'],
    });
    const keep = (row: string[]) => row.filter((_, index) => index !== 4 && index !== 7);
    expect(output.columns.map((column) => column.key)).toEqual([
      'agentName',
      'activityType',
      'startDate',
      'startTime',
      'endTime',
      'duration',
    ]);
    expect(await csvRecords(output.files[0]!.blob)).toEqual([keep(HEADER), ...EXPECTED_B.map(keep)]);
    const book = XLSX.read(new Uint8Array(await output.files[1]!.blob.arrayBuffer()), { type: 'array' });
    expect(book.Sheets.Activity!['!ref']).toBe('A1:F7');
    expect(book.Sheets.Activity!.F1!.v).toBe('Duration');
    expect(runner.page(0, 6)).toEqual(EXPECTED_B.map(keep));
  });

  it('refuses a period over the report’s 31-day limit, naming the limit', async () => {
    const store = await storeWithExampleB();
    await expect(run(store, { fromDate: '2026-02-01', toDate: '2026-03-10' })).rejects.toThrow(
      /covers at most 31 days/,
    );
    await expect(run(store, { fromDate: '2026-02-01', toDate: '2026-03-10' })).rejects.toBeInstanceOf(
      JobError,
    );
    await expect(run(store, { fromDate: '2026-02-08', toDate: '2026-03-10' })).resolves.toBeDefined();
    await expect(run(store, {}, 'no-such-report')).rejects.toThrow(/there is no report "no-such-report"/);
  });

  it('a damaged chunk gives a JobError saying the local copy is damaged', async () => {
    const store = await storeWithExampleB();
    const at = Date.parse('2026-03-10T13:00:00Z');
    await store.chunks.add({ minAt: at, maxAt: at, count: 1, text: '[{"id":"cut-off' });
    const failure = run(store);
    await expect(failure).rejects.toBeInstanceOf(JobError);
    await expect(failure).rejects.toThrow(/local copy of the data is damaged/);

    const notAList = freshStore();
    await notAList.chunks.add({ minAt: at, maxAt: at, count: 1, text: '{"id":"x"}' });
    await expect(run(notAList)).rejects.toThrow(/local copy of the data is damaged/);

    const badImport = freshStore();
    await badImport.pending.add({ minAt: at, maxAt: at, count: 1, text: 'garbage', source: 'offices.jsonl' });
    await expect(run(badImport)).rejects.toThrow(/damaged \(imported offices\.jsonl\)/);
  });

  it('events of imported chunks not yet pushed count in the report', async () => {
    const store = freshStore();
    const events = exampleB();
    await store.chunks.add(toChunk(events.slice(0, 3)));
    await store.pending.add({ ...toChunk(events.slice(3)), source: 'offices.jsonl' });
    const { runner } = await run(store);
    expect(runner.page(0, 100)).toEqual(EXPECTED_B);

    const onlyImported = freshStore();
    await onlyImported.pending.bulkAdd([
      { ...toChunk(events.slice(0, 2)), source: 'a.jsonl' },
      { ...toChunk(events.slice(2)), source: 'b.jsonl' },
    ]);
    expect((await run(onlyImported)).runner.page(0, 100)).toEqual(EXPECTED_B);
  });

  it('reads only chunks near the period: far earlier or later ones are left alone', async () => {
    const store = freshStore();
    // Bia takes a break with no login on the day (rule 4 opens her Login row at the break)…
    const bia = scenarioEvents(
      [
        ['09:00:00', 'break', 'Lunch'],
        ['09:30:00', 'available'],
        ['10:00:00', 'logout'],
      ],
      { timeZone: TZ, date: DATE, agentId: 'bia', agentName: 'Bia' },
    );
    // …but logged in five days before, never logging out: were that chunk read, her Login row would
    // start five days ago and be outside the period.
    const [oldLogin] = scenarioEvents([['08:00:00', 'login', 'page_load']], {
      timeZone: TZ,
      date: '2026-03-05',
      agentId: 'bia',
      agentName: 'Bia',
    });
    const oldChunk = toChunk([{ ...oldLogin!, id: 'bia-old-login' }]);
    expect(Date.parse(`${DATE}T03:00:00Z`) - oldChunk.maxAt).toBeGreaterThan(LOOKBACK_MS);
    // Damaged chunks far before and after the period: reading either would fail the run. (The
    // look-back's length after the period may hold a fast device's events: see the next test.)
    const damaged = (at: number): EventChunk => ({ minAt: at, maxAt: at, count: 1, text: 'not json' });
    await store.chunks.bulkAdd([
      oldChunk,
      damaged(Date.parse('2026-03-01T12:00:00Z')),
      toChunk([...exampleB(), ...bia]),
      damaged(Date.parse('2026-03-13T12:00:00Z')),
      damaged(Date.parse('2026-03-20T12:00:00Z')),
    ]);
    const { runner, output } = await run(store);
    expect(output.rowCount).toBe(9);
    expect(runner.page(0, 3).map((row) => row.slice(0, 7))).toEqual([
      ['Bia', 'Login', DATE, '09:00:00', DATE, '10:00:00', '01:00:00'],
      ['Bia', 'Break - Lunch', DATE, '09:00:00', DATE, '09:30:00', '00:30:00'],
      ['Bia', 'Logout', DATE, '10:00:00', DATE, '10:00:00', '00:00:00'],
    ]);
    expect(runner.page(3, 6)).toEqual(EXPECTED_B);

    // A login the evening before is within the look-back: read, it is Bia's Login row.
    const near = freshStore();
    const [evening] = scenarioEvents([['22:00:00', 'login', 'page_load']], {
      timeZone: TZ,
      date: '2026-03-09',
      agentId: 'bia',
      agentName: 'Bia',
    });
    await near.chunks.bulkAdd([toChunk([{ ...evening!, id: 'bia-evening' }]), toChunk(bia)]);
    expect((await run(near)).runner.page(0, 10).map((row) => row.slice(1, 4))).toEqual([
      ['Break - Lunch', DATE, '09:00:00'],
      ['Logout', DATE, '10:00:00'],
    ]);
  });

  it('a device 3 h fast: its events stamped after the period are read and corrected into it', async () => {
    const store = freshStore();
    const fast = -3 * 3_600_000;
    // Worked 19:30–22:30 on the 10th; the PC read 22:30 and 01:30 (the 11th: after the period).
    const [login, logout] = scenarioEvents(
      [
        ['22:30:00', 'login', 'page_load'],
        ['01:30:00', 'logout'],
      ],
      { timeZone: TZ, date: DATE, ip: IP },
    );
    const pushed = (event: ActivityEvent, dayLater = 0) => ({
      ...event,
      at: new Date(Date.parse(event.at) + dayLater).toISOString(),
      deviceId: 'fast-pc',
      clockOffsetMs: fast + 40,
    });
    await store.chunks.bulkAdd([toChunk([pushed(login!)]), toChunk([pushed(logout!, MS_PER_DAY)])]);
    expect((await run(store)).runner.page(0, 10).map((row) => row.slice(1, 6))).toEqual([
      ['Login', DATE, '19:30:00', DATE, '22:30:00'],
      ['Logout', DATE, '22:30:00', DATE, '22:30:00'],
    ]);
    // The devices' own clocks: the logout is after the period, its chunk not read, the row open.
    expect((await run(store, { deviceTime: true })).runner.page(0, 10).map((row) => row.slice(1, 6))).toEqual(
      [['Login', DATE, '22:30:00', '', '']],
    );
  });

  it('a PDF over its row limit is skipped with a reason; the other formats are still written', async () => {
    const store = freshStore();
    const start = Date.parse('2026-03-10T03:00:00Z');
    const logins: ActivityEvent[] = Array.from({ length: PDF_MAX_ROWS + 1 }, (_, i) => ({
      id: `many-${i}`,
      type: 'login',
      cause: 'refresh',
      at: new Date(start + i * 5_000).toISOString(),
      agentId: 'ana',
      agentName: 'Ana',
    }));
    await store.chunks.bulkAdd([toChunk(logins.slice(0, 5_000)), toChunk(logins.slice(5_000))]);
    const { output } = await run(store, { formats: ['pdf', 'csv'] });
    expect(output.rowCount).toBe(PDF_MAX_ROWS + 1);
    expect(output.files.map((file) => file.format)).toEqual(['csv']);
    const n = (count: number) => count.toLocaleString('en');
    expect(output.skipped).toEqual([
      {
        format: 'pdf',
        reason: `a PDF holds at most ${n(PDF_MAX_ROWS)} rows and this report has ${n(PDF_MAX_ROWS + 1)}: download the CSV or XLSX instead`,
      },
    ]);
    expect((await csvRecords(output.files[0]!.blob)).length).toBe(PDF_MAX_ROWS + 2);
  });

  it('reportFileChunks refuses a PDF over the limit with TooManyRowsForPdf', async () => {
    const rows = Array.from({ length: PDF_MAX_ROWS + 1 }, () => ['x']);
    const spec = {
      columns: [activity.columns[0]!],
      locale: 'en' as const,
      timeZone: TZ,
      title: 't',
      subtitleLines: [],
    };
    const refused = reportFileChunks('pdf', spec, rows);
    await expect(refused).rejects.toBeInstanceOf(TooManyRowsForPdf);
    await expect(refused).rejects.toMatchObject({ rows: PDF_MAX_ROWS + 1, limit: PDF_MAX_ROWS });
  });

  it('chart() draws the chart a report declares from its rows: agent-summary has one, activity none', async () => {
    const store = freshStore();
    await store.chunks.bulkAdd([
      toChunk(exampleB()),
      toChunk(exampleB({ date: '2026-03-09', agentId: 'ana', agentName: 'Ana' })),
      // After the run's "now" (09:00 on the 11th): not counted.
      toChunk(exampleB({ date: '2026-03-11', agentId: 'bia', agentName: 'Bia' })),
    ]);
    const summary = await run(store, { fromDate: '2026-03-09', toDate: '2026-03-11' }, 'agent-summary');
    const bar = (label: string) => ({
      label,
      value: 1_000_000,
      valueText: '00:16:40',
      part: 950_000,
      partText: '00:15:50',
    });
    expect(summary.runner.chart()).toEqual({
      type: 'bars',
      title: 'Logged in and on break, per agent and day',
      valueLabel: 'Logged in',
      restLabel: 'Available (logged in, not on break)',
      partLabel: 'On break',
      bars: [bar('Ana 2026-03-09'), bar(`Fabio Rocha ${DATE}`)],
      total: 2,
    });
    // Hiding a column the chart is drawn from leaves no chart rather than a wrong one.
    const hidden = await run(
      store,
      { fromDate: '2026-03-09', toDate: '2026-03-11', hiddenColumns: ['onBreak'] },
      'agent-summary',
    );
    expect(hidden.runner.chart()).toBeUndefined();
    const activityRun = await run(store, { fromDate: '2026-03-09', toDate: '2026-03-11' });
    expect(activityRun.runner.chart()).toBeUndefined();
    expect(new ReportJobRunner(store).chart()).toBeUndefined();
  });

  it('count() gives the rows a run would give, without writing files, for the filters set', async () => {
    const store = freshStore();
    const at = (time: string) => Date.parse(`${DATE}T${time}-03:00`);
    const sent = [mt(at('09:00:00')), mt(at('10:00:00'), { contact: '5511900000001' }), mt(at('11:00:00'))];
    await addChunk(store, 'message', [...sent, mt(Date.parse('2026-03-01T12:00:00Z'))]);
    await addChunk(store, 'message_status', [status(sent[0]!.messageId, at('09:00:05'), 'delivered')]);
    const counter = new ReportJobRunner(store);
    const input = (extra: Partial<ReportFilters>) => ({
      reportId: 'hsm-detailed',
      title: 'HSM',
      filters: filters(extra),
      now: NOW,
    });
    expect((await counter.count(input({}))).rows).toBe(3);
    // The count is what the run then gives, and it left nothing for page() or chart().
    expect((await run(store, {}, 'hsm-detailed')).output.rowCount).toBe(3);
    expect(counter.page(0, 10)).toEqual([]);
    expect((await counter.count(input({ fromDate: '2026-03-01', toDate: '2026-03-01' }))).rows).toBe(1);
    expect((await counter.count(input({ fromDate: '2026-03-02', toDate: '2026-03-03' }))).rows).toBe(0);
    // Filters the run would refuse: the same message, before any work.
    await expect(counter.count(input({ fromDate: '2026-01-01', toDate: DATE }))).rejects.toThrow(/31 days/);
  });

  it('count() also gives the columns the data decides, and the PDF header prints the period and agents as the form showed them', async () => {
    const store = await storeWithExampleB();
    await store.agents.put({ agentId: 'fabio.rocha', name: 'Fabio Rocha', lastAt: NOW });
    const counted = await new ReportJobRunner(store).count({
      reportId: 'agent-summary',
      title: 'Agent summary',
      filters: filters({ hiddenColumns: [], locale: 'pt-BR' }),
      now: NOW,
    });
    expect(counted.rows).toBe(1);
    expect(counted.columns.map((column) => column.key)).toEqual(
      expect.arrayContaining(['agentName', 'break:Training', 'break:Meeting']),
    );
    expect(counted.columns.find((column) => column.key === 'break:Training')?.label).toBe('Pausa - Training');

    const { output } = await run(store, { formats: ['pdf'], agentIds: ['fabio.rocha'], locale: 'pt-BR' });
    const [page] = await pdfPagesText(output.files[0]!.blob);
    expect(page).toContain('Período: 10/03/2026 – 10/03/2026');
    expect(page).toContain('Agentes: Fabio Rocha');
  });

  it('gives the preview each status’s explanation from the catalog, in the run’s locale', async () => {
    const store = freshStore();
    const at = Date.parse(`${DATE}T12:00:00Z`);
    const sent = mt(at);
    await addChunk(store, 'message', [sent]);
    await addChunk(store, 'message_status', [status(sent.messageId, at + 5_000, 'invalid_session')]);
    for (const [locale, label, explanation] of [
      ['en', 'Invalid session', /^Invalid session: no 24 h window was open/],
      ['pt-BR', 'Sessão inválida', /janela de 24 h/],
    ] as const) {
      const { runner, output } = await run(store, { locale }, 'hsm-detailed');
      const column = output.columns.findIndex((shown) => shown.key === 'status');
      expect(runner.page(0, 1)[0]![column]).toBe(label);
      expect(output.columns[column]!.explanations?.get(label)).toMatch(explanation);
      // Only the status columns explain their cells.
      expect(output.columns.filter((column) => column.explanations).map((column) => column.key)).toEqual([
        'status',
      ]);
    }
  });

  it('headline() is undefined for a report that declares none, and before any run', async () => {
    const store = freshStore();
    await addChunk(store, 'message', [mt(Date.parse(`${DATE}T12:00:00Z`))]);
    const hsm = await run(store, {}, 'hsm-consolidated');
    expect(hsm.output.rowCount).toBe(1);
    expect(hsm.runner.headline()).toBeUndefined();
    expect(new ReportJobRunner(store).headline()).toBeUndefined();
  });

  it('a campaign filter names a campaign of the data, however old its record; another is refused, in the language asked', async () => {
    const store = freshStore();
    const at = Date.parse(`${DATE}T12:00:00Z`);
    await addChunk(store, 'campaign', [
      {
        id: 'c-1',
        type: 'campaign',
        // Created months before the period: still known, and still named in the rows.
        at: '2025-12-01T12:00:00Z',
        campaignId: 'black-friday',
        name: 'Black Friday',
        channel: 'whatsapp',
        status: 'running',
      },
    ]);
    await addChunk(store, 'message', [
      mt(at, { origin: 'broadcast', campaignId: 'black-friday' }),
      mt(at + 60_000, { origin: 'broadcast' }),
    ]);
    const runner = new ReportJobRunner(store);
    const input = (campaign: string, locale: 'en' | 'pt-BR' = 'en') => ({
      reportId: 'messages-detailed',
      title: 'Messages',
      filters: filters({ options: { campaign }, locale }),
      now: NOW,
    });
    expect((await runner.count(input('black-friday'))).rows).toBe(1);
    const run = await runner.run(
      { ...input('black-friday'), filters: { ...input('black-friday').filters, formats: [] } },
      () => undefined,
    );
    const campaignColumn = run.columns.findIndex((column) => column.key === 'campaign');
    expect(runner.page(0, 1)[0]?.[campaignColumn]).toBe('Black Friday');
    await expect(runner.count(input('cyber-monday'))).rejects.toThrow(
      'Campaign: there is no "cyber-monday" in the data; check the spelling',
    );
    await expect(runner.count(input('cyber-monday', 'pt-BR'))).rejects.toThrow(
      'Campanha: não há "cyber-monday" nos dados; confira a grafia',
    );
    await expect(runner.count(input('cyber-monday'))).rejects.toBeInstanceOf(JobError);
  });

  it('attendance-history: fed to the report chunk by chunk, the same rows as computing over every record', async () => {
    const store = freshStore();
    const records = attendanceDay();
    // Several chunks per kind, as sync stores them.
    for (const kind of ['ticket', 'message'] as const) {
      const ofKind = records.filter((record) => record.type === kind);
      for (let start = 0; start < ofKind.length; start += 4)
        await addChunk(store, kind, ofKind.slice(start, start + 4));
    }
    const runner = new ReportJobRunner(store);
    const input = (hiddenColumns: string[]) => ({
      reportId: 'attendance-history',
      title: 'Attendance history',
      filters: filters({ fromDate: '2026-03-10', toDate: '2026-03-10', hiddenColumns, formats: ['csv'] }),
      now: NOW,
    });
    const output = await runner.run(input([]), () => undefined);
    const expected = runAttendance(attendanceHistory, records);
    expect(output.rowCount).toBe(expected.length);
    expect((await csvRecords(output.files[0]!.blob)).slice(1)).toEqual(expected);
    expect(runner.page(1, 1)).toEqual([expected[1]]);
    // Sorted by a column of rows made on reading: tickets last to first, each one's in its order.
    const byTicketDown = [...expected].sort((a, b) => (a[0]! < b[0]! ? 1 : a[0]! > b[0]! ? -1 : 0));
    expect(runner.page(0, expected.length, { column: 0, descending: true })).toEqual(byTicketDown);
    // A hidden column: the rows made on reading are mapped like any other.
    const hidden = await runner.run(input(['contract']), () => undefined);
    expect((await csvRecords(hidden.files[0]!.blob)).slice(1)).toEqual(
      expected.map((row) => row.slice(0, -1)),
    );
  });

  it('ticket-detail: the PDF is the transcript, written with the fonts the edge loads; an unknown ticket is refused', async () => {
    const store = freshStore();
    const records = attendanceDay();
    await addChunk(
      store,
      'ticket',
      records.filter((record) => record.type === 'ticket'),
    );
    await addChunk(
      store,
      'message',
      records.filter((record) => record.type === 'message'),
    );
    let loads = 0;
    const runner = new ReportJobRunner(store, () => {
      loads++;
      return loadTranscriptFonts();
    });
    const input = (ticket: string, formats: ReportFilters['formats']) => ({
      reportId: 'ticket-detail',
      title: 'Ticket detail',
      // No period: the whole conversation, as the ⋮ menu asks.
      filters: filters({ fromDate: '', toDate: '', hiddenColumns: [], options: { ticket }, formats }),
      now: NOW,
    });
    const csv = await runner.run(input('T-1', ['csv']), () => undefined);
    expect(loads).toBe(0);
    expect((await csvRecords(csv.files[0]!.blob)).length).toBe(5);
    const pdf = await runner.run(input('T-1', ['pdf']), () => undefined);
    expect(loads).toBe(1);
    expect(pdf.skipped).toEqual([]);
    const [page = ''] = await pdfPagesText(pdf.files[0]!.blob);
    expect(page).toContain('Ticket T-1');
    expect(page).toContain('Carla 2026-03-10 10:06:00 Minha fatura está errada 😀');
    await expect(runner.count(input('T-9', ['pdf']))).rejects.toThrow(
      'Ticket: there is no "T-9" in the data',
    );
  });
});
