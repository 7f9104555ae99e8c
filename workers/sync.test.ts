import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../server/db/database.ts';
import { DATABASES } from '../server/testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../server/testing/http.ts';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { RECORD_KIND_NAMES, type RecordKindName } from '../shared/records/kind.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { EXAMPLES } from '../shared/testing/records.ts';
import { keepRecords } from './import-file.ts';
import { kindCounts, LocalStore, readLocalRecords, toChunk } from './local-store.ts';
import {
  ApiError,
  CoalescingQueue,
  eventsTextOf,
  PROGRESS_EVERY_MS,
  PULL_PAGE,
  syncStore,
  throttled,
} from './sync.ts';

const BASE = Date.parse('2026-03-10T12:00:00.000Z');
/** Retention measured from the data's own days, so that these tests do not age out. */
const AT_BASE = { now: BASE + 86_400_000 };

const login = (id: string, at: number, agentId: string, agentName: string): ActivityEvent => ({
  id,
  type: 'login',
  cause: 'page_load',
  at: new Date(at).toISOString(),
  agentId,
  agentName,
});

/** Every event id in the store's chunks, in order. */
async function storedIds(store: LocalStore): Promise<string[]> {
  const chunks = await store.chunks.orderBy('n').toArray();
  return chunks.flatMap((chunk) => (JSON.parse(chunk.text) as ActivityEvent[]).map((event) => event.id));
}

let stores: LocalStore[] = [];
afterEach(async () => {
  for (const store of stores) await store.delete();
  stores = [];
});

/**
 * The records the server writes about the signed-in supervisor (`user`: signed in, then active
 * on the first request of the day), pulled with every kind.
 */
const ACCOUNT_RECORDS = 2;

function freshStore(): LocalStore {
  const store = new LocalStore(`sync-test-${Math.random().toString(36).slice(2)}`);
  stores.push(store);
  return store;
}

