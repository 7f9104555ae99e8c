import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import { MESSAGE_STATUS_CATALOG } from '../records/status-catalog.ts';
import { BUSINESS, CONTACT, mo, mt, opened, status } from '../testing/messaging.ts';
import { countDispatch, type Dispatch, emptyCounts, MessagingData } from './dispatches.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;

function load(records: AnyRecord[]): MessagingData {
  const data = new MessagingData();
  for (const record of records) data.add(record);
  return data;
}
const dispatchOf = (data: MessagingData, messageId: string) =>
  [...data.dispatches()].find((dispatch) => dispatch.messageId === messageId) as Dispatch;

describe('a dispatch and its status', () => {
  it('is accepted, with no Status Date, before any update', () => {
    const sent = mt(T0);
    expect(dispatchOf(load([sent]), sent.messageId)).toMatchObject({ status: 'accepted', at: T0 });
    expect(dispatchOf(load([sent]), sent.messageId).statusAt).toBeUndefined();
  });

  it('takes the deciding update whatever the arrival order: failed after delivered stays delivered', () => {
    const sent = mt(T0);
    const updates = [
      status(sent.messageId, T0 + 1000, 'sent'),
      status(sent.messageId, T0 + 2000, 'delivered'),
      status(sent.messageId, T0 + 3000, 'failed'),
    ];
    for (const order of [updates, [...updates].reverse(), [updates[2]!, updates[0]!, updates[1]!]]) {
      const dispatch = dispatchOf(load([...order, sent]), sent.messageId);
      expect(dispatch).toMatchObject({
        status: 'delivered',
        statusAt: T0 + 2000,
        providerStatus: 'provider delivered',
      });
    }
  });

  it('is read when read arrives before delivered', () => {
    const sent = mt(T0);
    const data = load([
      status(sent.messageId, T0 + 5000, 'read'),
      sent,
      status(sent.messageId, T0 + 4000, 'delivered'),
    ]);
    expect(dispatchOf(data, sent.messageId)).toMatchObject({ status: 'read', statusAt: T0 + 5000 });
  });

  it('makes a message known from a status alone, with its numbers and no send time', () => {
    const orphan = { ...status('wamid.unseen', T0, 'invalid_session'), contact: CONTACT, business: BUSINESS };
    const dispatch = dispatchOf(load([orphan]), 'wamid.unseen');
    expect(dispatch).toEqual({
      messageId: 'wamid.unseen',
      contact: CONTACT,
      business: BUSINESS,
      status: 'invalid_session',
      statusAt: T0,
      providerStatus: 'provider invalid_session',
      // Where the messaging reports place it: its first status.
      seenAt: T0,
    });
  });

  it('lists MTs only, once per provider id even when two records carry it', () => {
    const sent = mt(T0);
    const again = { ...sent, id: 'copy', at: new Date(T0 + 1).toISOString() };
    const data = load([again, sent, mo(T0 + HOUR)]);
    expect([...data.dispatches()].map((dispatch) => dispatch.message?.id)).toEqual([sent.id]);
  });
});

describe('the reply window (DESIGN §10)', () => {
  const replied = (
    records: AnyRecord[],
    sent: MessageRecord,
    rule: 'message' | 'message-and-ticket' = 'message',
  ) => {
    const data = load(records);
    return data.replied(dispatchOf(data, sent.messageId), rule);
  };

  it('counts a reply exactly 24 h after the dispatch, not one a second later', () => {
    const sent = mt(T0);
    expect(replied([sent, mo(T0 + 24 * HOUR)], sent)).toBe(true);
    expect(replied([sent, mo(T0 + 24 * HOUR + 1000)], sent)).toBe(false);
  });

  it('does not count a reply at the same instant as the dispatch', () => {
    const sent = mt(T0);
    expect(replied([sent, mo(T0)], sent)).toBe(false);
  });

  it('is cut by a later template to the same contact, not by a text message', () => {
    const sent = mt(T0);
    const laterTemplate = mt(T0 + 2 * HOUR);
    expect(replied([sent, laterTemplate, mo(T0 + 3 * HOUR)], sent)).toBe(false);
    // The reply then answers the later template.
    expect(replied([sent, laterTemplate, mo(T0 + 3 * HOUR)], laterTemplate)).toBe(true);
    expect(replied([sent, mt(T0 + 2 * HOUR, { contentType: 'text' }), mo(T0 + 3 * HOUR)], sent)).toBe(true);
    // A reply at the very instant of the next template still answers the first.
    expect(replied([sent, mt(T0 + 2 * HOUR), mo(T0 + 2 * HOUR)], sent)).toBe(true);
  });

  it('does not count a reply to another business number, or from another contact', () => {
    const sent = mt(T0);
    expect(replied([sent, mo(T0 + HOUR, { business: '551100000000' })], sent)).toBe(false);
    expect(replied([sent, mo(T0 + HOUR, { contact: '5511900000000' })], sent)).toBe(false);
    // A template to another number does not cut this one's window.
    expect(replied([sent, mt(T0 + HOUR, { business: '551100000000' }), mo(T0 + 2 * HOUR)], sent)).toBe(true);
  });

  it('counts a broadcast reply only with a ticket opened at or after the reply', () => {
    const sent = mt(T0, { origin: 'broadcast', campaignId: 'c-1' });
    const reply = mo(T0 + HOUR);
    expect(replied([sent, reply], sent, 'message-and-ticket')).toBe(false);
    expect(replied([sent, reply, opened(T0 + HOUR)], sent, 'message-and-ticket')).toBe(true);
    expect(replied([sent, reply, opened(T0 + HOUR + 60_000)], sent, 'message-and-ticket')).toBe(true);
    expect(replied([sent, reply, opened(T0 + HOUR - 1)], sent, 'message-and-ticket')).toBe(false);
    expect(
      replied([sent, reply, opened(T0 + 2 * HOUR, { business: '551100000000' })], sent, 'message-and-ticket'),
    ).toBe(false);
  });
});

