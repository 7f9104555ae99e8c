import { describe, expect, it } from 'vitest';
import { CONTACT_2 as C2, chatDay, combinedAndWhole } from '../testing/chat.ts';
import { ANA, local, runAttendance, ticketMessage, ticketStep } from '../testing/tickets.ts';
import { chatUsers } from './chat-users.ts';

const run = (
  records: Parameters<typeof runAttendance>[1] = chatDay(),
  request: Parameters<typeof runAttendance>[2] = {},
) => runAttendance(chatUsers, records, request);

describe('chat-users (DESIGN §11, chat export)', () => {
  it('tallies each agent’s conversations and messages in the period', () => {
    expect(run()).toEqual([
      // T-1 (10:05 sent, 10:06 received) and T-2 (3 sent, 2 received while she held it).
      ['ana', 'Ana Souza', 'Billing', '2', '4', '3', '2026-03-10 10:05:00', '2026-03-10 12:30:00'],
      // T-0's 00:00:00 answer (its 23:59:59 message the day before is out), T-1 after the transfer.
      // T-3's picture came before he took it: not his.
      ['bruno', 'Bruno Lima', 'Support', '2', '2', '0', '2026-03-10 00:00:00', '2026-03-10 10:20:00'],
    ]);
  });

  it('takes the name of the latest message and every queue the agent worked in', () => {
    const records = [
      ticketStep('X', local(9, 0), 'opened', { queue: 'Billing', contact: C2, ...ANA }),
      ticketMessage('X', local(9, 1), 'MT', 'Oi', { contact: C2, ...ANA }),
      ticketStep('X', local(9, 2), 'transferred', { queue: 'Support', contact: C2, ...ANA }),
      ticketMessage('X', local(9, 3), 'MT', 'Oi de novo', {
        contact: C2,
        queue: 'Support',
        agentId: 'ana',
        agentName: 'Ana S.',
      }),
    ];
    expect(run(records)).toEqual([
      ['ana', 'Ana S.', 'Billing, Support', '1', '2', '0', '2026-03-10 09:01:00', '2026-03-10 09:03:00'],
    ]);
  });

  it('speaks Portuguese', () => {
    expect(run(chatDay(), { locale: 'pt-BR' })[0]?.slice(6)).toEqual([
      '10/03/2026 10:05:00',
      '10/03/2026 12:30:00',
    ]);
  });

  it('counts a message sent twice once and takes records in any order', () => {
    const records = chatDay();
    expect(run([...records].reverse().concat(records))).toEqual(run());
  });

  it('adds up parts split by conversation’s contact to the whole', () => {
    // By ticket here (each ticket is its own contact's in real data): the sums must add up all the same.
    const { combined, whole } = combinedAndWhole(chatUsers, chatDay(), (record) =>
      'ticketId' in record ? (record.ticketId ?? '') : '',
    );
    expect(combined).toEqual(whole);
  });
});
