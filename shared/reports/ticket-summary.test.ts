import { describe, expect, it } from 'vitest';
import { CONTACT as C } from '../testing/messaging.ts';
import { attendanceDay, local, runAttendance, ticketMessage, ticketStep } from '../testing/tickets.ts';
import { ticketSummary } from './ticket-summary.ts';

const run = (request: Parameters<typeof runAttendance>[2] = {}, records = attendanceDay()) =>
  runAttendance(ticketSummary, records, request);

describe('ticket-summary (DESIGN §11)', () => {
  it('one row per ticket opened in the period, its last message as text only', () => {
    expect(run()).toEqual([
      // Transferred: the queue it ended in; the tag it was closed with.
      [
        'T-1',
        C,
        'Receptive',
        '2026-03-10 10:00:00',
        'Corrigido, ação concluída ✅',
        'Closed',
        'Support',
        'Resolved',
        'C-100',
      ],
      // Reopened and closed again: the last tag wins.
      ['T-2', C, 'Active', '2026-03-10 11:00:00', 'Recebido', 'Closed', 'Billing', 'Resolved', 'C-200'],
      // Its last message is a picture: no text to show (the history has the conversation).
      ['T-3', C, 'Receptive', '2026-03-10 13:00:00', '', 'Pending', 'Support', '', ''],
    ]);
  });

  it('keeps the period in the report zone: opened at 23:59:59 the day before or 00:00 the day after is out', () => {
    const edges = [
      ticketStep('A', local(0, 0), 'opened'),
      ticketStep('B', local(0, 0) - 1, 'opened'),
      ticketStep('C', local(24, 0) - 1, 'opened'),
      ticketStep('D', local(24, 0), 'opened'),
    ];
    expect(run({}, edges).map((row) => [row[0], row[3]])).toEqual([
      ['A', '2026-03-10 00:00:00'],
      ['C', '2026-03-10 23:59:59'],
    ]);
  });

  it('a ticket reopened after the period still belongs to the day it was opened; a status as of now', () => {
    const records = [
      ticketStep('R', local(9, 0), 'opened', { queue: 'Billing' }),
      ticketStep('R', local(9, 30), 'closed', { queue: 'Billing' }),
      ticketStep('R', local(24 + 9, 0), 'reopened', { queue: 'Billing' }),
      ticketMessage('R', local(24 + 9, 0), 'MO', 'De novo'),
    ];
    expect(run({}, records)[0]?.slice(3, 6)).toEqual(['2026-03-10 09:00:00', 'De novo', 'Open']);
    // As of the evening of the day, the reopening has not happened yet.
    expect(run({ asOf: '2026-03-10T20:00' }, records)[0]?.slice(3, 6)).toEqual([
      '2026-03-10 09:00:00',
      '',
      'Closed',
    ]);
  });

  it('filters by status and queue', () => {
    expect(run({ options: { ticketStatus: 'closed' } }).map((row) => row[0])).toEqual(['T-1', 'T-2']);
    expect(run({ options: { queues: 'Support' } }).map((row) => row[0])).toEqual(['T-1', 'T-3']);
  });

  it('speaks Portuguese', () => {
    expect(run({ locale: 'pt-BR' })[1]).toEqual([
      'T-2',
      C,
      'Ativo',
      '10/03/2026 11:00:00',
      'Recebido',
      'Encerrado',
      'Billing',
      'Resolved',
      'C-200',
    ]);
    expect(run({ locale: 'pt-BR' })[2]?.slice(2, 6)).toEqual([
      'Receptivo',
      '10/03/2026 13:00:00',
      '',
      'Pendente',
    ]);
  });
});
