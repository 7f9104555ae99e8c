import { describe, expect, it } from 'vitest';
import { BUSINESS as B, CONTACT as C } from '../testing/messaging.ts';
import {
  ANA,
  attendanceDay,
  BRUNO,
  DAY_START,
  local,
  runAttendance,
  ticketMessage,
  ticketStep,
} from '../testing/tickets.ts';
import { attendanceHistory } from './attendance-history.ts';
import { validateRequest } from './params.ts';
import type { CellValue } from './types.ts';

const run = (request: Parameters<typeof runAttendance>[2] = {}) =>
  runAttendance(attendanceHistory, attendanceDay(), request);

const T1 = ['T-1', 'TRK-1'];
const T1_END = [C, B];
const T2 = ['T-2', 'TRK-2'];

describe('attendance-history (DESIGN §11)', () => {
  it('lists every message of the period by ticket, with the agent and queue of its moment', () => {
    expect(run()).toEqual([
      // 00:00:00 of the day is in; T-0's message a millisecond before is out.
      ['T-0', '', 'Bom dia', '2026-03-10 00:00:00', 'Agent', C, B, 'Bruno Lima', 'Support', 'Open', ''],
      // Said to the bot before the ticket opened: no agent, no queue yet.
      [
        ...T1,
        'Quero falar com um atendente',
        '2026-03-10 09:58:00',
        'Contact',
        ...T1_END,
        '',
        '',
        'Closed',
        'C-100',
      ],
      [
        ...T1,
        'Olá, como posso ajudar?',
        '2026-03-10 10:05:00',
        'Agent',
        ...T1_END,
        'Ana Souza',
        'Billing',
        'Closed',
        'C-100',
      ],
      // The contact's message shows the agent holding the ticket then.
      [
        ...T1,
        'Minha fatura está errada 😀',
        '2026-03-10 10:06:00',
        'Contact',
        ...T1_END,
        'Ana Souza',
        'Billing',
        'Closed',
        'C-100',
      ],
      // After the transfer: the other agent, the other queue.
      [
        ...T1,
        'Corrigido, ação concluída ✅',
        '2026-03-10 10:20:00',
        'Agent',
        ...T1_END,
        'Bruno Lima',
        'Support',
        'Closed',
        'C-100',
      ],
      [
        ...T2,
        'Seu boleto venceu',
        '2026-03-10 11:00:00',
        'Agent',
        C,
        B,
        'Ana Souza',
        'Billing',
        'Closed',
        'C-200',
      ],
      [
        ...T2,
        'Vou pagar hoje',
        '2026-03-10 11:05:00',
        'Contact',
        C,
        B,
        'Ana Souza',
        'Billing',
        'Closed',
        'C-200',
      ],
      [...T2, 'Obrigada!', '2026-03-10 11:07:00', 'Agent', C, B, 'Ana Souza', 'Billing', 'Closed', 'C-200'],
      // The message that reopened the closed ticket: back with its agent.
      [...T2, 'Paguei', '2026-03-10 12:00:00', 'Contact', C, B, 'Ana Souza', 'Billing', 'Closed', 'C-200'],
      [...T2, 'Recebido', '2026-03-10 12:30:00', 'Agent', C, B, 'Ana Souza', 'Billing', 'Closed', 'C-200'],
      ['T-3', '', 'Oi', '2026-03-10 12:59:00', 'Contact', C, B, '', '', 'Pending', ''],
      // A picture has no text; its own queue; nobody had taken the ticket yet.
      ['T-3', '', '', '2026-03-10 13:05:00', 'Contact', C, B, '', 'Support', 'Pending', ''],
      // 23:59:59.999 of the day is in, though the ticket opens the next day.
      ['T-4', '', 'Alguém?', '2026-03-10 23:59:59', 'Contact', C, B, '', '', 'Open', ''],
    ]);
  });

  it('a message between a transfer and the next agent taking the ticket has the new queue and no agent', () => {
    const records = [
      ticketStep('X', local(9, 0), 'opened', { queue: 'Billing' }),
      ticketStep('X', local(9, 4), 'assigned', { queue: 'Billing', ...ANA }),
      ticketStep('X', local(9, 10), 'transferred', { queue: 'Support', ...ANA }),
      ticketMessage('X', local(9, 12), 'MO', 'Alô?'),
      ticketStep('X', local(9, 20), 'assigned', { queue: 'Support', ...BRUNO }),
      ticketMessage('X', local(9, 20), 'MO', 'Oi Bruno'),
    ];
    expect(runAttendance(attendanceHistory, records).map((row) => row.slice(2, 9))).toEqual([
      ['Alô?', '2026-03-10 09:12:00', 'Contact', C, B, '', 'Support'],
      ['Oi Bruno', '2026-03-10 09:20:00', 'Contact', C, B, 'Bruno Lima', 'Support'],
    ]);
  });

  it('filters by the ticket status, the queues and the agents of each message', () => {
    expect(run({ options: { ticketStatus: 'pending' } }).map((row) => row[2])).toEqual(['Oi', '']);
    expect(run({ options: { ticketStatus: 'closed' } }).map((row) => row[0])).toEqual([
      ...Array(4).fill('T-1'),
      ...Array(5).fill('T-2'),
    ]);
    expect(run({ options: { queues: ' Support , Nowhere' } }).map((row) => row[2])).toEqual([
      'Bom dia',
      'Corrigido, ação concluída ✅',
      '',
    ]);
    expect(run({ agentIds: ['bruno'] }).map((row) => row[2])).toEqual([
      'Bom dia',
      'Corrigido, ação concluída ✅',
    ]);
    expect(run({ agentIds: ['ana'], options: { queues: 'Billing' } })).toHaveLength(7);
  });

  it('speaks Portuguese', () => {
    expect(run({ locale: 'pt-BR' })[2]).toEqual([
      ...T1,
      'Olá, como posso ajudar?',
      '10/03/2026 10:05:00',
      'Agente',
      ...T1_END,
      'Ana Souza',
      'Billing',
      'Encerrado',
      'C-100',
    ]);
    expect(run({ locale: 'pt-BR' }).at(-1)?.slice(3, 5)).toEqual(['10/03/2026 23:59:59', 'Contato']);
  });

  it('counts a message sent twice once and takes records in any order', () => {
    const records = attendanceDay();
    const again = [...records].reverse().concat(records.slice(0, 10));
    expect(runAttendance(attendanceHistory, again)).toEqual(run());
  });

  it('orders messages of one ticket at one instant by their cells, and reads the same rows in batches', () => {
    // Said at the same second, the later provider id first: the file orders them by their text.
    const records = [
      ...attendanceDay(),
      ticketMessage('T-1', local(10, 7), 'MO', 'b: segunda'),
      ticketMessage('T-1', local(10, 7), 'MO', 'a: primeira'),
      ticketMessage('T-1', local(10, 7), 'MO', undefined),
    ];
    const texts = runAttendance(attendanceHistory, records)
      .filter((row) => row[0] === 'T-1')
      .map((row) => row[2]);
    expect(texts.slice(3, 6)).toEqual(['a: primeira', 'b: segunda', '']);
    // `begin` (the report worker): records in batches, rows made on reading; the same rows.
    const params = validateRequest(attendanceHistory, {
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
      asOf: '2026-03-12',
    });
    if (!params.ok) throw new Error(params.error);
    const whole = attendanceHistory.compute(records, params.params).rows;
    const run = attendanceHistory.begin!(params.params);
    for (let start = 0; start < records.length; start += 3) run.add(records.slice(start, start + 3));
    const read = run.finish().rows;
    expect(read.length).toBe(whole.length);
    expect([...read]).toEqual(whole);
    expect(read.at(whole.length - 1)).toEqual(whole.at(-1));
    expect(read.at(-1)).toEqual(whole.at(-1));
    expect(read.at(whole.length)).toBeUndefined();
    // A writer's read: every row's cells into one array of its own.
    const cells: CellValue[] = [];
    const readTexts = whole.map((_, index) => {
      read.cellsInto!(index, cells);
      return cells[2];
    });
    expect(readTexts).toEqual(whole.map((row) => row[2]));
  });

  it('needs a period of at most 31 days', () => {
    const ask = (from?: string, to?: string) =>
      validateRequest(
        attendanceHistory,
        { timeZone: 'America/Sao_Paulo', locale: 'pt-BR', from, to },
        DAY_START,
        'pt-BR',
      );
    expect(ask('2026-03-01')).toEqual({
      ok: false,
      error: 'o relatório attendance-history precisa de um período: informe --from e --to',
    });
    expect(ask('2026-03-01', '2026-04-02')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no máximo 31 dias'),
    });
    expect(ask('2026-03-01', '2026-04-01').ok).toBe(true);
    expect(
      validateRequest(attendanceHistory, {
        timeZone: 'UTC',
        locale: 'en',
        options: { ticketStatus: 'done' },
        from: '2026-03-01',
        to: '2026-03-02',
      }),
    ).toEqual({
      ok: false,
      error: 'Ticket status: "done" is not one of open, pending, paused, closed',
    });
  });
});
