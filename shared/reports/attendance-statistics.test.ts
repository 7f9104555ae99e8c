import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../records/registry.ts';
import {
  ANA,
  attendanceDay,
  BRUNO,
  local,
  runAttendance,
  ticketMessage,
  ticketStep,
} from '../testing/tickets.ts';
import { attendanceStatistics } from './attendance-statistics.ts';
import { validateRequest } from './params.ts';

const run = (records: AnyRecord[] = attendanceDay(), locale: 'en' | 'pt-BR' = 'en') =>
  runAttendance(attendanceStatistics, records, { locale });

describe('attendance-statistics (DESIGN §11)', () => {
  it('per agent and per queue over the tickets opened in the period', () => {
    // Level, Name, Agent ID, Handled, Mean First Response, Mean Handling, Resolution Rate,
    // Answered, Resolved, Total First Response, Total Handling.
    expect(run()).toEqual([
      // T-1 (answered in 3 min, transferred away) and T-2 (opened by her: nothing to answer;
      // closed, reopened, closed: 10 + 40 min open).
      ['Agent', 'Ana Souza', 'ana', '2', '00:03:00', '00:50:00', '50.0%', '1', '1', '00:03:00', '00:50:00'],
      // T-1 (answered 5 min after taking it, closed: 30 min from opened) and T-3 (never answered).
      [
        'Agent',
        'Bruno Lima',
        'bruno',
        '2',
        '00:05:00',
        '00:30:00',
        '50.0%',
        '1',
        '1',
        '00:05:00',
        '00:30:00',
      ],
      // T-1 entered at 10:00, answered at 10:05, closed elsewhere; T-2 opened by an agent, closed here.
      ['Queue', 'Billing', '', '2', '00:05:00', '00:50:00', '50.0%', '1', '1', '00:05:00', '00:50:00'],
      // T-1 transferred in at 10:10, answered at 10:20, closed here; T-3 never answered.
      ['Queue', 'Support', '', '2', '00:10:00', '00:30:00', '50.0%', '1', '1', '00:10:00', '00:30:00'],
    ]);
  });

  it('a transferred ticket counts for each agent and queue, each first response from their own start', () => {
    const records = [
      ticketStep('X', local(9, 0), 'opened', { queue: 'Billing', kind: 'receptive' }),
      ticketStep('X', local(9, 4), 'assigned', { queue: 'Billing', ...ANA }),
      ticketStep('X', local(9, 10), 'transferred', { queue: 'Support', ...ANA }),
      ticketMessage('X', local(9, 12), 'MO', 'Alô?'),
      ticketStep('X', local(9, 20), 'assigned', { queue: 'Support', ...BRUNO }),
      ticketMessage('X', local(9, 21), 'MT', 'Oi, aqui é o Bruno', BRUNO),
      ticketStep('X', local(10, 0), 'closed', { queue: 'Support', ...BRUNO }),
    ];
    expect(run(records)).toEqual([
      // Ana never wrote: handled, no first response, not resolved (a transfer is no resolution).
      ['Agent', 'Ana Souza', 'ana', '1', '', '', '0.0%', '0', '0', '00:00:00', '00:00:00'],
      // Bruno's first response is from when he took it (09:20), not from the opening.
      [
        'Agent',
        'Bruno Lima',
        'bruno',
        '1',
        '00:01:00',
        '01:00:00',
        '100.0%',
        '1',
        '1',
        '00:01:00',
        '01:00:00',
      ],
      ['Queue', 'Billing', '', '1', '', '', '0.0%', '0', '0', '00:00:00', '00:00:00'],
      // Support's first response is from when the ticket entered it (09:10).
      ['Queue', 'Support', '', '1', '00:11:00', '01:00:00', '100.0%', '1', '1', '00:11:00', '01:00:00'],
    ]);
  });

  it('a reopened ticket is one ticket, its handling time its open spans only', () => {
    const records = [
      ticketStep('R', local(9, 0), 'opened', { queue: 'Billing', kind: 'receptive' }),
      ticketStep('R', local(9, 1), 'assigned', { queue: 'Billing', ...ANA }),
      ticketMessage('R', local(9, 3), 'MT', 'Pronto', ANA),
      ticketStep('R', local(9, 15), 'closed', { queue: 'Billing', ...ANA }),
      ticketStep('R', local(15, 0), 'reopened', { queue: 'Billing' }),
      ticketMessage('R', local(15, 2), 'MT', 'De novo por aqui', ANA),
      ticketStep('R', local(15, 5), 'closed', { queue: 'Billing', ...ANA }),
    ];
    // One handled, one resolved; 15 + 5 min open, not the 6 h it sat closed; the first response
    // is the first one (2 min after she took it), not one per opening.
    expect(run(records)[0]).toEqual([
      'Agent',
      'Ana Souza',
      'ana',
      '1',
      '00:02:00',
      '00:20:00',
      '100.0%',
      '1',
      '1',
      '00:02:00',
      '00:20:00',
    ]);
    // Reopened and not closed again: not resolved, no handling time.
    expect(run(records.slice(0, -1))[0]?.slice(3, 7)).toEqual(['1', '00:02:00', '', '0.0%']);
  });

  it('a ticket a supervisor closed without taking it counts as resolved by them, with nothing to answer', () => {
    const records = [
      ticketStep('S', local(9, 0), 'opened', { queue: 'Billing', kind: 'receptive' }),
      ticketStep('S', local(9, 30), 'closed', { queue: 'Billing', agentId: 'sup', agentName: 'Supervisora' }),
    ];
    expect(run(records)).toEqual([
      ['Agent', 'Supervisora', 'sup', '1', '', '00:30:00', '100.0%', '0', '1', '00:00:00', '00:30:00'],
      ['Queue', 'Billing', '', '1', '', '00:30:00', '100.0%', '0', '1', '00:00:00', '00:30:00'],
    ]);
  });

  it('speaks Portuguese', () => {
    expect(run(attendanceDay(), 'pt-BR').map((row) => row.slice(0, 2).concat(row[6]!))).toEqual([
      ['Agente', 'Ana Souza', '50,0%'],
      ['Agente', 'Bruno Lima', '50,0%'],
      ['Fila', 'Billing', '50,0%'],
      ['Fila', 'Support', '50,0%'],
    ]);
  });

  it('parts split by ticket combine into the same rows', () => {
    const checked = validateRequest(attendanceStatistics, {
      timeZone: 'America/Sao_Paulo',
      locale: 'pt-BR',
      from: '2026-03-10',
      to: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const records = attendanceDay();
    const whole = attendanceStatistics.compute(records, checked.params);
    const parts = ['T-0', 'T-1', 'T-2', 'T-3', 'T-4'].map((id) =>
      attendanceStatistics.compute(
        records.filter((record) => record.ticketId === id),
        checked.params,
      ),
    );
    expect(attendanceStatistics.combine!(parts, checked.params)).toEqual(whole);
  });
});
