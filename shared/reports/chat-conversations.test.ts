import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../records/message.ts';
import { BUSINESS_2 as B2, CONTACT_2 as C2, CONTACT_3 as C3, chatDay } from '../testing/chat.ts';
import { BUSINESS as B, CONTACT as C } from '../testing/messaging.ts';
import { DAY_START, runAttendance } from '../testing/tickets.ts';
import { chatConversations } from './chat-conversations.ts';
import { validateRequest } from './params.ts';

const run = (request: Parameters<typeof runAttendance>[2] = {}) =>
  runAttendance(chatConversations, chatDay(), request);

describe('chat-conversations (DESIGN §11, chat export)', () => {
  it('lists every message of the period in its conversation, with sender, inbox and delivery status', () => {
    expect(run()).toEqual([
      // A broadcast outside any ticket: the provider's conversation; read decides its status.
      [
        'CONV-1',
        '2026-03-10 08:00:00',
        'Campaign',
        C2,
        '',
        B,
        '',
        '',
        'Template',
        'Promoção de março',
        'Read',
      ],
      ['CONV-1', '2026-03-10 08:45:00', 'Contact', C2, '', B, '', '', 'Text', 'Quero saber mais', ''],
      [
        'CONV-1',
        '2026-03-10 08:46:00',
        'Bot',
        C2,
        '',
        B,
        '',
        '',
        'Text',
        'Um atendente já vai falar com você',
        'Accepted',
      ],
      // 00:00:00 of the day is in; T-0's message a millisecond before is out.
      [
        'T-0',
        '2026-03-10 00:00:00',
        'Agent',
        C,
        '',
        B,
        'Support',
        'Bruno Lima',
        'Text',
        'Bom dia',
        'Accepted',
      ],
      // Said to the bot before the overflow: the ticket's conversation, no queue or agent yet.
      [
        'T-1',
        '2026-03-10 09:58:00',
        'Contact',
        C,
        'Carla',
        B,
        '',
        '',
        'Text',
        'Quero falar com um atendente',
        '',
      ],
      [
        'T-1',
        '2026-03-10 10:05:00',
        'Agent',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Text',
        'Olá, como posso ajudar?',
        'Accepted',
      ],
      [
        'T-1',
        '2026-03-10 10:06:00',
        'Contact',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Text',
        'Minha fatura está errada 😀',
        '',
      ],
      [
        'T-1',
        '2026-03-10 10:20:00',
        'Agent',
        C,
        'Carla',
        B,
        'Support',
        'Bruno Lima',
        'Text',
        'Corrigido, ação concluída ✅',
        'Accepted',
      ],
      [
        'T-2',
        '2026-03-10 11:00:00',
        'Agent',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Template',
        'Seu boleto venceu',
        'Accepted',
      ],
      [
        'T-2',
        '2026-03-10 11:05:00',
        'Contact',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Text',
        'Vou pagar hoje',
        '',
      ],
      [
        'T-2',
        '2026-03-10 11:07:00',
        'Agent',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Text',
        'Obrigada!',
        'Accepted',
      ],
      ['T-2', '2026-03-10 12:00:00', 'Contact', C, 'Carla', B, 'Billing', 'Ana Souza', 'Text', 'Paguei', ''],
      [
        'T-2',
        '2026-03-10 12:30:00',
        'Agent',
        C,
        'Carla',
        B,
        'Billing',
        'Ana Souza',
        'Text',
        'Recebido',
        'Accepted',
      ],
      ['T-3', '2026-03-10 12:59:00', 'Contact', C, '', B, '', '', 'Text', 'Oi', ''],
      ['T-3', '2026-03-10 13:05:00', 'Contact', C, '', B, 'Support', '', 'Image', '', ''],
      // 23:59:59.999 of the day is in.
      ['T-4', '2026-03-10 23:59:59', 'Contact', C, '', B, '', '', 'Text', 'Alguém?', ''],
      // The bot alone, no conversation id: after those with one; the next day's 00:00 is out.
      ['', '2026-03-10 21:30:00', 'Contact', C3, '', B2, '', '', 'Text', 'Horário?', ''],
      ['', '2026-03-10 21:30:30', 'Bot', C3, '', B2, '', '', 'Text', 'Atendemos das 8h às 18h', 'Failed'],
    ]);
  });

  it('filters by the queue of each message', () => {
    expect(run({ options: { queues: 'Support' } }).map((row) => row[9])).toEqual([
      'Bom dia',
      'Corrigido, ação concluída ✅',
      '',
    ]);
  });

  it('speaks Portuguese', () => {
    const rows = run({ locale: 'pt-BR' });
    expect(rows[0]).toEqual([
      'CONV-1',
      '10/03/2026 08:00:00',
      'Campanha',
      C2,
      '',
      B,
      '',
      '',
      'Template',
      'Promoção de março',
      'Lida',
    ]);
    expect(rows.at(-1)?.slice(1, 3)).toEqual(['10/03/2026 21:30:30', 'Bot']);
    expect(rows.at(-1)?.[10]).toBe('Falha');
    expect(rows.find((row) => row[8] === 'Imagem')?.[0]).toBe('T-3');
  });

  it('counts a message or status sent twice once and takes records in any order', () => {
    const records = chatDay();
    // A ticket's message again, a second later, from a source that does not know the ticket: still
    // one message, the earliest record standing.
    const copy = records.find(
      (record) => record.type === 'message' && record.text === 'Olá, como posso ajudar?',
    );
    const { ticketId: _ticket, ...withoutTicket } = copy as MessageRecord;
    const again = [...records].reverse().concat(records.slice(0, 12), records.slice(-8), {
      ...withoutTicket,
      id: 'message:copy',
      at: new Date(Date.parse(withoutTicket.at) + 1000).toISOString(),
    });
    expect(runAttendance(chatConversations, again)).toEqual(run());
  });

  it('needs a period of at most 31 days', () => {
    const ask = (from?: string, to?: string) =>
      validateRequest(
        chatConversations,
        { timeZone: 'America/Sao_Paulo', locale: 'en', from, to },
        DAY_START,
      );
    expect(ask().ok).toBe(false);
    expect(ask('2026-03-01', '2026-04-02').ok).toBe(false);
    expect(ask('2026-03-01', '2026-04-01').ok).toBe(true);
  });
});
