import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import { type Step, scenarioEvents } from '../testing/scenario.ts';
import { activity } from './activity.ts';
import { validateRequest } from './params.ts';
import type { ReportResult } from './types.ts';

const TZ = 'America/Sao_Paulo';
const DATE = '2026-03-10';

function run(
  steps: Step[],
  request: { asOf?: string; splitDays?: boolean; from?: string; to?: string } = {},
) {
  const checked = validateRequest(activity, {
    timeZone: TZ,
    locale: 'en',
    asOf: `${DATE}T23:59:59`,
    ...request,
  });
  if (!checked.ok) throw new Error(checked.error);
  return activity.compute(
    scenarioEvents(steps, { timeZone: TZ, date: DATE, ip: '203.0.113.7' }),
    checked.params,
  );
}

/** The DESIGN tables' columns: name, type, start time, end time, duration. */
function table(result: ReportResult): string[][] {
  const fmt = new CellFormatter('en', TZ);
  return result.rows.map((row) => [
    String(row[0]),
    String(row[1]),
    fmt.format('time', row[3] ?? null),
    fmt.format('time', row[5] ?? null),
    fmt.format('duration', row[6] ?? null),
  ]);
}

describe('activity report — DESIGN §4 worked examples', () => {
  it('A. break, F5, logout', () => {
    const result = run([
      ['15:41:00', 'login', 'page_load'],
      ['15:44:00', 'break'],
      ['15:53:00', 'available'],
      ['16:01:00', 'login', 'refresh'],
      ['16:02:00', 'logout'],
    ]);
    expect(table(result)).toEqual([
      ['Fabio Rocha', 'Login', '15:41:00', '16:01:00', '00:20:00'],
      ['Fabio Rocha', 'Break', '15:44:00', '15:53:00', '00:09:00'],
      ['Fabio Rocha', 'Login', '16:01:00', '16:02:00', '00:01:00'],
      ['Fabio Rocha', 'Logout', '16:02:00', '16:02:00', '00:00:00'],
    ]);
    const fmt = new CellFormatter('en', TZ);
    expect(fmt.format('date', result.rows[0]![2]!)).toBe('2026-03-10');
    expect(result.rows.every((row) => row[7] === '203.0.113.7')).toBe(true);
  });

  it('the optional Cause column names what opened each Login row, and is off by default', () => {
    const result = run([
      ['15:41:00', 'login', 'page_load'],
      ['15:44:00', 'break'],
      ['16:01:00', 'login', 'refresh'],
      ['16:30:00', 'login', 'network_change'],
      ['16:40:00', 'logout'],
    ]);
    expect(result.rows.map((row) => [row[1], row[8]])).toEqual([
      ['Login', 'Login'],
      ['Break', null],
      ['Login', 'Refresh (F5)'],
      ['Break', null],
      ['Login', 'Network change'],
      ['Break', null],
      ['Logout', null],
    ]);
    expect(activity.columns.filter((column) => column.hiddenByDefault).map((column) => column.key)).toEqual([
      'cause',
    ]);
  });

  it('rule 7: rows still tied keep the order of the events that opened them', () => {
    // Two zero-length breaks opened at one instant: same agent, start, kind and end.
    const result = run([
      ['10:00:00', 'login', 'page_load'],
      ['10:00:00', 'break', 'Zeta'],
      ['10:00:00', 'break', 'Alpha'],
      ['10:00:00', 'available'],
      ['10:05:00', 'logout'],
    ]);
    expect(result.rows.map((row) => row[1])).toEqual(['Login', 'Break - Zeta', 'Break - Alpha', 'Logout']);
  });

  it('B. F5 during a break', () => {
    const result = run([
      ['09:58:10', 'login', 'page_load'],
      ['09:59:00', 'break', 'Training'],
      ['10:07:42', 'login', 'refresh'],
      ['10:10:00', 'break', 'Meeting'],
      ['10:14:50', 'logout'],
    ]);
    expect(table(result)).toEqual([
      ['Fabio Rocha', 'Login', '09:58:10', '10:07:42', '00:09:32'],
      ['Fabio Rocha', 'Break - Training', '09:59:00', '10:07:42', '00:08:42'],
      ['Fabio Rocha', 'Login', '10:07:42', '10:14:50', '00:07:08'],
      ['Fabio Rocha', 'Break - Training', '10:07:42', '10:10:00', '00:02:18'],
      ['Fabio Rocha', 'Break - Meeting', '10:10:00', '10:14:50', '00:04:50'],
      ['Fabio Rocha', 'Logout', '10:14:50', '10:14:50', '00:00:00'],
    ]);
  });

  it('C. token renewal during a long break', () => {
    const result = run([
      ['08:00:00', 'login', 'page_load'],
      ['08:00:03', 'break', 'Lunch'],
      ['10:00:00', 'login', 'token_renewal'],
      ['12:00:00', 'login', 'token_renewal'],
      ['12:30:00', 'available'],
      ['13:00:00', 'logout'],
    ]);
    expect(table(result)).toEqual([
      ['Fabio Rocha', 'Login', '08:00:00', '10:00:00', '02:00:00'],
      ['Fabio Rocha', 'Break - Lunch', '08:00:03', '10:00:00', '01:59:57'],
      ['Fabio Rocha', 'Login', '10:00:00', '12:00:00', '02:00:00'],
      ['Fabio Rocha', 'Break - Lunch', '10:00:00', '12:00:00', '02:00:00'],
      ['Fabio Rocha', 'Login', '12:00:00', '13:00:00', '01:00:00'],
      ['Fabio Rocha', 'Break - Lunch', '12:00:00', '12:30:00', '00:30:00'],
      ['Fabio Rocha', 'Logout', '13:00:00', '13:00:00', '00:00:00'],
    ]);
  });
});

