import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { generateEvents } from '../../bench/generate.ts';
import { generateMessaging } from '../../bench/generate-messaging.ts';
import { writeJsonLines } from '../../bench/jsonl-file.ts';
import { REPORTS } from '../../shared/reports/registry.ts';
import { pdfPagesText } from '../../shared/testing/pdf-text.ts';
import { scenarioEvents } from '../../shared/testing/scenario.ts';

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pontual-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pontual(args: string[], options: { stdin?: string; nodeArgs?: string[] } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const TZ = 'America/Sao_Paulo';
const exampleB = scenarioEvents(
  [
    ['09:58:10', 'login', 'page_load'],
    ['09:59:00', 'break', 'Training'],
    ['10:07:42', 'login', 'refresh'],
    ['10:10:00', 'break', 'Meeting'],
    ['10:14:50', 'logout'],
  ],
  { timeZone: TZ, date: '2026-03-10', ip: '203.0.113.7' },
);
const exampleFile = join(dir, 'example-b.jsonl');
writeFileSync(exampleFile, `${exampleB.map((event) => JSON.stringify(event)).join('\n')}\n`);
const common = ['--tz', TZ, '--as-of', '2026-03-11'];

const csvRows = (text: string) => parse(text, { delimiter: ';', bom: true }) as string[][];

describe('pontual CLI', () => {
  it('lists the reports', async () => {
    const run = await pontual(['reports']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').map((line) => line.split(' ')[0])).toEqual([
      ...REPORTS.map((report) => report.id),
      '',
    ]);
  });

  it('adds the Cause column with --show, leaves columns out with --hide, and names a wrong key', async () => {
    const run = await pontual([
      'report',
      'activity',
      '--input',
      'example-b.jsonl',
      '--show',
      'cause',
      '--hide',
      'startDate,endDate,userIp',
      ...common,
    ]);
    expect(run.stderr).toBe('');
    const rows = csvRows(run.stdout);
    expect(rows[0]).toEqual(['Agent Name', 'Activity Type', 'Start Time', 'End Time', 'Duration', 'Cause']);
    // The second login of example B follows a refresh; breaks have no cause.
    expect(rows.slice(1).map((row) => [row[1], row[5]])).toEqual([
      ['Login', 'Login'],
      ['Break - Training', ''],
      ['Login', 'Refresh (F5)'],
      ['Break - Training', ''],
      ['Break - Meeting', ''],
      ['Logout', ''],
    ]);
    const wrong = await pontual([
      'report',
      'activity',
      '--input',
      'example-b.jsonl',
      '--show',
      'causa',
      ...common,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--show: "causa" is not a column of activity (one of: agentName,');
  });

  it('turns example B into the Activity CSV', async () => {
    const run = await pontual(['report', 'activity', '--input', 'example-b.jsonl', ...common]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(csvRows(run.stdout)).toEqual([
      [
        'Agent Name',
        'Activity Type',
        'Start Date',
        'Start Time',
        'End Date',
        'End Time',
        'Duration',
        'User IP',
      ],
      ['Fabio Rocha', 'Login', '2026-03-10', '09:58:10', '2026-03-10', '10:07:42', '00:09:32', '203.0.113.7'],
      [
        'Fabio Rocha',
        'Break - Training',
        '2026-03-10',
        '09:59:00',
        '2026-03-10',
        '10:07:42',
        '00:08:42',
        '203.0.113.7',
      ],
      ['Fabio Rocha', 'Login', '2026-03-10', '10:07:42', '2026-03-10', '10:14:50', '00:07:08', '203.0.113.7'],
      [
        'Fabio Rocha',
        'Break - Training',
        '2026-03-10',
        '10:07:42',
        '2026-03-10',
        '10:10:00',
        '00:02:18',
        '203.0.113.7',
      ],
      [
        'Fabio Rocha',
        'Break - Meeting',
        '2026-03-10',
        '10:10:00',
        '2026-03-10',
        '10:14:50',
        '00:04:50',
        '203.0.113.7',
      ],
      [
        'Fabio Rocha',
        'Logout',
        '2026-03-10',
        '10:14:50',
        '2026-03-10',
        '10:14:50',
        '00:00:00',
        '203.0.113.7',
      ],
    ]);
  });

  it('reads standard input, writes pt-BR JSON to a file', async () => {
    const input = readFileSync(exampleFile, 'utf8');
    const run = await pontual(
      [
        'report',
        'login-logout',
        '--input',
        '-',
        '--format',
        'json',
        '--locale',
        'pt-BR',
        '--out',
        'out.json',
        ...common,
      ],
      { stdin: input },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual([
      {
        userId: 'fabio.rocha',
        name: 'Fabio Rocha',
        action: 'Login',
        dateTime: '10/03/2026 09:58:10',
        ip: '203.0.113.7',
        cause: 'Login',
      },
      {
        userId: 'fabio.rocha',
        name: 'Fabio Rocha',
        action: 'Login',
        dateTime: '10/03/2026 10:07:42',
        ip: '203.0.113.7',
        cause: 'Atualização (F5)',
      },
      {
        userId: 'fabio.rocha',
        name: 'Fabio Rocha',
        action: 'Logout',
        dateTime: '10/03/2026 10:14:50',
        ip: '203.0.113.7',
        cause: null,
      },
    ]);
  });

  it('writes XLSX and PDF files that readers open', async () => {
    const xlsx = await pontual([
      'report',
      'agent-summary',
      '--input',
      'example-b.jsonl',
      '--format',
      'xlsx',
      '--out',
      'summary.xlsx',
      ...common,
    ]);
    expect(xlsx.code).toBe(0);
    const book = XLSX.read(readFileSync(join(dir, 'summary.xlsx')));
    const sheet = book.Sheets[book.SheetNames[0]!]!;
    const table = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet, { raw: false });
    expect(table).toHaveLength(1);
    expect(table[0]).toMatchObject({
      'Agent Name': 'Fabio Rocha',
      'Logged In': '0:16:40',
      'Logins: refresh': '1',
    });

    const pdf = await pontual([
      'report',
      'activity',
      '--input',
      'example-b.jsonl',
      '--format',
      'pdf',
      '--out',
      'a.pdf',
      ...common,
    ]);
    expect(pdf.code).toBe(0);
    expect(readFileSync(join(dir, 'a.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('draws messages-consolidated’s per-day chart in its PDF', async () => {
    const day = Date.UTC(2026, 2, 10, 12);
    const records = [
      { id: 'm1', type: 'message', at: new Date(day).toISOString(), messageId: 'w1', channel: 'whatsapp' },
      {
        id: 'm2',
        type: 'message',
        at: new Date(day + 86_400_000).toISOString(),
        messageId: 'w2',
        channel: 'whatsapp',
      },
    ].map((message) => ({
      ...message,
      direction: 'MT',
      contact: '5511987654321',
      business: '551133334444',
      contentType: 'template',
      origin: 'api',
    }));
    const statuses = [
      {
        id: 's1',
        type: 'message_status',
        at: new Date(day + 5_000).toISOString(),
        messageId: 'w1',
        status: 'delivered',
      },
      {
        id: 's2',
        type: 'message_status',
        at: new Date(day + 86_405_000).toISOString(),
        messageId: 'w2',
        status: 'failed',
      },
    ];
    writeFileSync(
      join(dir, 'messages.jsonl'),
      `${[...records, ...statuses].map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
    const run = await pontual([
      ...[
        'report',
        'messages-consolidated',
        '--input',
        'messages.jsonl',
        '--format',
        'pdf',
        '--out',
        'mc.pdf',
      ],
      ...['--tz', TZ, '--locale', 'pt-BR', '--from', '2026-03-10', '--to', '2026-03-12'],
    ]);
    expect(run.code).toBe(0);
    const [page] = await pdfPagesText(readFileSync(join(dir, 'mc.pdf')));
    expect(page).toContain(
      'Entregues e com falha por dia Entregues Falhas 0 1 2 3 4 10/03/2026 11/03/2026 Data',
    );
  });

  it('corrects a device clock 3 h fast by its measured offset; --device-time shows the clock as it was', async () => {
    // Example B as pulled from a server: stamped by a PC 3 h fast, each push's offset measured.
    const fast = exampleB.map((event, index) => ({
      ...event,
      at: new Date(Date.parse(event.at) + 3 * 3_600_000).toISOString(),
      deviceId: 'pc-1',
      clockOffsetMs: -3 * 3_600_000 + [40, 40, 2_600, 35, 38][index]!,
    }));
    writeFileSync(join(dir, 'fast.jsonl'), `${fast.map((event) => JSON.stringify(event)).join('\n')}\n`);
    const times = (csv: string) =>
      csvRows(csv)
        .slice(1)
        .map((row) => [row[1], row[3], row[5]]);

    const corrected = await pontual(['report', 'activity', '--input', 'fast.jsonl', ...common]);
    expect(corrected.stderr).toBe('');
    expect(times(corrected.stdout)).toEqual([
      ['Login', '09:58:10', '10:07:42'],
      ['Break - Training', '09:59:00', '10:07:42'],
      ['Login', '10:07:42', '10:14:50'],
      ['Break - Training', '10:07:42', '10:10:00'],
      ['Break - Meeting', '10:10:00', '10:14:50'],
      ['Logout', '10:14:50', '10:14:50'],
    ]);
    // Spilled to per-agent partitions, the same.
    const spilled = await pontual([
      'report',
      'activity',
      '--input',
      'fast.jsonl',
      '--memory-events',
      '2',
      ...common,
    ]);
    expect(spilled.stdout).toBe(corrected.stdout);

    const raw = await pontual(['report', 'activity', '--input', 'fast.jsonl', '--device-time', ...common]);
    expect(raw.stderr).toBe('');
    expect(times(raw.stdout)).toEqual([
      ['Login', '12:58:10', '13:07:42'],
      ['Break - Training', '12:59:00', '13:07:42'],
      ['Login', '13:07:42', '13:14:50'],
      ['Break - Training', '13:07:42', '13:10:00'],
      ['Break - Meeting', '13:10:00', '13:14:50'],
      ['Logout', '13:14:50', '13:14:50'],
    ]);

    // A file says which clock it shows.
    const pdf = await pontual([
      ...['report', 'activity', '--input', 'fast.jsonl', '--device-time', '--format', 'pdf'],
      ...['--out', 'raw.pdf', ...common],
    ]);
    expect(pdf.code).toBe(0);
    const [page] = await pdfPagesText(readFileSync(join(dir, 'raw.pdf')));
    expect(page).toContain('Device clocks, not corrected');
    expect(page).toContain('12:58:10');
  });

  it('stops at a bad line, naming the line and the field, and writes nothing', async () => {
    const lines = readFileSync(exampleFile, 'utf8').split('\n');
    lines.splice(2, 0, JSON.stringify({ ...exampleB[0], id: 'x', at: '2026-03-10 10:00' }));
    writeFileSync(join(dir, 'bad.jsonl'), lines.join('\n'));
    const run = await pontual([
      'report',
      'activity',
      '--input',
      'bad.jsonl',
      '--out',
      'never.csv',
      ...common,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('pontual: bad.jsonl:3: at: must be an ISO-8601 instant with Z or an offset\n');
    expect(() => readFileSync(join(dir, 'never.csv'))).toThrow();
  });

  it('--skip-invalid keeps the good lines and lists the skipped ones', async () => {
    const lines = readFileSync(exampleFile, 'utf8').trim().split('\n');
    lines.splice(1, 0, '{"id": "broken"');
    lines.splice(4, 0, JSON.stringify({ ...exampleB[0], id: 'y', type: 'pause' }));
    writeFileSync(join(dir, 'some-bad.jsonl'), lines.join('\n'));
    const run = await pontual([
      'report',
      'activity',
      '--input',
      'some-bad.jsonl',
      '--skip-invalid',
      ...common,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe('pontual: skipped 2 invalid lines of some-bad.jsonl: 2, 5');
    expect(run.stderr).toContain('some-bad.jsonl:5: type:');
    expect(csvRows(run.stdout)).toHaveLength(7);
  });

  it.each([
    [
      ['report', 'nope', '--input', 'x'],
      `pontual: unknown report "nope" (one of: ${REPORTS.map((report) => report.id).join(', ')})\n`,
    ],
    [
      ['report', 'activity', '--input', 'example-b.jsonl', '--tz', 'Mars/Base'],
      'pontual: unknown time zone "Mars/Base"',
    ],
    [
      ['report', 'activity', '--input', 'example-b.jsonl', '--from', '2026-02-30'],
      'pontual: from "2026-02-30" is not a date',
    ],
    [
      ['report', 'activity', '--input', 'example-b.jsonl', '--from', '2026-01-01', '--to', '2026-03-01'],
      'pontual: the activity report covers at most 31 days; this period has 59',
    ],
    [
      ['report', 'activity', '--input', 'missing.jsonl'],
      'pontual: cannot read missing.jsonl: no such file\n',
    ],
    [
      ['report', 'activity', '--input', 'example-b.jsonl', '--format', 'doc'],
      'pontual: unknown format "doc"',
    ],
    [['report', 'activity', '--bogus'], "pontual: unknown option '--bogus'"],
    [['frobnicate'], 'pontual: unknown command "frobnicate"'],
  ])('a user error is one line and exit code 2: %j', async (args, message) => {
    const run = await pontual(args);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('pontual CLI on large inputs', () => {
  const writeGenerated = (path: string, agents: number, days: number) =>
    writeJsonLines(path, generateEvents({ agents, days, seed: 7 }));
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('spilling to disk gives byte-identical files for every report', async () => {
    await writeGenerated(join(dir, 'month.jsonl'), 30, 6);
    for (const id of ['activity', 'login-logout', 'agent-summary']) {
      const args = ['report', id, '--input', 'month.jsonl', ...common, '--split-days'];
      const inMemory = await pontual([...args, '--out', `${id}-memory.csv`]);
      const spilled = await pontual([...args, '--out', `${id}-spilled.csv`, '--memory-events', '500']);
      expect(inMemory.code).toBe(0);
      expect(spilled.code).toBe(0);
      expect(sha(join(dir, `${id}-spilled.csv`))).toBe(sha(join(dir, `${id}-memory.csv`)));
      expect(readFileSync(join(dir, `${id}-memory.csv`), 'utf8').split('\r\n').length).toBeGreaterThan(30);
    }
  }, 240_000);

  it('a file several times larger than the heap still gives the whole report', async () => {
    const count = await writeGenerated(join(dir, 'big.jsonl'), 600, 2);
    const size = readFileSync(join(dir, 'big.jsonl')).length;
    const heapMb = 64;
    expect(size).toBeGreaterThan(2 * heapMb * 1024 * 1024);
    const args = ['report', 'activity', '--input', 'big.jsonl', ...common];
    const small = await pontual([...args, '--out', 'big-small-heap.csv'], {
      nodeArgs: [`--max-old-space-size=${heapMb}`],
    });
    expect(small.stderr).toBe('');
    expect(small.code).toBe(0);
    const normal = await pontual([...args, '--out', 'big-normal.csv']);
    expect(normal.code).toBe(0);
    expect(sha(join(dir, 'big-small-heap.csv'))).toBe(sha(join(dir, 'big-normal.csv')));
    expect(count).toBeGreaterThan(500_000);
  }, 240_000);
});

describe('pontual CLI: the messaging reports', () => {
  const file = join(dir, 'messaging.jsonl');
  const period = ['--tz', TZ, '--from', '2026-03-02', '--to', '2026-03-07'];
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('spilling to disk gives byte-identical files for all seven messaging reports', async () => {
    const records = [...generateMessaging({ messages: 3_000, days: 5, seed: 11, contacts: 600 })];
    writeFileSync(file, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const seven = [
      'hsm-detailed',
      'hsm-consolidated',
      'broadcast-detailed',
      'broadcast-consolidated',
      'messages-detailed',
      'messages-consolidated',
      'official-messages',
    ];
    expect(REPORTS.map((report) => report.id)).toEqual(expect.arrayContaining(seven));
    const runs: [string, string[]][] = [
      ...seven.map((id): [string, string[]] => [id, []]),
      ['messages-detailed', ['--direction', 'MO']],
    ];
    expect(runs).toHaveLength(8);
    for (const [id, extra] of runs) {
      const name = `${id}${extra.join('')}`;
      const args = ['report', id, '--input', 'messaging.jsonl', ...period, ...extra];
      const inMemory = await pontual([...args, '--out', `${name}-memory.csv`]);
      const spilled = await pontual([...args, '--out', `${name}-spilled.csv`, '--memory-events', '500']);
      expect(inMemory.stderr).toBe('');
      expect(spilled.stderr).toBe('');
      expect(sha(join(dir, `${name}-spilled.csv`)), name).toBe(sha(join(dir, `${name}-memory.csv`)));
      const rows = csvRows(readFileSync(join(dir, `${name}-memory.csv`), 'utf8'));
      // Every report has rows (the consolidated ones a few: days, campaigns, one total).
      expect(rows.length, name).toBeGreaterThan(id.endsWith('-consolidated') ? 1 : 100);
    }
  }, 300_000);

  it.each([
    [
      ['report', 'official-messages', '--input', 'messaging.jsonl', '--tz', TZ],
      'pontual: pick a period, or a campaign instead of one\n',
    ],
    [
      ['report', 'official-messages', '--input', 'messaging.jsonl', '--locale', 'pt-BR', '--tz', TZ],
      'pontual: escolha um período, ou uma campanha no lugar dele\n',
    ],
    [
      ['report', 'official-messages', '--input', 'messaging.jsonl', '--campaign', 'Natal', '--tz', TZ],
      'pontual: Campaign: there is no "Natal" in the data; check the spelling\n',
    ],
    [
      [
        'report',
        'messages-detailed',
        '--input',
        'messaging.jsonl',
        '--from',
        '2026-01-01',
        '--to',
        '2026-04-02',
      ],
      'pontual: the messages-detailed report covers at most 90 days; this period has 91',
    ],
  ])('bad input is one line in the user’s language and exit code 2: %j', async (args, message) => {
    if (!existsSync(file))
      writeFileSync(
        file,
        `${[...generateMessaging({ messages: 50, days: 1 })].map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
    const run = await pontual(args);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('runs the last 7 days by default, and one campaign instead of a period', async () => {
    const lastWeek = await pontual([
      ...['report', 'messages-consolidated', '--input', 'messaging.jsonl', '--tz', TZ],
      ...['--as-of', '2026-03-05T12:00'],
    ]);
    expect(lastWeek.code).toBe(0);
    expect(csvRows(lastWeek.stdout).map((row) => row[0])).toEqual([
      'Date',
      ...['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'],
      '',
    ]);
    const campaign = await pontual([
      ...[
        'report',
        'official-messages',
        '--input',
        'messaging.jsonl',
        '--tz',
        TZ,
        '--campaign',
        'Campaign 0',
      ],
    ]);
    expect(campaign.stderr).toBe('');
    const rows = csvRows(campaign.stdout);
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.slice(1).map((row) => row[9]))).toEqual(new Set(['Campaign 0']));
  });
});