describe.each(DATABASES)('syncStore against the server on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  async function push(deviceToken: string, events: ActivityEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 1_000) {
      const answer = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/push', {
        token: deviceToken,
        body: { events: events.slice(start, start + 1_000) },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.accepted).toHaveLength(Math.min(1_000, events.length - start));
    }
  }

  it('pulls every page into chunks once, keeps the cursor, and then pulls only what is new', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    // 12,000 events: more than two pull pages. Ana's first pushed events are her latest, under
    // a new name; the older ones, pulled later, must not bring the old name back.
    const events = Array.from({ length: 12_000 }, (_, i) => {
      const agentId = i % 2 === 0 ? 'ana' : 'bia';
      const name = agentId === 'bia' ? 'Bia' : i < 1_000 ? 'Ana Paula' : 'Ana';
      return login(`e-${i}`, BASE + (12_000 - i) * 1_000, agentId, name);
    });
    await push(deviceToken, events);

    const store = freshStore();
    const connection = { server: server.url, token: userToken };
    const before = Date.now();
    const pages: number[] = [];
    performance.clearMarks();
    const first = await syncStore(store, connection, (pulled) => pages.push(pulled), AT_BASE);
    expect(first).toMatchObject({ pulled: 12_000 + ACCOUNT_RECORDS, pushed: 0, rejected: [] });
    // One call per page stored, with the running total; the kinds are pulled side by side, so
    // the account records' page may land between activity's.
    expect(pages).toHaveLength(4);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    expect(pages.at(-1)).toBe(12_000 + ACCOUNT_RECORDS);
    expect(pages.map((total, i) => total - (pages[i - 1] ?? 0)).sort((a, b) => a - b)).toEqual(
      [ACCOUNT_RECORDS, 2_000, PULL_PAGE, PULL_PAGE].sort((a, b) => a - b),
    );

    // The timeline of the first page of each kind (User Timing, read by bench/pwa-sync.ts).
    const marks = performance
      .getEntriesByType('mark')
      .map((mark) => mark.name)
      .filter((name) => name.endsWith(':activity') || name === 'pontual:pull-start');
    expect(marks).toEqual([
      'pontual:pull-start',
      'pontual:pull-sent:activity',
      'pontual:pull-answered:activity',
      'pontual:pull-stored:activity',
      'pontual:pull-done:activity',
    ]);

    const ids = await storedIds(store);
    expect(ids).toHaveLength(12_000);
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.id)));
    const chunks = await store.chunks.toArray();
    expect(chunks.map((chunk) => chunk.count)).toEqual([5_000, 5_000, 2_000]);
    for (const chunk of chunks) {
      const ats = (JSON.parse(chunk.text) as ActivityEvent[]).map((event) => Date.parse(event.at));
      expect([chunk.minAt, chunk.maxAt]).toEqual([Math.min(...ats), Math.max(...ats)]);
    }

    const cursor = (await store.cursors.get('activity'))?.cursor;
    expect(cursor).toMatch(/^\d+\.\d+$/);
    const syncedAt = (await store.meta.get('syncedAt'))?.value as number;
    expect(syncedAt).toBe(first.syncedAt);
    expect(syncedAt).toBeGreaterThanOrEqual(before);
    expect(syncedAt).toBeLessThanOrEqual(Date.now());

    expect(await store.agents.orderBy('agentId').toArray()).toEqual([
      { agentId: 'ana', name: 'Ana Paula', lastAt: BASE + 12_000 * 1_000 },
      { agentId: 'bia', name: 'Bia', lastAt: BASE + 11_999 * 1_000 },
    ]);

    // Nothing new: nothing pulled, the cursor stays, the sync time moves on.
    const second = await syncStore(store, connection, undefined, AT_BASE);
    // Only a store's first sync is marked: a long-lived worker gathers no marks.
    expect(performance.getEntriesByName('pontual:pull-start')).toHaveLength(1);
    expect(second).toMatchObject({ pulled: 0, pushed: 0 });
    expect(await store.chunks.count()).toBe(3);
    expect((await store.cursors.get('activity'))?.cursor).toBe(cursor);
    expect((await store.meta.get('syncedAt'))?.value).toBe(second.syncedAt);
    expect(second.syncedAt!).toBeGreaterThanOrEqual(syncedAt);

    // New pushes: only they come, and Ana's newest name wins.
    const later = [
      login('late-1', BASE + 20_000_000, 'ana', 'Ana P. Souza'),
      login('late-2', BASE + 20_001_000, 'carla', 'Carla'),
      ...events.slice(0, 3), // resent: duplicates, not stored again
    ];
    const resend = await server.call<{ accepted: string[]; duplicates: string[] }>(
      'POST',
      '/api/v1/events/push',
      { token: deviceToken, body: { events: later } },
    );
    expect(resend.body).toMatchObject({ accepted: ['late-1', 'late-2'], duplicates: ['e-0', 'e-1', 'e-2'] });
    const third = await syncStore(store, connection, undefined, AT_BASE);
    expect(third.pulled).toBe(2);
    const all = await storedIds(store);
    expect(all).toHaveLength(12_002);
    expect(all.slice(-2)).toEqual(['late-1', 'late-2']);
    expect(new Set(all).size).toBe(12_002);
    expect((await store.agents.get('ana'))?.name).toBe('Ana P. Souza');
    expect((await store.agents.get('carla'))?.name).toBe('Carla');
    expect((await store.cursors.get('activity'))?.cursor).not.toBe(cursor);
  });

  it('pushes imported chunks, drops them from pending, and gets their events back with the pull', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const fromDevice = [login('dev-1', BASE, 'ana', 'Ana')];
    await push(deviceToken, fromDevice);

    const store = freshStore();
    const imported = Array.from({ length: 1_500 }, (_, i) =>
      login(`imp-${i}`, BASE + i * 1_000, 'bia', 'Bia'),
    );
    const bad = { id: 'bad-1', type: 'login', agentId: 'bia', agentName: 'Bia' } as unknown as ActivityEvent;
    await store.pending.bulkAdd([
      { ...toChunk(imported.slice(0, 1_200)), source: 'a.jsonl' },
      { ...toChunk([...imported.slice(1_200), fromDevice[0]!]), source: 'b.jsonl' },
      { minAt: BASE, maxAt: BASE, count: 1, text: JSON.stringify([bad]), source: 'c.jsonl' },
    ]);

    const summary = await syncStore(store, { server: server.url, token: userToken }, undefined, AT_BASE);
    // The device's event was already there: a duplicate, not counted as pushed.
    expect(summary.pushed).toBe(1_500);
    expect(summary.rejected).toEqual([{ index: 0, id: 'bad-1', error: expect.stringMatching(/^at: /) }]);
    expect(await store.pending.count()).toBe(0);
    expect(summary.pulled).toBe(1_501 + ACCOUNT_RECORDS);
    const ids = await storedIds(store);
    expect(ids).toHaveLength(1_501);
    expect(new Set(ids)).toEqual(new Set(['dev-1', ...imported.map((event) => event.id)]));
    expect((await store.agents.get('bia'))?.name).toBe('Bia');
  });

  it('a revoked, unknown or device token gives a ApiError with the status, and stores nothing', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const store = freshStore();
    await store.pending.add({ ...toChunk([login('kept', BASE, 'ana', 'Ana')]), source: 'a.jsonl' });

    const failure = (token: string) => syncStore(store, { server: server.url, token });
    await expect(failure('not-a-token')).rejects.toMatchObject({ status: 401 });
    await expect(failure(deviceToken)).rejects.toMatchObject({ status: 403 });
    expect((await server.call('POST', '/api/v1/auth/logout', { token: userToken })).status).toBe(200);
    const revoked = failure(userToken);
    await expect(revoked).rejects.toBeInstanceOf(ApiError);
    await expect(revoked).rejects.toMatchObject({ status: 401, message: expect.any(String) });

    // The import waits for a good token; nothing was stored locally.
    expect(await store.pending.count()).toBe(1);
    expect(await store.chunks.count()).toBe(0);
    expect(await store.cursors.count()).toBe(0);
  });

  it('an unreachable server gives a ApiError with status 0', async () => {
    const store = freshStore();
    const unreachable = syncStore(store, { server: 'http://127.0.0.1:1', token: 'whatever' });
    await expect(unreachable).rejects.toBeInstanceOf(ApiError);
    await expect(unreachable).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/cannot be reached/),
    });
    expect(await store.meta.get('syncedAt')).toBeUndefined();
  });
});

