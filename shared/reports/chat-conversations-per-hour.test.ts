import { describe, expect, it } from 'vitest';
import {
  BUSINESS_2 as B2,
  CONTACT_3 as C3,
  chatDay,
  chatMessage,
  chatParams,
  combinedAndWhole,
} from '../testing/chat.ts';
import { DAY, DAY_START, runAttendance } from '../testing/tickets.ts';
import { chatConversationsPerHour } from './chat-conversations-per-hour.ts';

const run = (records = chatDay(), request: Parameters<typeof runAttendance>[2] = {}) =>
  runAttendance(chatConversationsPerHour, records, request);
/** The hours with anything in them. */
const busy = (rows: string[][]) => rows.filter((row) => row.slice(2).some((cell) => cell !== '0'));

describe('chat-conversations-per-hour (DESIGN §11, chat export)', () => {
  it('lists every hour 0–23 of the day, with the conversations started and the messages in and out', () => {
    const rows = run();
    expect(rows.map((row) => row[1])).toEqual(Array.from({ length: 24 }, (_, hour) => String(hour)));
    expect(rows.every((row) => row[0] === '2026-03-10')).toBe(true);
    expect(busy(rows)).toEqual([
      // T-0's answer at 00:00:00; T-0 started the day before (its 23:59:59 message), so no conversation.
      ['2026-03-10', '0', '0', '0', '1'],
      // CONV-1: the broadcast (out), the answer (in), the bot (out).
      ['2026-03-10', '8', '1', '1', '2'],
      // T-1 starts with the contact writing to the bot at 09:58.
      ['2026-03-10', '9', '1', '1', '0'],
      ['2026-03-10', '10', '0', '1', '2'],
      ['2026-03-10', '11', '1', '1', '2'],
      // T-3 starts at 12:59.
      ['2026-03-10', '12', '1', '2', '1'],
      ['2026-03-10', '13', '0', '1', '0'],
      ['2026-03-10', '21', '1', '1', '1'],
      // T-4 at 23:59:59.999; the bot's next-day 00:00 message is out.
      ['2026-03-10', '23', '1', '1', '0'],
    ]);
  });

  it('puts the hours in the report’s zone, not UTC', () => {
    const records = [
      chatMessage('late', DAY_START + DAY - 1, 'MO', 'Tarde', { contact: C3, business: B2 }),
      chatMessage('early', DAY_START + DAY, 'MT', 'Cedo', { contact: C3, business: B2, origin: 'api' }),
    ];
    const ask = (timeZone: string) =>
      chatConversationsPerHour
        .compute(records, chatParams(chatConversationsPerHour, { timeZone, to: '2026-03-12' }))
        .rows.filter((row) => row.slice(2).some((cell) => cell !== 0));
    expect(ask('America/Sao_Paulo')).toEqual([
      [DAY_START, 23, 1, 1, 0],
      [DAY_START + DAY, 0, 0, 0, 1],
    ]);
    expect(ask('UTC')).toEqual([
      [Date.UTC(2026, 2, 11), 2, 1, 1, 0],
      [Date.UTC(2026, 2, 11), 3, 0, 0, 1],
    ]);
  });

  it('speaks Portuguese', () => {
    expect(busy(run(chatDay(), { locale: 'pt-BR' }))[1]).toEqual(['10/03/2026', '8', '1', '1', '2']);
  });

  it('counts a message sent twice once and takes records in any order', () => {
    const records = chatDay();
    expect(run([...records].reverse().concat(records))).toEqual(run());
  });

  it('adds up parts split by contact to the whole, with every hour', () => {
    const { combined, whole } = combinedAndWhole(chatConversationsPerHour, chatDay(), (record) =>
      'contact' in record && record.contact === C3 ? C3 : '',
    );
    expect(combined).toEqual(whole);
    expect(chatConversationsPerHour.combine!([], chatParams(chatConversationsPerHour)).rows).toHaveLength(24);
  });
});
