// IndexedDB here is fake-indexeddb, a complete in-memory implementation of the IndexedDB spec
// (Node has none); the end-to-end tests run the same store in Chromium's real IndexedDB.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEventLine } from '../../shared/events/schema.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';
import type { CaptureSignal, RecordSignal } from './signals.ts';
import {
  CaptureDatabase,
  eventsSince,
  exportJsonLines,
  signalProblem,
  storeSignals,
  syncState,
  ticketsSince,
  toRecord,
} from './store.ts';

let db: CaptureDatabase;
afterEach(async () => {
  await db.delete();
});

let counter = 0;
const signal = (fields: Partial<CaptureSignal>): CaptureSignal => ({
  key: `key-${++counter}-abcdef`,
  observedAt: Date.UTC(2026, 2, 10, 18, 41) + counter * 1000,
  type: 'login',
  cause: 'page_load',
  agentId: 'fabio.rocha',
  agentName: 'Fabio Rocha',
  sessionId: 's-1',
  ...fields,
});

describe('capture store', () => {
  it('stores signals as valid events with UUIDv7 ids, one device id and increasing seq', async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    const signals = [
      signal({}),
      signal({ type: 'status', cause: undefined, status: 'break', reason: 'Lunch' }),
    ];
    expect(await storeSignals(db, signals, { ip: '203.0.113.7' })).toEqual(signals.map((s) => s.key));
    const lines = (await exportJsonLines(db)).trim().split('\n');
    const events = lines.map((line) => {
      const parsed = parseEventLine(line);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.event;
    });
    expect(events.map((event) => [event.type, event.seq, event.ip, event.at])).toEqual([
      ['login', 0, '203.0.113.7', new Date(signals[0]!.observedAt).toISOString()],
      ['status', 1, '203.0.113.7', new Date(signals[1]!.observedAt).toISOString()],
    ]);
    expect(events[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0]!.deviceId).toBe(events[1]!.deviceId);
    expect(lines[0]).not.toContain('captureKey');
  });

  it('a resend of the same signal is stored once; no IP when none is known', async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    const once = signal({});
    await storeSignals(db, [once], { ip: '' });
    await storeSignals(db, [once, once], { ip: '' });
    const events = await eventsSince(db, 0);
    expect(events).toHaveLength(1);
    expect(events[0]!.ip).toBeUndefined();
    expect((await syncState(db)).waiting).toBe(1);
  });

  it('keeps only the latest unsynced heartbeat of each session', async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    const beat = (sessionId: string) => signal({ type: 'heartbeat', cause: undefined, sessionId });
    await storeSignals(db, [beat('s-1'), beat('s-1'), beat('s-2')], { ip: '' });
    const latest = beat('s-1');
    await storeSignals(db, [latest], { ip: '' });
    const heartbeats = (await eventsSince(db, 0)).filter((event) => event.type === 'heartbeat');
    expect(heartbeats.map((event) => [event.sessionId, event.at])).toEqual(
      expect.arrayContaining([
        ['s-1', new Date(latest.observedAt).toISOString()],
        ['s-2', expect.any(String)],
      ]),
    );
    expect(heartbeats).toHaveLength(2);
  });

  it('signalProblem tells the background which signal would be refused, before it holds back a batch', () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    expect(signalProblem(signal({}), { ip: '' })).toBeUndefined();
    expect(signalProblem(signal({ cause: undefined }), { ip: '' })).toMatch(/cause: is required/);
    expect(
      signalProblem(signal({ type: 'status', cause: undefined, status: 'break', reason: 'Lunch\u0000' }), {
        ip: '',
      }),
    ).toBe('reason: contains a NUL character (U+0000)');
    expect(signalProblem(signal({ agentName: 'Ana \ud800' }), { ip: '' })).toMatch(/unpaired surrogate/);
  });

  it('refuses a signal that would make an invalid event, storing none of its batch', async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    await expect(storeSignals(db, [signal({}), signal({ cause: undefined })], { ip: '' })).rejects.toThrow(
      /cause: is required/,
    );
    expect(await eventsSince(db, 0)).toEqual([]);
  });
});

describe('capture store: ticket and message records', () => {
  const step = (fields: Partial<TicketRecord> = {}): RecordSignal => {
    const record: TicketRecord = {
      id: 'ticket:T-1:assigned:2026-03-10T18:41:00.000Z',
      type: 'ticket',
      at: '2026-03-10T18:41:00.000Z',
      ticketId: 'T-1',
      action: 'assigned',
      agentId: 'fabio.rocha',
      agentName: 'Fabio Rocha',
      ...fields,
    };
    return { key: record.id, observedAt: Date.UTC(2026, 2, 10, 18, 41, 1), type: 'record', record };
  };

  it('stores a record as it is, with its own id; the same fact again (a replay) is stored once', async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    const first = step();
    expect(await storeSignals(db, [first, signal({})], { ip: '203.0.113.7' })).toHaveLength(2);
    expect(await storeSignals(db, [step(), step()], { ip: '' })).toEqual([first.key, first.key]);
    const stored = await db.events.toArray();
    expect(stored).toHaveLength(2);
    const ticket = stored.find((event) => event.type === 'ticket')!;
    // No device, sequence or address: a ticket step is the platform's fact, not this browser's.
    expect(toRecord(ticket)).toEqual(first.record);
    expect((await eventsSince(db, 0)).map((event) => event.type)).toEqual(['login']);
    expect((await syncState(db)).waiting).toBe(2);
  });

  it("counts the agent's distinct tickets since an instant", async () => {
    db = new CaptureDatabase(`test-${Math.random()}`);
    await storeSignals(
      db,
      [
        step(),
        step({ id: 'b', action: 'closed' }),
        step({ id: 'c', ticketId: 'T-2' }),
        step({ id: 'd', ticketId: 'T-3', agentId: 'ana' }),
        step({ id: 'e', ticketId: 'T-4', at: '2026-03-09T10:00:00Z' }),
      ].map((s) => ({ ...s, key: s.record.id })),
      { ip: '' },
    );
    expect(await ticketsSince(db, Date.UTC(2026, 2, 10))).toEqual(
      new Map([
        ['fabio.rocha', 2],
        ['ana', 1],
      ]),
    );
  });

  it('says why a record cannot be stored: its kind, its key, its fields', () => {
    const context = { ip: '' };
    expect(signalProblem(step(), context)).toBeUndefined();
    expect(signalProblem({ ...step(), key: 'another-key' }, context)).toContain('is not its id');
    expect(signalProblem(step({ action: 'lost' as 'closed' }), context)).toContain('action: must be one of');
    const status = {
      ...step(),
      record: { ...step().record, type: 'message_status' },
    } as unknown as RecordSignal;
    expect(signalProblem(status, context)).toContain('type message_status is not captured from a screen');
  });
});
