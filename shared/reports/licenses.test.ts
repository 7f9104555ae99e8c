import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { UserRecord } from '../records/user.ts';
import { licenses } from './licenses.ts';
import { validateRequest } from './params.ts';

const TZ = 'America/Sao_Paulo';
// "Now" is 2026-03-10 in São Paulo: this month is March, the previous February, two ago January.
const NOW = '2026-03-10T15:00:00Z';

function person(userId: string, event: UserRecord['event'], at: string, fields: Partial<UserRecord> = {}) {
  return {
    id: `user.${userId}.${event}.${at}`,
    type: 'user',
    at,
    userId,
    event,
    email: `${userId}@example.com`,
    role: 'supervisor',
    createdAt: '2025-11-03T12:00:00Z',
    ...fields,
  } as UserRecord;
}

const activity = (id: string, agentId: string, agentName: string, at: string) =>
  ({ id, type: 'heartbeat', at, agentId, agentName }) as unknown as AnyRecord;
const ticket = (id: string, agentId: string, queue: string, at: string) =>
  ({ id, type: 'ticket', at, ticketId: id, action: 'assigned', agentId, queue }) as AnyRecord;

function run(records: AnyRecord[], month: string | undefined, locale: Locale = 'en', period = {}) {
  const checked = validateRequest(licenses, {
    timeZone: TZ,
    locale,
    asOf: NOW,
    ...period,
    options: month === undefined ? {} : { month },
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter(locale, TZ);
  return licenses
    .compute(records, checked.params)
    .rows.map((row) => row.map((cell, i) => fmt.format(licenses.columns[i]!.type, cell ?? null)));
}

const RECORDS: AnyRecord[] = [
  person('ana', 'created', '2025-11-03T12:00:00Z', { role: 'admin' }),
  person('ana', 'signed_in', '2026-03-02T12:00:00Z', { role: 'admin' }),
  // Bia used the app in February only, one minute before March began in São Paulo (03:00Z).
  person('bia', 'created', '2025-11-03T12:00:00Z'),
  person('bia', 'active', '2026-03-01T02:59:00Z'),
  // Caio was added in March and never signed in: no licence used.
  person('caio', 'created', '2026-03-05T12:00:00Z', { createdAt: '2026-03-05T12:00:00Z' }),
  // An agent working March in two queues, renamed on the way; another only in January.
  activity('a-1', 'agent-7', 'Duda', '2026-03-03T12:00:00Z'),
  activity('a-2', 'agent-7', 'Duda Lima', '2026-03-04T12:00:00Z'),
  ticket('t-1', 'agent-7', 'Billing', '2026-03-03T12:05:00Z'),
  ticket('t-2', 'agent-7', 'Support', '2026-03-04T12:05:00Z'),
  ticket('t-0', 'agent-7', 'Sales', '2026-02-20T12:05:00Z'),
  activity('a-3', 'agent-9', 'Eva', '2026-01-15T12:00:00Z'),
  // After "now": not counted.
  person('caio', 'signed_in', '2026-03-20T12:00:00Z', { createdAt: '2026-03-05T12:00:00Z' }),
];

describe('licenses (DESIGN §11)', () => {
  it('lists who used the app or worked in the current month, with profile, creation and queues', () => {
    // Duplicates (a record pulled twice) count once.
    // By name, code unit order (capitals first).
    expect(run([...RECORDS, RECORDS[1]!], 'current')).toEqual([
      ['agent-7', 'Duda Lima', '', 'User', '2026-03-03 09:00:00', 'Billing, Support'],
      ['ana', 'ana@example.com', 'ana@example.com', 'Admin', '2025-11-03 09:00:00', ''],
    ]);
  });

  it('picks the previous month and two months ago in the report’s time zone', () => {
    expect(run(RECORDS, 'previous')).toEqual([
      ['bia', 'bia@example.com', 'bia@example.com', 'Supervisor', '2025-11-03 09:00:00', ''],
    ]);
    expect(run(RECORDS, 'two-months-ago')).toEqual([
      ['agent-9', 'Eva', '', 'User', '2026-01-15 09:00:00', ''],
    ]);
    // In UTC, Bia's minute is already March.
    const checked = validateRequest(licenses, {
      timeZone: 'UTC',
      locale: 'en',
      asOf: NOW,
      options: { month: 'current' },
    });
    if (!checked.ok) throw new Error(checked.error);
    expect(licenses.compute(RECORDS, checked.params).rows.map((row) => row[0])).toContain('bia');
  });

  it('takes a period instead of a month, and the month wins when both are given', () => {
    expect(
      run(RECORDS, undefined, 'en', { from: '2026-02-20', to: '2026-03-01' }).map((row) => row[0]),
    ).toEqual(['bia']);
    expect(
      run(RECORDS, 'two-months-ago', 'en', { from: '2026-02-20', to: '2026-03-01' }).map((row) => row[0]),
    ).toEqual(['agent-9']);
  });

  it('labels profiles in pt-BR', () => {
    expect(run(RECORDS, 'current', 'pt-BR').map((row) => row[3])).toEqual(['Usuário', 'Administrador']);
  });

  it('refuses a month that is not one of its choices, and a run with neither month nor period', () => {
    expect(
      validateRequest(licenses, { timeZone: TZ, locale: 'en', options: { month: 'last-year' } }),
    ).toEqual({
      ok: false,
      error: 'Month: "last-year" is not one of current, previous, two-months-ago',
    });
    expect(validateRequest(licenses, { timeZone: TZ, locale: 'pt-BR' }, Date.parse(NOW), 'pt-BR')).toEqual({
      ok: false,
      error: 'escolha um período, ou uma competência (mês) no lugar dele',
    });
  });
});
