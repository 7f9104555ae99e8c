import { describe, expect, it } from 'vitest';
import {
  BUSINESS_2 as B2,
  CONTACT_3 as C3,
  chatDay,
  chatMessage,
  chatParams,
  combinedAndWhole,
} from '../testing/chat.ts';
import { BUSINESS as B } from '../testing/messaging.ts';
import { DAY, DAY_START, runAttendance } from '../testing/tickets.ts';
import { chatSummary } from './chat-summary.ts';

const run = (records = chatDay(), request: Parameters<typeof runAttendance>[2] = {}) =>
  runAttendance(chatSummary, records, request);

describe('chat-summary (DESIGN §11, chat export)', () => {
  it('counts per day and inbox the contacts, conversations and messages', () => {
    expect(run()).toEqual([
      // T-1, T-2 (Ana's messages and the contact's while she held them).
      ['2026-03-10', B, 'Billing', '1', '2', '7'],
      // T-0's first message at 00:00:00, T-1's last, T-3's picture.
      ['2026-03-10', B, 'Support', '1', '3', '3'],
      // No queue: CONV-1 (the broadcast, its answer, the bot), before T-1 and T-3 reached one, T-4.
      ['2026-03-10', B, '', '2', '4', '6'],
      // The bot alone on the second number; the next day's 00:00 message is out.
      ['2026-03-10', B2, '', '1', '1', '2'],
    ]);
  });

  it('splits at local midnight in the report’s zone, over a period of several days', () => {
    const records = [
      chatMessage('late', DAY_START + DAY - 1, 'MO', 'Tarde', { contact: C3, business: B2 }),
      chatMessage('early', DAY_START + DAY, 'MO', 'Cedo', { contact: C3, business: B2 }),
    ];
    const rows = chatSummary.compute(records, chatParams(chatSummary, { to: '2026-03-12' })).rows;
    expect(rows).toEqual([
      [DAY_START, B2, null, 1, 1, 1],
      [DAY_START + DAY, B2, null, 1, 1, 1],
    ]);
    // In UTC both are on the 11th (02:59:59.999 and 03:00).
    expect(
      chatSummary.compute(records, chatParams(chatSummary, { timeZone: 'UTC', to: '2026-03-12' })).rows,
    ).toEqual([[Date.UTC(2026, 2, 11), B2, null, 1, 1, 2]]);
  });

  it('speaks Portuguese', () => {
    expect(run(chatDay(), { locale: 'pt-BR' })[0]).toEqual(['10/03/2026', B, 'Billing', '1', '2', '7']);
  });

  it('counts a message sent twice once and takes records in any order', () => {
    const records = chatDay();
    expect(run([...records].reverse().concat(records))).toEqual(run());
  });

  it('adds up parts split by contact to the whole', () => {
    const { combined, whole } = combinedAndWhole(chatSummary, chatDay(), (record) =>
      'contact' in record ? (record.contact ?? '') : '',
    );
    expect(combined).toEqual(whole);
  });
});
