import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import { scenarioEvents } from '../testing/scenario.ts';
import { loginLogout } from './login-logout.ts';
import { validateRequest } from './params.ts';

const TZ = 'America/Sao_Paulo';

function run(events: ReturnType<typeof scenarioEvents>, agentIds?: string[]) {
  const checked = validateRequest(loginLogout, {
    timeZone: TZ,
    locale: 'en',
    from: '2026-03-10',
    to: '2026-03-11',
    asOf: '2026-03-11',
    agentIds,
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter('en', TZ);
  return loginLogout
    .compute(events, checked.params)
    .rows.map(([id, name, action, at, ip]) => [id, name, action, fmt.format('datetime', at ?? null), ip]);
}

const fabio = scenarioEvents(
  [
    ['08:00:00', 'login', 'page_load'],
    ['09:00:00', 'break', 'Coffee'],
    ['09:10:00', 'available'],
    ['11:00:00', 'login', 'token_renewal'],
    ['17:00:00', 'logout'],
  ],
  { timeZone: TZ, date: '2026-03-10', ip: '203.0.113.7' },
);
const ana = scenarioEvents(
  [
    ['07:30:00', 'login', 'page_load'],
    ['12:00:00', 'logout'],
  ],
  { timeZone: TZ, date: '2026-03-10', agentId: 'ana', agentName: 'Ana' },
);

describe('login-logout report (docs/reports.md)', () => {
  it('one row per login or logout, every cause counted, ordered by time; IP empty when unknown', () => {
    expect(run([...fabio, ...ana])).toEqual([
      ['ana', 'Ana', 'Login', '2026-03-10 07:30:00', null],
      ['fabio.rocha', 'Fabio Rocha', 'Login', '2026-03-10 08:00:00', '203.0.113.7'],
      ['fabio.rocha', 'Fabio Rocha', 'Login', '2026-03-10 11:00:00', '203.0.113.7'],
      ['ana', 'Ana', 'Logout', '2026-03-10 12:00:00', null],
      ['fabio.rocha', 'Fabio Rocha', 'Logout', '2026-03-10 17:00:00', '203.0.113.7'],
    ]);
  });

  it('shows the agent’s latest name and keeps only the period', () => {
    const renamed = scenarioEvents([['18:00:00', 'login', 'reconnect']], {
      timeZone: TZ,
      date: '2026-03-10',
      agentName: 'Fábio Rocha',
    }).map((event) => ({ ...event, id: 'renamed', seq: 10 }));
    const dayAfter = scenarioEvents([['08:00:00', 'login', 'page_load']], {
      timeZone: TZ,
      date: '2026-03-11',
    }).map((event) => ({ ...event, id: 'next-day', seq: 11 }));
    const rows = run([...fabio, ...renamed, ...dayAfter]);
    expect(rows.map((row) => row[1])).toEqual(Array(4).fill('Fábio Rocha'));
    expect(rows.at(-1)?.[3]).toBe('2026-03-10 18:00:00');
  });

  it('names each login’s cause in the Cause column, in the run’s language; a logout has none', () => {
    const causes = (locale: 'en' | 'pt-BR') => {
      const checked = validateRequest(loginLogout, { timeZone: TZ, locale, asOf: '2026-03-11' });
      if (!checked.ok) throw new Error(checked.error);
      return loginLogout.compute(fabio, checked.params).rows.map((row) => row[5]);
    };
    expect(loginLogout.columns.at(-1)).toMatchObject({
      key: 'cause',
      label: { en: 'Cause', 'pt-BR': 'Causa' },
    });
    expect(loginLogout.columns.at(-1)?.hiddenByDefault).toBeUndefined();
    expect(causes('en')).toEqual(['Login', 'Token renewal', null]);
    expect(causes('pt-BR')).toEqual(['Login', 'Renovação do token', null]);
  });

  it('a run over some agents gives exactly their rows (the spill partitions by agent)', () => {
    expect(run([...fabio, ...ana], ['ana']).map((row) => row[2])).toEqual(['Login', 'Logout']);
    expect(loginLogout.partition).toBe('agent');
    expect(loginLogout.reads).toEqual(['activity']);
  });
});
