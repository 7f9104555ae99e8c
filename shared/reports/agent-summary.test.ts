import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import { type Step, scenarioEvents } from '../testing/scenario.ts';
import { agentSummary } from './agent-summary.ts';
import { mergeColumns, rowRemapper } from './merge.ts';
import { validateRequest } from './params.ts';
import type { ReportResult } from './types.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
const MINUTE = 60_000;

function run(events: ReturnType<typeof scenarioEvents>, agentIds?: string[]): ReportResult {
  const checked = validateRequest(agentSummary, {
    timeZone: TZ,
    locale: 'en',
    from: '2026-03-10',
    to: '2026-03-12',
    asOf: '2026-03-12',
    agentIds,
  });
  if (!checked.ok) throw new Error(checked.error);
  return agentSummary.compute(events, checked.params);
}

/** Each row as `{ column key: value }`, dates and times shown, so the test reads like the docs' table. */
function byKey(result: ReportResult): Record<string, unknown>[] {
  const fmt = new CellFormatter('en', TZ);
  return result.rows.map((row) =>
    Object.fromEntries(
      result.columns.map((column, index) => {
        const value = row[index] ?? null;
        const shown =
          column.type === 'date' || column.type === 'time' ? fmt.format(column.type, value) : value;
        return [column.key, shown];
      }),
    ),
  );
}

const fabio: Step[] = [
  ['08:00:00', 'login', 'page_load'],
  ['10:00:00', 'break', 'Coffee'],
  ['10:15:00', 'available'],
  ['12:00:00', 'login', 'refresh'],
  ['13:00:00', 'break'],
  ['13:30:00', 'available'],
  ['17:00:00', 'logout'],
];
const ana = { agentId: 'ana', agentName: 'Ana' };
const nightShift = [
  ...scenarioEvents([['22:00:00', 'login', 'page_load']], { timeZone: TZ, date: '2026-03-10', ...ana }),
  ...scenarioEvents([['02:00:00', 'logout']], { timeZone: TZ, date: '2026-03-11', ...ana }).map((event) => ({
    ...event,
    id: 'ana-logout',
    seq: 1,
  })),
];

describe('agent-summary report (docs/reports.md)', () => {
  it('per agent and day: first login, last logout, logged in, on break per reason, available, logins by cause', () => {
    const result = run(scenarioEvents(fabio, { timeZone: TZ, date: '2026-03-10' }));
    expect(result.columns.slice(-2).map((column) => column.label.en)).toEqual([
      'Break (no reason)',
      'Break - Coffee',
    ]);
    expect(byKey(result)).toEqual([
      {
        agentName: 'Fabio Rocha',
        date: '2026-03-10',
        firstLogin: '08:00:00',
        lastLogout: '17:00:00',
        loggedIn: 9 * HOUR,
        onBreak: 45 * MINUTE,
        available: 9 * HOUR - 45 * MINUTE,
        logins: 2,
        'logins:page_load': 1,
        'logins:refresh': 1,
        'logins:use_here': 0,
        'logins:reconnect': 0,
        'logins:network_change': 0,
        'logins:token_renewal': 0,
        'break:': 30 * MINUTE,
        'break:Coffee': 15 * MINUTE,
      },
    ]);
  });

  it('cuts days at midnight: the row carried over is no first login, and counts no login', () => {
    const rows = byKey(run(nightShift));
    expect(rows.map((row) => [row.date, row.firstLogin, row.lastLogout, row.loggedIn, row.logins])).toEqual([
      ['2026-03-10', '22:00:00', '', 2 * HOUR, 1],
      ['2026-03-11', '', '02:00:00', 2 * HOUR, 0],
    ]);
  });

  it('a run over some agents gives exactly their rows (the spill partitions by agent)', () => {
    const events = [...scenarioEvents(fabio, { timeZone: TZ, date: '2026-03-10' }), ...nightShift];
    const all = run(events);
    const onlyAna = run(events, ['ana']);
    expect(agentSummary.partition).toBe('agent');
    // Ana took no break: her part has no break columns, which the merge adds back empty.
    const remap = rowRemapper(onlyAna.columns, mergeColumns(agentSummary, [all.columns, onlyAna.columns]));
    expect(onlyAna.rows.map(remap)).toEqual(all.rows.filter((row) => row[0] === 'Ana'));
    expect(onlyAna.rows).toHaveLength(2);
  });

  it('declares what it reads, its filters and its chart', () => {
    expect(agentSummary.reads).toEqual(['activity']);
    expect(agentSummary.filters.map((field) => field.key)).toEqual(['period', 'agentIds', 'deviceTime']);
    expect(agentSummary.chart).toMatchObject({ type: 'bars', labelColumns: ['agentName', 'date'] });
  });
});