describe('activity report — the other rules', () => {
  it('rule 4: a status with no login opens a Login row; a lone logout adds only its row', () => {
    expect(
      table(
        run([
          ['07:00:00', 'logout'],
          ['08:00:00', 'break', 'Lunch'],
          ['08:30:00', 'available'],
          ['09:00:00', 'logout'],
        ]),
      ),
    ).toEqual([
      ['Fabio Rocha', 'Logout', '07:00:00', '07:00:00', '00:00:00'],
      ['Fabio Rocha', 'Login', '08:00:00', '09:00:00', '01:00:00'],
      ['Fabio Rocha', 'Break - Lunch', '08:00:00', '08:30:00', '00:30:00'],
      ['Fabio Rocha', 'Logout', '09:00:00', '09:00:00', '00:00:00'],
    ]);
  });

  it('rule 2: the same break reason again is no change; another reason starts a new row', () => {
    expect(
      table(
        run([
          ['08:00:00', 'login', 'page_load'],
          ['08:10:00', 'break', 'Lunch'],
          ['08:20:00', 'break', 'Lunch'],
          ['08:30:00', 'break', 'Meeting'],
          ['08:40:00', 'available'],
          ['08:50:00', 'logout'],
        ]),
      ).map((row) => row.slice(1)),
    ).toEqual([
      ['Login', '08:00:00', '08:50:00', '00:50:00'],
      ['Break - Lunch', '08:10:00', '08:30:00', '00:20:00'],
      ['Break - Meeting', '08:30:00', '08:40:00', '00:10:00'],
      ['Logout', '08:50:00', '08:50:00', '00:00:00'],
    ]);
  });

  it('rule 5: open rows run to the as-of instant, or end at a silent session’s last sign of life', () => {
    const steps: Step[] = [
      ['08:00:00', 'login', 'page_load'],
      ['08:05:00', 'break', 'Lunch'],
    ];
    const ongoing = run(steps, { asOf: `${DATE}T09:00:00` });
    expect(table(ongoing).map((row) => row.slice(1))).toEqual([
      ['Login', '08:00:00', '', '01:00:00'],
      ['Break - Lunch', '08:05:00', '', '00:55:00'],
    ]);

    const withHeartbeats = scenarioEvents([...steps, ['08:20:00', 'heartbeat']], {
      timeZone: TZ,
      date: DATE,
      sessionId: 's-1',
    });
    const checked = validateRequest(activity, { timeZone: TZ, locale: 'en', asOf: `${DATE}T09:00:00` });
    if (!checked.ok) throw new Error(checked.error);
    expect(table(activity.compute(withHeartbeats, checked.params)).map((row) => row.slice(1))).toEqual([
      ['Login', '08:00:00', '08:20:00', '00:20:00'],
      ['Break - Lunch', '08:05:00', '08:20:00', '00:15:00'],
    ]);
    // Two minutes of silence is not yet a dead session.
    const recent = validateRequest(activity, { timeZone: TZ, locale: 'en', asOf: `${DATE}T08:22:00` });
    if (!recent.ok) throw new Error(recent.error);
    expect(table(activity.compute(withHeartbeats, recent.params)).map((row) => row[3])).toEqual(['', '']);
  });

  it('rule 5: open rows of a past period run to the period end', () => {
    const result = run([['22:00:00', 'login', 'page_load']], {
      from: '2026-03-10',
      to: '2026-03-11',
      asOf: '2026-03-20',
    });
    expect(table(result)).toEqual([['Fabio Rocha', 'Login', '22:00:00', '', '02:00:00']]);
  });

  it('rule 8 and the midnight split', () => {
    const steps: Step[] = [
      ['22:00:00', 'login', 'page_load'],
      ['23:00:00', 'break', 'Late'],
    ];
    const events = [
      ...scenarioEvents(steps, { timeZone: TZ, date: DATE }),
      ...scenarioEvents([['01:30:00', 'logout']], {
        timeZone: TZ,
        date: '2026-03-11',
        agentId: 'fabio.rocha',
      }).map((event) => ({ ...event, id: 'last' })),
    ];
    const params = (request: { splitDays: boolean; from?: string; to?: string }) => {
      const checked = validateRequest(activity, {
        timeZone: TZ,
        locale: 'en',
        asOf: '2026-03-12',
        ...request,
      });
      if (!checked.ok) throw new Error(checked.error);
      return checked.params;
    };
    expect(table(activity.compute(events, params({ splitDays: true }))).map((row) => row.slice(1))).toEqual([
      ['Login', '22:00:00', '00:00:00', '02:00:00'],
      ['Break - Late', '23:00:00', '00:00:00', '01:00:00'],
      ['Login', '00:00:00', '01:30:00', '01:30:00'],
      ['Break - Late', '00:00:00', '01:30:00', '01:30:00'],
      ['Logout', '01:30:00', '01:30:00', '00:00:00'],
    ]);
    // Only what starts on the 11th.
    expect(
      table(activity.compute(events, params({ splitDays: true, from: '2026-03-11', to: '2026-03-12' }))).map(
        (row) => row[1],
      ),
    ).toEqual(['Login', 'Break - Late', 'Logout']);
    // Without the split the night is one Login row of the 10th.
    expect(
      table(activity.compute(events, params({ splitDays: false, from: DATE, to: '2026-03-11' }))),
    ).toEqual([
      ['Fabio Rocha', 'Login', '22:00:00', '01:30:00', '03:30:00'],
      ['Fabio Rocha', 'Break - Late', '23:00:00', '01:30:00', '02:30:00'],
    ]);
  });

  it('rule 6 and 7: IP falls back to the Login row; agents sorted by their latest name', () => {
    const zed = scenarioEvents(
      [
        ['08:00:00', 'login', 'page_load'],
        ['08:10:00', 'break', 'Lunch'],
      ],
      { timeZone: TZ, date: DATE, agentId: 'z', agentName: 'Zed', ip: '198.51.100.1' },
    );
    const renamed = scenarioEvents(
      [
        ['09:00:00', 'login', 'page_load'],
        ['09:30:00', 'logout'],
      ],
      { timeZone: TZ, date: DATE, agentId: 'a', agentName: 'Old Name' },
    );
    renamed[1] = { ...renamed[1]!, agentName: 'Ana' };
    const checked = validateRequest(activity, { timeZone: TZ, locale: 'pt-BR', asOf: `${DATE}T10:00:00` });
    if (!checked.ok) throw new Error(checked.error);
    const rows = activity.compute([...zed, ...renamed], checked.params).rows;
    expect(rows.map((row) => [row[0], row[1], row[7]])).toEqual([
      ['Ana', 'Login', null],
      ['Ana', 'Logout', null],
      ['Zed', 'Login', '198.51.100.1'],
      ['Zed', 'Pausa - Lunch', '198.51.100.1'],
    ]);
  });
});
