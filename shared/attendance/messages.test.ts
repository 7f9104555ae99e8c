import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { TicketAction, TicketRecord } from '../records/ticket.ts';
import { TicketMessages } from './messages.ts';
import { agentOf, compareText, currentState, gatherTickets } from './tickets.ts';

/** A small seeded generator (mulberry32): the same records on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = Date.UTC(2026, 2, 10, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Tickets with steps and messages in any order: a provider id sent twice (at another instant,
 * or at the same instant under another record id), messages at the same instant, a ticket known
 * only by its messages, an agent id under two names, records after "now".
 */
function messyRecords(seed: number): AnyRecord[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const records: AnyRecord[] = [];
  const actions: TicketAction[] = ['opened', 'assigned', 'transferred', 'pending', 'closed', 'reopened'];
  for (let t = 0; t < 40; t++) {
    const ticketId = pick(['T-', 'T-1', 't-', 'Z-']) + t;
    if (t % 7 !== 3)
      for (let s = 0; s < 1 + Math.floor(next() * 5); s++) {
        const step: TicketRecord = {
          id: `s-${t}-${s}`,
          type: 'ticket',
          at: iso(BASE + Math.floor(next() * 20) * 60_000),
          ticketId,
          action: s === 0 ? 'opened' : pick(actions),
          contact: '5511900000001',
          business: '551133334444',
          ...(next() < 0.6 ? { queue: pick(['Billing', 'Support']) } : {}),
          ...(next() < 0.6 ? { agentId: pick(['ana', 'bruno']), agentName: pick(['Ana', 'Bruno']) } : {}),
          ...(next() < 0.3 ? { trackingId: `TRK-${t}` } : {}),
        };
        records.push(step);
      }
    for (let m = 0; m < Math.floor(next() * 8); m++) {
      const mt = next() < 0.5;
      const message: MessageRecord = {
        id: `m-${t}-${m}`,
        type: 'message',
        at: iso(BASE + Math.floor(next() * 25) * 60_000),
        messageId: `wamid.${t}.${Math.floor(next() * 6)}`,
        channel: 'whatsapp',
        direction: mt ? 'MT' : 'MO',
        contact: pick(['5511900000001', '5511900000002']),
        business: '551133334444',
        contentType: 'text',
        ticketId,
        ...(next() < 0.8 ? { text: `text of m-${t}-${m}` } : {}),
        ...(next() < 0.4 ? { queue: pick(['Billing', 'Sales']) } : {}),
        ...(mt && next() < 0.7
          ? {
              agentId: pick(['ana', 'bruno']),
              ...(next() < 0.7 ? { agentName: pick(['Ana', 'Ana S.']) } : {}),
            }
          : {}),
      };
      records.push(message);
      // The same provider id again: at the same instant under another record id.
      if (next() < 0.2) records.push({ ...message, id: `a-${t}-${m}`, text: `again m-${t}-${m}` });
    }
  }
  // Any order.
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [records[i], records[j]] = [records[j]!, records[i]!];
  }
  return records;
}

/** What a visit sees, message by message: enough to tell any two records apart. */
function visited(messages: TicketMessages): unknown[] {
  const seen: unknown[] = [];
  messages.visit(
    () => true,
    (ticket, slot) =>
      seen.push([
        ticket.ticketId,
        currentState(ticket)?.status,
        messages.at(slot),
        messages.text(slot),
        messages.isFromContact(slot),
        messages.ownAgent(slot),
        messages.ownQueue(slot),
        messages.contact(slot),
        messages.business(slot),
      ]),
  );
  return seen;
}

describe('TicketMessages: the tickets’ messages as columns', () => {
  it('visits the same messages, once per provider id and in the same order, as gatherTickets', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const records = messyRecords(seed);
      const now = BASE + 22 * 60_000;
      const expected: unknown[] = [];
      const tickets = [...gatherTickets(records, now).values()].sort((a, b) =>
        compareText(a.ticketId, b.ticketId),
      );
      for (const ticket of tickets)
        for (const { at, record } of ticket.messages)
          expected.push([
            ticket.ticketId,
            currentState(ticket)?.status,
            at,
            record.text,
            record.direction === 'MO',
            record.direction === 'MT' ? agentOf(record) : undefined,
            record.queue,
            record.contact,
            record.business,
          ]);
      // Fed in batches of any size, as the report worker reads its store.
      const messages = new TicketMessages(now);
      for (let start = 0; start < records.length; start += 17) messages.add(records.slice(start, start + 17));
      const got = visited(messages);
      expect(got.length).toBeGreaterThan(50);
      expect(got).toEqual(expected);
    }
  });

  it('skips the messages of a ticket its caller leaves out', () => {
    const records = messyRecords(9);
    const messages = new TicketMessages(Number.POSITIVE_INFINITY);
    messages.add(records);
    const tickets: string[] = [];
    messages.visit(
      (ticket) => ticket.ticketId.startsWith('T-'),
      (ticket) => tickets.push(ticket.ticketId),
    );
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((id) => id.startsWith('T-'))).toBe(true);
  });
});