describe.each(DATABASES)('syncStore with every kind of record on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  const at = (offset: number) => new Date(BASE + offset * 1_000).toISOString();
  const message = (id: string, offset: number) =>
    ({ ...EXAMPLES.message, id, messageId: `wamid.${id}`, at: at(offset) }) as AnyRecord;
  const status = (id: string, offset: number) =>
    ({ ...EXAMPLES.message_status, id, messageId: 'wamid.m-0', at: at(offset) }) as AnyRecord;
  async function recordIds(store: LocalStore, kind: RecordKindName): Promise<string[]> {
    const ids: string[] = [];
    for await (const batch of readLocalRecords(store, kind)) for (const record of batch) ids.push(record.id);
    return ids;
  }

  it('pulls each kind with its own cursor, only the kinds asked, and pushes imports of any kind', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const imported = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/import', {
      token: userToken,
      body: {
        events: [
          ...Array.from({ length: 12 }, (_, i) => message(`m-${i}`, i)),
          ...Array.from({ length: 7 }, (_, i) => status(`s-${i}`, 20 + i)),
        ],
      },
    });
    expect(imported.body.accepted).toHaveLength(19);
    const push = await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [0, 1, 2].map((i) => login(`e-${i}`, BASE + i, 'ana', 'Ana')) },
    });
    expect(push.status).toBe(200);

    const store = freshStore();
    const connection = { server: server.url, token: userToken };
    // The stream announced statuses only: only they come, and only their cursor moves.
    const statuses = await syncStore(store, connection, undefined, { ...AT_BASE, kinds: ['message_status'] });
    expect(statuses.pulled).toBe(7);
    expect(await recordIds(store, 'message_status')).toEqual(Array.from({ length: 7 }, (_, i) => `s-${i}`));
    expect(await store.cursors.toCollection().primaryKeys()).toEqual(['message_status']);
    expect(await recordIds(store, 'message')).toEqual([]);

    // A record imported here is pushed, then comes back with the pull of every kind.
    await keepRecords(store, [message('m-local', 100)], 'office.jsonl');
    const all = await syncStore(store, connection, undefined, AT_BASE);
    expect(all).toMatchObject({ pushed: 1, pulled: 3 + 12 + 1 + ACCOUNT_RECORDS });
    expect(await store.pendingRecords.count()).toBe(0);
    expect(await recordIds(store, 'message')).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `m-${i}`),
      'm-local',
    ]);
    expect(await storedIds(store)).toEqual(['e-0', 'e-1', 'e-2']);
    const counts = Object.fromEntries((await kindCounts(store)).map((kind) => [kind.kind, kind.count]));
    expect(counts).toEqual({
      activity: 3,
      message: 13,
      message_status: 7,
      campaign: 0,
      ticket: 0,
      webhook_delivery: 0,
      user: ACCOUNT_RECORDS,
      business_number: 0,
    });
    const cursors = await store.cursors.toArray();
    expect(cursors.map((row) => row.kind).sort()).toEqual([...RECORD_KIND_NAMES].sort());

    // Asked for activity only, but a ticket waits to be pushed: its kind is pulled too, so that
    // its pending chunk can go.
    await keepRecords(store, [{ ...EXAMPLES.ticket, at: at(200) } as AnyRecord], 'tickets.jsonl');
    const again = await syncStore(store, connection, undefined, { ...AT_BASE, kinds: ['activity'] });
    expect(again).toMatchObject({ pushed: 1, pulled: 1 });
    expect(await recordIds(store, 'ticket')).toEqual([EXAMPLES.ticket.id]);
    expect(await store.pendingRecords.count()).toBe(0);

    // 91 days on, messages and statuses (90 days) are gone after the sync; activity (400) stays.
    await syncStore(store, connection, undefined, { now: BASE + 91 * 86_400_000 });
    expect(await recordIds(store, 'message')).toEqual([]);
    expect(await recordIds(store, 'message_status')).toEqual([]);
    expect(await storedIds(store)).toEqual(['e-0', 'e-1', 'e-2']);
    // The cursors stay: what was dropped is not pulled again.
    const later = await syncStore(store, connection, undefined, { now: BASE + 91 * 86_400_000 });
    expect(later.pulled).toBe(0);
  });
});

