import { describe, expect, it } from 'vitest';
import {
  BUSINESS_2 as B2,
  CONTACT_2 as C2,
  CONTACT_3 as C3,
  chatDay,
  chatMessage,
  chatStatus,
} from '../testing/chat.ts';
import { BUSINESS as B, CONTACT as C } from '../testing/messaging.ts';
import { local, runAttendance } from '../testing/tickets.ts';
import { chatEngagement } from './chat-engagement.ts';

const run = (
  records: Parameters<typeof runAttendance>[1] = chatDay(),
  request: Parameters<typeof runAttendance>[2] = {},
) => runAttendance(chatEngagement, records, request);

describe('chat-engagement (DESIGN §11, chat export)', () => {
  it('shows each conversation’s first dispatch with its flags', () => {
    expect(run()).toEqual([
      // T-0's first dispatch at 00:00:00: no status yet, and the contact never wrote after it in T-0.
      ['T-0', C, B, 'Support', 'Bruno Lima', '2026-03-10 00:00:00', '', 'Bom dia', '0', '0', '0', '0', '0'],
      // Read implies confirmed and sent; answered at 08:45 (the bot's 08:46 message is not a first).
      [
        'CONV-1',
        C2,
        B,
        '',
        '',
        '2026-03-10 08:00:00',
        'promo_marco',
        'Promoção de março',
        '1',
        '1',
        '1',
        '0',
        '1',
      ],
      [
        'T-1',
        C,
        B,
        'Billing',
        'Ana Souza',
        '2026-03-10 10:05:00',
        '',
        'Olá, como posso ajudar?',
        '0',
        '0',
        '0',
        '0',
        '1',
      ],
      [
        'T-2',
        C,
        B,
        'Billing',
        'Ana Souza',
        '2026-03-10 11:00:00',
        'boleto_vencido',
        'Seu boleto venceu',
        '0',
        '0',
        '0',
        '0',
        '1',
      ],
      // The bot's answer failed; the contact answered at 00:00 of the next day: after the period,
      // but the dispatch is in it, and its answer counts whenever it came (up to the run's "now").
      ['', C3, B2, '', '', '2026-03-10 21:30:30', '', 'Atendemos das 8h às 18h', '0', '0', '0', '1', '1'],
    ]);
  });

  it('flags a blocked dispatch as failed, and a delivered one as sent and confirmed but not read', () => {
    const records = [
      chatMessage('a', local(9, 0), 'MT', 'A', { contact: C2, conversationId: 'A', origin: 'broadcast' }),
      chatStatus('a', local(9, 1), 'opt_out'),
      chatMessage('b', local(9, 0), 'MT', 'B', { contact: C3, conversationId: 'B', origin: 'broadcast' }),
      chatStatus('b', local(9, 2), 'delivered'),
      chatStatus('b', local(9, 1), 'sent'),
      chatMessage('b2', local(9, 5), 'MT', 'B de novo', { contact: C3, conversationId: 'B', origin: 'api' }),
      chatStatus('b2', local(9, 6), 'read'),
    ];
    expect(run(records).map((row) => [row[0], ...row.slice(8)])).toEqual([
      ['A', '0', '0', '0', '1', '0'],
      // Only the first dispatch counts: the later read one does not.
      ['B', '1', '1', '0', '0', '0'],
    ]);
  });

  it('speaks Portuguese', () => {
    expect(run(chatDay(), { locale: 'pt-BR' })[1]?.slice(5, 6)).toEqual(['10/03/2026 08:00:00']);
  });

  it('counts a message or status sent twice once and takes records in any order', () => {
    const records = chatDay();
    expect(run([...records].reverse().concat(records))).toEqual(run());
  });
});