describe('records held whole', () => {
  it('holds only the records kept, while the reply rule still sees every message', () => {
    const sent = mt(T0, { origin: 'broadcast', campaignId: 'c-1' });
    const byAgent = mt(T0 + 2 * HOUR);
    const reply = mo(T0 + HOUR);
    const data = new MessagingData((record) => record.origin === 'broadcast');
    for (const record of [sent, byAgent, reply, opened(T0 + HOUR)]) data.add(record);
    expect(dispatchOf(data, sent.messageId).message).toBe(sent);
    expect(dispatchOf(data, byAgent.messageId)).toMatchObject({ at: T0 + 2 * HOUR, contact: CONTACT });
    expect(dispatchOf(data, byAgent.messageId).message).toBeUndefined();
    expect(data.message(reply.messageId)).toBeUndefined();
    // The reply (not kept) answers the broadcast; the template not kept still cuts the window.
    expect(data.replied(dispatchOf(data, sent.messageId), 'message-and-ticket')).toBe(true);
    const late = new MessagingData((record) => record.origin === 'broadcast');
    for (const record of [sent, byAgent, mo(T0 + 3 * HOUR), opened(T0 + 3 * HOUR)]) late.add(record);
    expect(late.replied(dispatchOf(late, sent.messageId), 'message-and-ticket')).toBe(false);
  });
});

describe('consolidated counts', () => {
  const values = MESSAGE_STATUS_CATALOG.map((entry) => entry.value);

  it('Total = Sent + Blocked + Failures + pending, and Sent ⊇ Delivered ⊇ Read, over any statuses', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...values), fc.boolean())), (dispatches) => {
        const counts = emptyCounts();
        for (const [value, wasReplied] of dispatches) countDispatch(counts, value, wasReplied);
        expect(counts.total).toBe(counts.sent + counts.blocked + counts.failed + counts.pending);
        expect(counts.sent).toBeGreaterThanOrEqual(counts.delivered);
        expect(counts.delivered).toBeGreaterThanOrEqual(counts.read);
        expect(counts.replied).toBe(dispatches.filter(([, wasReplied]) => wasReplied).length);
      }),
    );
  });

  it('decides every dispatch the same in every arrival order of the records', () => {
    const record = fc.oneof(
      fc.record({ kind: fc.constant('mt' as const), at: fc.integer({ min: 0, max: 48 }) }),
      fc.record({ kind: fc.constant('mo' as const), at: fc.integer({ min: 0, max: 48 }) }),
      fc.record({
        kind: fc.constant('status' as const),
        at: fc.integer({ min: 0, max: 48 }),
        target: fc.nat(5),
        value: fc.constantFrom(...values),
      }),
      fc.record({ kind: fc.constant('ticket' as const), at: fc.integer({ min: 0, max: 48 }) }),
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), fc.func(fc.integer()), (specs, shuffleKey) => {
        const records: AnyRecord[] = specs.map((spec, i) => {
          const at = T0 + spec.at * HOUR;
          const id = `r-${i}`;
          if (spec.kind === 'mt') return { ...mt(at), id, messageId: `w-${i % 6}` };
          if (spec.kind === 'mo') return { ...mo(at), id, messageId: `mo-${i}` };
          if (spec.kind === 'ticket') return { ...opened(at), id };
          return status(`w-${spec.target}`, at, spec.value, id);
        });
        const summary = (list: AnyRecord[]) => {
          const data = load(list);
          return [...data.dispatches()]
            .map(
              (d) =>
                `${d.messageId}:${d.status}:${d.statusAt}:${data.replied(d, 'message')}:${data.replied(d, 'message-and-ticket')}`,
            )
            .sort();
        };
        const shuffled = [...records].sort((a, b) => shuffleKey(a.id) - shuffleKey(b.id));
        expect(summary(shuffled)).toEqual(summary(records));
      }),
    );
  });
});