describe('syncStore and a server that does not answer JSON', () => {
  it('a proxy’s HTML error page gives a ApiError with its status, not a parse error', async () => {
    const proxy = createServer((request, response) => {
      const ok = request.url?.startsWith('/ok');
      response.writeHead(ok ? 200 : 502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const store = freshStore();
      const failure = syncStore(store, { server: url, token: 't' });
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status: 502, message: 'the server answered 502' });
      // A 200 that is not JSON (a captive portal, a wrong address) is not taken as data either.
      const wrong = syncStore(store, { server: `${url}/ok`, token: 't' });
      await expect(wrong).rejects.toBeInstanceOf(ApiError);
      await expect(wrong).rejects.toMatchObject({ status: 200 });
      expect(await store.cursors.count()).toBe(0);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('CoalescingQueue', () => {
  it('runs one task at a time per key, and serves every request made meanwhile with one more run', async () => {
    const queue = new CoalescingQueue<number>();
    let runs = 0;
    let active = 0;
    let release: () => void = () => undefined;
    const task = async () => {
      active++;
      expect(active).toBe(1);
      runs++;
      const run = runs;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      active--;
      return run;
    };
    const first = queue.run('store', task);
    await Promise.resolve();
    await Promise.resolve();
    const later = [queue.run('store', task), queue.run('store', task), queue.run('store', task)];
    expect(later[1]).toBe(later[0]);
    release();
    expect(await first).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    // Another key does not wait; a failed run does not block the next.
    expect(await queue.run('other', async () => 7)).toBe(7);
    await expect(queue.run('store', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await queue.run('store', async () => 9)).toBe(9);
  });
});

describe('a pull page kept as sent', () => {
  it('cuts the events text out of the answer, and cuts nothing from an answer of another shape', () => {
    const events = [EXAMPLES.message, EXAMPLES.message_status];
    const page = { events, cursor: '12.34', hasMore: true } as const;
    const text = `{"events":${JSON.stringify(events)},"cursor":"12.34","hasMore":true}`;
    const kept = eventsTextOf({ ...page, events: [...events] }, text);
    expect(kept.eventsText).toBe(JSON.stringify(events));
    // Another order of keys, or spacing: the chunk is then written from the parsed events.
    const other = `{"cursor":"12.34","hasMore":true,"events":${JSON.stringify(events)}}`;
    expect(eventsTextOf({ ...page, events: [...events] }, other).eventsText).toBeUndefined();
    const spaced = `{"events": ${JSON.stringify(events)}, "cursor": "12.34", "hasMore": true}`;
    expect(eventsTextOf({ ...page, events: [...events] }, spaced).eventsText).toBeUndefined();
  });
});

describe('progress told to the page', () => {
  it('passes a value on at most once per interval, dropping the ones between', () => {
    let clock = 1_000;
    const told: number[] = [];
    const tell = throttled(
      (value) => told.push(value),
      PROGRESS_EVERY_MS,
      () => clock,
    );
    tell(5_000);
    clock += PROGRESS_EVERY_MS - 1;
    tell(10_000);
    clock += 1;
    tell(15_000);
    tell(20_000);
    clock += 10 * PROGRESS_EVERY_MS;
    tell(25_000);
    expect(told).toEqual([5_000, 15_000, 25_000]);
  });
});
