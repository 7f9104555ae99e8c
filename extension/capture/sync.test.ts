// IndexedDB here is fake-indexeddb, a complete in-memory implementation of the IndexedDB spec
// (Node has none). The server is the real one, in this process on a loopback port, on an
// embedded PGlite database; requests go through Node's own fetch.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.ts';
import { DATABASES } from '../../server/testing/databases.ts';
import { startTestServer, type TestServer, tenantWithDevice } from '../../server/testing/http.ts';
import type { Device } from '../../shared/api/devices.ts';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import type { CaptureSignal } from './signals.ts';
import {
  CaptureDatabase,
  exportJsonLines,
  retrySetAside,
  type StoredEvent,
  setAsideEvents,
  setAsideJsonLines,
  storeSignals,
  syncState,
} from './store.ts';
import {
  DEBOUNCE_MS,
  ENROLLMENT_REFUSED,
  MAX_RETRY_MS,
  NOT_ENROLLED,
  REFUSALS_BEFORE_SPLIT,
  REPORT_EVERY_MS,
  retryDelay,
  SyncEngine,
  type SyncOptions,
  type SyncSettings,
  TOKEN_REFUSED,
} from './sync.ts';

let database: Database;
let server: TestServer;
/** A loopback address where nothing listens: a server that is down. */
let downUrl: string;

beforeAll(async () => {
  database = await DATABASES[0]!.open();
  server = await startTestServer(database);
  const closed = await startTestServer(database);
  downUrl = closed.url;
  await closed.close();
});
afterAll(async () => {
  await server.close();
  await database.close();
});

let capture: CaptureDatabase;
afterEach(async () => {
  await capture.delete();
});

let counter = 0;
const signal = (fields: Partial<CaptureSignal> = {}): CaptureSignal => ({
  key: `sync-key-${++counter}`,
  observedAt: Date.UTC(2026, 2, 10, 8) + counter * 1000,
  type: 'status',
  status: 'available',
  agentId: 'fabio.rocha',
  agentName: 'Fabio Rocha',
  sessionId: 's-1',
  ...fields,
});
const store = (signals: CaptureSignal[]) => storeSignals(capture, signals, { ip: '' });
const statuses = (count: number, fields: Partial<CaptureSignal> = {}) =>
  Array.from({ length: count }, () => signal(fields));

/** A tenant with a supervisor, and a fresh enrollment code (optionally for some agents only). */
async function tenant(agentIds?: string[]): Promise<{ userToken: string; code: () => Promise<string> }> {
  const { userToken } = await tenantWithDevice(database, server);
  const code = async () => {
    const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: userToken,
      body: agentIds ? { agentIds } : {},
    });
    return created.body.code;
  };
  return { userToken, code };
}

/** Every event the tenant's database holds. */
async function pulled(userToken: string): Promise<ActivityEvent[]> {
  const events: ActivityEvent[] = [];
  let cursor = '0';
  for (;;) {
    const page = await server.call<{ events: ActivityEvent[]; cursor: string; hasMore: boolean }>(
      'GET',
      `/api/v1/events/pull?cursor=${cursor}&limit=5000`,
      { token: userToken },
    );
    events.push(...page.body.events);
    cursor = page.body.cursor;
    if (!page.body.hasMore) return events;
  }
}

interface Harness {
  engine: SyncEngine;
  settings: SyncSettings;
  /** Bodies of the pushes sent, and how many requests of each kind. */
  pushes: { events: ActivityEvent[]; sentAt: string; waiting?: number; version?: string }[];
  requests: { enroll: number; push: number };
  /** Timers the engine armed (never fired by themselves here). */
  timers: number[];
  clock: { now: number };
  /** While true, requests go to a closed port, as when the server is down. */
  down: { value: boolean };
  /** Called with each push request before it is sent. */
  beforePush: { hook: (() => Promise<void>) | undefined };
  /**
   * A stand-in for a server that refuses some requests whole (an older release, a proxy): when it
   * returns an answer for a push's events, that answer is the response and the real server is not
   * asked.
   */
  standIn: { answer: ((events: ActivityEvent[]) => Response | undefined) | undefined };
  maxConcurrent: () => number;
}

function harness(settings: SyncSettings, options: Partial<SyncOptions> = {}): Harness {
  capture ??= new CaptureDatabase(`sync-${Math.random()}`);
  const pushes: Harness['pushes'] = [];
  const requests = { enroll: 0, push: 0 };
  const timers: number[] = [];
  // An hour behind the server's clock. (A device more than 24.8 days off gets a 500 from the
  // server: its clock_offset_ms column is a 32-bit integer.)
  const clock = { now: Date.now() - 3_600_000 };
  const down = { value: false };
  const beforePush: Harness['beforePush'] = { hook: undefined };
  const standIn: Harness['standIn'] = { answer: undefined };
  let concurrent = 0;
  let maxConcurrent = 0;
  const fetcher: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url.endsWith('/events/push')) {
      requests.push++;
      const body = JSON.parse(String(init?.body));
      pushes.push(body);
      await beforePush.hook?.();
      const answer = standIn.answer?.(body.events);
      if (answer) return answer;
    } else requests.enroll++;
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    try {
      return await fetch(down.value ? url.replace(server.url, downUrl) : url, init);
    } finally {
      concurrent--;
    }
  };
  const engine = new SyncEngine({
    db: capture,
    settings: async () => ({ ...settings }),
    deviceName: 'Pontual on Linux',
    fetch: fetcher,
    now: () => clock.now,
    random: () => 0.5,
    setTimer: (_callback, ms) => {
      timers.push(ms);
      return () => {};
    },
    ...options,
  });
  return {
    engine,
    settings,
    pushes,
    requests,
    timers,
    clock,
    down,
    beforePush,
    standIn,
    maxConcurrent: () => maxConcurrent,
  };
}

const marks = async () => {
  const events = await capture.events.toArray();
  const count = (mark: number) => events.filter((event) => event.synced === mark).length;
  return { waiting: count(0), synced: count(1), rejected: count(2) };
};
const meta = async (key: string) => (await capture.meta.get(key))?.value;

describe('sync: the outbox against the real server', () => {
  it('enrolls with the code, pushes oldest first in batches of 500, and marks what the server took', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    await store(statuses(1_100));
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });

    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 1_100 });
    expect(sync.requests).toEqual({ enroll: 1, push: 3 });
    expect(sync.pushes.map((push) => push.events.length)).toEqual([500, 500, 100]);
    const sent = sync.pushes.flatMap((push) => push.events);
    expect(sent.map((event) => event.at)).toEqual(sent.map((event) => event.at).sort());
    expect(sent[0]).not.toHaveProperty('synced');
    expect(sent[0]).not.toHaveProperty('captureKey');
    expect(new Date(sync.pushes[0]!.sentAt).getTime()).toBe(sync.clock.now);

    expect(await marks()).toEqual({ waiting: 0, synced: 1_100, rejected: 0 });
    expect(await syncState(capture)).toEqual({
      waiting: 0,
      setAside: 0,
      lastSyncAt: sync.clock.now,
      lastError: undefined,
    });
    expect(await meta('syncToken')).toEqual(expect.any(String));
    // The test's clock is an hour behind the server's: the server measured it.
    expect(Number(await meta('clockOffsetMs'))).toBeGreaterThan(3_500_000);
    const onServer = await pulled(userToken);
    expect(onServer.map((event) => event.id).sort()).toEqual(sent.map((event) => event.id).sort());

    // Nothing waits: a new run sends nothing, and new events go in one push.
    expect(await sync.engine.due()).toEqual({ kind: 'synced', pushed: 0 });
    await store(statuses(3));
    expect(await sync.engine.due()).toEqual({ kind: 'synced', pushed: 3 });
    expect(sync.requests).toEqual({ enroll: 1, push: 4 });
  });

  it('each push reports the events still waiting and the version; an idle browser reports every 5 min', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    await store(statuses(700));
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() }, { version: '9.8.7' });
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 700 });
    expect(sync.pushes.map((push) => [push.events.length, push.waiting, push.version])).toEqual([
      [500, 200, '9.8.7'],
      [200, 0, '9.8.7'],
    ]);
    const devices = async () =>
      (await server.call<{ devices: Device[] }>('GET', '/api/v1/devices', { token: userToken })).body.devices;
    expect((await devices()).find((d) => d.version === '9.8.7')).toMatchObject({
      name: 'Fabio Rocha',
      eventsWaiting: 0,
    });
    // Nothing to send: no request until the report is due, then one empty push.
    sync.clock.now += REPORT_EVERY_MS - 1;
    await sync.engine.due();
    expect(sync.requests.push).toBe(2);
    sync.clock.now += 1;
    expect(await sync.engine.due()).toEqual({ kind: 'synced', pushed: 0 });
    expect(sync.pushes.slice(2)).toEqual([
      { events: [], sentAt: new Date(sync.clock.now).toISOString(), waiting: 0, version: '9.8.7' },
    ]);
    expect(await syncState(capture)).toMatchObject({ lastSyncAt: sync.clock.now });
  });

  it('a push whose answer was lost is sent again; the duplicates are marked synced and stored once', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    await store(statuses(20));
    const settings = { serverUrl: server.url, enrollmentCode: await code() };
    // The server stores the batch, then the connection drops before its answer arrives.
    let lose = true;
    const real = globalThis.fetch;
    const lossy = new SyncEngine({
      db: capture,
      settings: async () => settings,
      deviceName: 'Pontual on Linux',
      fetch: async (input, init) => {
        const response = await real(input, init);
        if (lose && String(input).endsWith('/events/push')) {
          lose = false;
          throw new TypeError('fetch failed');
        }
        return response;
      },
      setTimer: () => () => {},
    });
    expect(await lossy.now()).toMatchObject({ kind: 'retrying', error: expect.stringMatching(/reach/) });
    expect(await marks()).toEqual({ waiting: 20, synced: 0, rejected: 0 });
    expect(await pulled(userToken)).toHaveLength(20);

    await store(statuses(5));
    expect(await lossy.now()).toEqual({ kind: 'synced', pushed: 5 });
    expect(await marks()).toEqual({ waiting: 0, synced: 25, rejected: 0 });
    const onServer = await pulled(userToken);
    expect(onServer).toHaveLength(25);
    expect(new Set(onServer.map((event) => event.id)).size).toBe(25);
    expect(await syncState(capture)).toMatchObject({ waiting: 0, lastError: undefined });
  });

  it('events the server refuses are marked, reported, kept for export, and never sent again', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant(['fabio.rocha']);
    await store([...statuses(3), ...statuses(2, { agentId: 'someone.else' }), ...statuses(1)]);
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });

    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 4 });
    expect(await marks()).toEqual({ waiting: 0, synced: 4, rejected: 2 });
    const refused = (await capture.events.toArray()).filter((event) => event.synced === 2);
    expect(
      refused.map((event) => [event.agentId, event.syncError, event.syncStatus, event.setAsideAt]),
    ).toEqual([
      ['someone.else', 'agentId: someone.else is not enrolled on this device', 200, sync.clock.now],
      ['someone.else', 'agentId: someone.else is not enrolled on this device', 200, sync.clock.now],
    ]);
    expect((await syncState(capture)).setAside).toBe(2);
    expect((await syncState(capture)).lastError).toBe(
      'the server refused 2 events: agentId: someone.else is not enrolled on this device',
    );
    expect(await pulled(userToken)).toHaveLength(4);
    // The export has them all, as events (no sync bookkeeping).
    const exported = await exportJsonLines(capture);
    expect(exported.trim().split('\n')).toHaveLength(6);
    expect(exported).not.toMatch(/syncError|syncStatus|setAsideAt/);

    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 0 });
    expect(sync.requests.push).toBe(1);
    // A clean push clears the report.
    await store(statuses(1));
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 1 });
    expect((await syncState(capture)).lastError).toBeUndefined();

    // A supervisor enrolls the other agent on this device; "Try again" sends them.
    await database.query(
      `update devices set agent_ids = array['fabio.rocha', 'someone.else'] where id = $1`,
      [await meta('syncDeviceId')],
    );
    expect(await retrySetAside(capture)).toBe(2);
    expect(await marks()).toEqual({ waiting: 2, synced: 5, rejected: 0 });
    expect(
      (await capture.events.toArray()).some((event) => 'syncError' in event || 'syncStatus' in event),
    ).toBe(false);
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 2 });
    expect(await syncState(capture)).toMatchObject({ waiting: 0, setAside: 0, lastError: undefined });
    expect(await pulled(userToken)).toHaveLength(7);
  });

  it('a server that is down: retried with backoff from 1 s, doubling, jittered, up to 5 min', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 0 }); // enrolled
    await store(statuses(7));
    sync.down.value = true;

    // With the jitter's random at 0.5, each wait is three quarters of 1 s, 2 s, 4 s…
    const waits: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const outcome = await sync.engine.due();
      if (outcome.kind !== 'retrying') throw new Error(`expected a retry, got ${JSON.stringify(outcome)}`);
      expect(outcome.error).toMatch(/^could not reach the server/);
      waits.push(outcome.retryInMs);
      // Before the wait is over, the alarm's and new events' runs do not knock.
      const pushesBefore = sync.requests.push;
      sync.clock.now += outcome.retryInMs - 500;
      expect(await sync.engine.due()).toEqual({ kind: 'deferred', retryInMs: 500 });
      expect(sync.requests.push).toBe(pushesBefore);
      sync.clock.now += 500;
    }
    expect(waits).toEqual([
      750, 1_500, 3_000, 6_000, 12_000, 24_000, 48_000, 96_000, 192_000, 225_000, 225_000, 225_000,
    ]);
    expect(await sync.engine.due()).toMatchObject({ kind: 'retrying', retryInMs: 225_000 });
    // The engine armed its timer for each wait (and again for each deferral).
    expect(sync.timers).toEqual([...waits.flatMap((wait) => [wait, 500]), 225_000]);
    expect(await syncState(capture)).toMatchObject({
      waiting: 7,
      lastError: expect.stringMatching(/could not reach the server/),
    });

    // The network is back: `now()` does not wait for the backoff; the failures are forgotten.
    sync.down.value = false;
    sync.clock.now += 1_000;
    expect(await sync.engine.due()).toMatchObject({ kind: 'deferred' });
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 7 });
    expect(await syncState(capture)).toMatchObject({ waiting: 0, lastError: undefined });
    expect(await meta('syncFailures')).toBeUndefined();
    expect(await pulled(userToken)).toHaveLength(7);
    sync.down.value = true;
    await store(statuses(1));
    expect(await sync.engine.due()).toMatchObject({ kind: 'retrying', retryInMs: 750 });
  });

  it('a busy server (429) is waited for as long as its Retry-After says', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const limited = await startTestServer(database, { push: 1 });
    try {
      await store(statuses(8));
      const sync = harness({ serverUrl: limited.url, enrollmentCode: await code() }, { batchSize: 5 });
      const outcome = await sync.engine.now();
      expect(outcome).toMatchObject({
        kind: 'retrying',
        pushed: 5,
        error: expect.stringMatching(/^the server answered 429/),
      });
      // Retry-After is about a minute, far longer than the first step of the backoff.
      expect(outcome.kind === 'retrying' && outcome.retryInMs).toBeGreaterThan(30_000);
      expect(await marks()).toEqual({ waiting: 3, synced: 5, rejected: 0 });
      expect(await pulled(userToken)).toHaveLength(5);
    } finally {
      await limited.close();
    }
  });

  it('the jitter keeps each wait between half and all of its step', () => {
    expect(retryDelay(1, () => 0)).toBe(500);
    expect(retryDelay(1, () => 0.999_999)).toBe(1_000);
    expect(retryDelay(4, () => 0)).toBe(4_000);
    expect(retryDelay(4, () => 0.999_999)).toBe(8_000);
    expect(retryDelay(40, () => 0.999_999)).toBe(MAX_RETRY_MS);
    expect(retryDelay(1_000, () => 0)).toBe(MAX_RETRY_MS / 2);
  });

  it('a 401 drops the token and says so; only a new enrollment code enrolls again', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    await store(statuses(2));
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 2 });
    // A supervisor removes the device.
    await database.query('update devices set revoked_at = now() where id = $1', [await meta('syncDeviceId')]);
    await store(statuses(3));

    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: TOKEN_REFUSED });
    expect(await meta('syncToken')).toBeUndefined();
    expect(await syncState(capture)).toMatchObject({ waiting: 3, lastError: TOKEN_REFUSED });
    // The used code is not sent again, however often the alarm rings.
    const requests = { ...sync.requests };
    expect(await sync.engine.due()).toEqual({ kind: 'blocked', pushed: 0, error: TOKEN_REFUSED });
    expect(sync.requests).toEqual(requests);

    sync.settings.enrollmentCode = await code();
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 3 });
    expect(await syncState(capture)).toMatchObject({ waiting: 0, lastError: undefined });
    expect(await pulled(userToken)).toHaveLength(5);
  });

  it('a refused enrollment code (403) is reported and not tried again until the code changes', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    await store(statuses(2));
    const sync = harness({ serverUrl: server.url, enrollmentCode: 'WRONG-CODE-1234' });
    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: ENROLLMENT_REFUSED });
    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: ENROLLMENT_REFUSED });
    expect(sync.requests).toEqual({ enroll: 1, push: 0 });
    expect((await syncState(capture)).lastError).toBe(ENROLLMENT_REFUSED);

    sync.settings.enrollmentCode = await code();
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 2 });
  });

  it('without a code it says it is not enrolled; another server URL drops the token; no URL, no sync', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    await store(statuses(1));
    const sync = harness({ serverUrl: server.url, enrollmentCode: '' });
    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: NOT_ENROLLED });
    sync.settings.enrollmentCode = await code();
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 1 });

    sync.settings.serverUrl = downUrl;
    sync.settings.enrollmentCode = '';
    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: NOT_ENROLLED });
    expect(await meta('syncToken')).toBeUndefined();
    expect(sync.requests).toEqual({ enroll: 1, push: 1 });

    sync.settings.serverUrl = '';
    expect(await sync.engine.now()).toEqual({ kind: 'off' });
    expect((await syncState(capture)).lastError).toBeUndefined();
  });

  it('one push at a time: requests during a run make one more run after it', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() }, { batchSize: 10 });
    await store(statuses(35));
    let stored = 0;
    // Events keep coming while pushes are in flight.
    sync.beforePush.hook = async () => {
      if (stored++ < 3) await store(statuses(2));
    };
    const runs = await Promise.all([
      sync.engine.now(),
      sync.engine.due(),
      sync.engine.now(),
      sync.engine.due(),
    ]);
    expect(sync.maxConcurrent()).toBe(1);
    expect(runs[0]).toMatchObject({ kind: 'synced' });
    // The three requests during the first run share the run after it.
    expect(runs[1]).toBe(runs[2]);
    expect(runs[2]).toBe(runs[3]);
    expect(await marks()).toEqual({ waiting: 0, synced: 41, rejected: 0 });
    expect(await pulled(userToken)).toHaveLength(41);
  });

  it('a heartbeat superseded while its push is in flight: the server has it, the store only the latest', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const heartbeat = () => signal({ type: 'heartbeat', status: undefined });
    await store([signal({ type: 'login', cause: 'page_load', status: undefined }), heartbeat()]);
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    let superseded = false;
    sync.beforePush.hook = async () => {
      if (superseded) return;
      superseded = true;
      await store([heartbeat()]);
    };
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 3 });
    const local = await capture.events.toArray();
    expect(local.map((event: StoredEvent) => [event.type, event.synced])).toEqual([
      ['login', 1],
      ['heartbeat', 1],
    ]);
    const onServer = await pulled(userToken);
    expect(onServer.map((event) => event.type)).toEqual(['login', 'heartbeat', 'heartbeat']);
  });

  it('soon() pushes once, two seconds after the first new events', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const sync = harness({ serverUrl: '', enrollmentCode: '' });
    sync.engine.soon();
    sync.engine.soon();
    sync.engine.soon();
    expect(sync.timers).toEqual([DEBOUNCE_MS]);
  });
});

describe('sync: a batch the server refuses whole is split, and only the events it refuses are set aside', () => {
  /** A break whose reason marks it as the one the stand-in refuses. */
  const poisoned = () => signal({ status: 'break', reason: 'poison' });
  const holdsPoison = (events: ActivityEvent[]) =>
    events.some((event) => event.type === 'status' && event.status === 'break' && event.reason === 'poison');
  const refuse = (status: number, error: string) => (events: ActivityEvent[]) =>
    holdsPoison(events) ? Response.json({ error }, { status }) : undefined;

  it('a 400 for the whole batch: halves are pushed until the refused events are alone; the rest is synced', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([...statuses(3), poisoned(), ...statuses(10), poisoned(), ...statuses(6)]);
    const bad = (await capture.events.toArray())
      .filter((event) => 'reason' in event && event.reason === 'poison')
      .map((e) => e.id);
    sync.standIn.answer = refuse(400, 'body: cannot read events of this shape');

    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 19 });
    expect(await marks()).toEqual({ waiting: 0, synced: 19, rejected: 2 });
    const aside = await setAsideEvents(capture);
    expect(aside.map((event) => [event.id, event.syncError, event.syncStatus])).toEqual(
      bad.map((id) => [id, '400: body: cannot read events of this shape', 400]),
    );
    // The batch, then halves of the halves that fail: 17 requests here (the figure in docs/capture.md).
    expect(sync.requests.push).toBe(17);
    expect(await syncState(capture)).toMatchObject({
      waiting: 0,
      setAside: 2,
      lastError: 'the server refused 2 events: 400: body: cannot read events of this shape',
    });
    const onServer = await pulled(userToken);
    expect(onServer).toHaveLength(19);
    expect(onServer.some((event) => bad.includes(event.id))).toBe(false);
    expect(await meta('syncFailures')).toBeUndefined();

    // They are not sent again; new events go on as usual.
    const before = sync.requests.push;
    await store(statuses(2));
    expect(await sync.engine.due()).toEqual({ kind: 'synced', pushed: 2 });
    expect(sync.requests.push).toBe(before + 1);
    expect(sync.pushes.at(-1)!.events.some((event) => bad.includes(event.id))).toBe(false);

    // Support's download: one line per event, with the reason and the event as sent.
    const lines = setAsideJsonLines(await setAsideEvents(capture))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      bad.map((id) => ({
        reason: '400: body: cannot read events of this shape',
        status: 400,
        setAsideAt: new Date(sync.clock.now).toISOString(),
        event: expect.objectContaining({ id, type: 'status', status: 'break', reason: 'poison' }),
      })),
    );
    expect(Object.keys(lines[0].event)).not.toContain('syncError');

    // After a server upgrade, "Try again" sends them, and the server takes them.
    sync.standIn.answer = undefined;
    expect(await retrySetAside(capture)).toBe(2);
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 2 });
    expect(await syncState(capture)).toMatchObject({ waiting: 0, setAside: 0 });
    expect(await pulled(userToken)).toHaveLength(23);
  });

  it(`a 500 is retried with backoff; the ${REFUSALS_BEFORE_SPLIT}rd in a row for the same batch splits it`, async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([...statuses(4), poisoned(), ...statuses(5)]);
    sync.standIn.answer = refuse(500, 'internal server error');

    for (let attempt = 1; attempt < REFUSALS_BEFORE_SPLIT; attempt++) {
      expect(await sync.engine.due()).toEqual({
        kind: 'retrying',
        pushed: 0,
        retryInMs: retryDelay(attempt, () => 0.5),
        error: 'the server answered 500: internal server error',
      });
      expect(await marks()).toEqual({ waiting: 10, synced: 0, rejected: 0 });
      sync.clock.now += MAX_RETRY_MS;
    }
    expect(sync.requests.push).toBe(REFUSALS_BEFORE_SPLIT - 1);
    expect(await sync.engine.due()).toEqual({ kind: 'synced', pushed: 9 });
    expect(await marks()).toEqual({ waiting: 0, synced: 9, rejected: 1 });
    const [aside] = await setAsideEvents(capture);
    expect([
      aside && 'reason' in aside ? aside.reason : undefined,
      aside!.syncError,
      aside!.syncStatus,
    ]).toEqual(['poison', '500: internal server error', 500]);
    expect(await pulled(userToken)).toHaveLength(9);
    expect(await meta('syncRefusals')).toBeUndefined();
    expect(await meta('syncFailures')).toBeUndefined();
  });

  it('a 500 that passes is not counted against the next batch: the count is per oldest event, in a row', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store(statuses(3));
    let failing = true;
    sync.standIn.answer = () => (failing ? Response.json({ error: 'boom' }, { status: 500 }) : undefined);
    expect(await sync.engine.now()).toMatchObject({ kind: 'retrying' });
    expect(await sync.engine.now()).toMatchObject({ kind: 'retrying' });
    failing = false;
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 3 });
    await store(statuses(3));
    failing = true;
    expect(await sync.engine.now()).toMatchObject({ kind: 'retrying' });
    expect(await sync.engine.now()).toMatchObject({ kind: 'retrying' });
    expect(await marks()).toEqual({ waiting: 3, synced: 3, rejected: 0 });
    expect(sync.requests.push).toBe(5);
  });

  it('a server that refuses everything sets nothing aside, and gets a few requests per retry, not one per event', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store(statuses(500));
    for (const [status, error] of [
      [404, 'not found'],
      [500, 'internal server error'],
    ] as const) {
      sync.standIn.answer = () => Response.json({ error }, { status });
      for (let attempt = 0; attempt < REFUSALS_BEFORE_SPLIT + 2; attempt++) {
        const before = sync.requests.push;
        const outcome = await sync.engine.now();
        expect(outcome).toMatchObject({
          kind: 'retrying',
          pushed: 0,
          error: expect.stringContaining(`${status}: ${error}`),
        });
        // 1 for the batch, then at most 2·⌈log₂ 500⌉ + 4 = 22 refused parts, and the one past it.
        expect(sync.requests.push - before).toBeLessThanOrEqual(24);
      }
      expect(await marks()).toEqual({ waiting: 500, synced: 0, rejected: 0 });
    }
  });

  it('one bad event at the head of 500 is found in 19 requests, the rest synced', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([poisoned(), ...statuses(499)]);
    sync.standIn.answer = refuse(400, 'cannot read');
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 499 });
    // The batch, then a newer half taken and an older half refused at each of 9 levels.
    expect(sync.requests.push).toBe(1 + 2 * 9);
    expect(await marks()).toEqual({ waiting: 0, synced: 499, rejected: 1 });
    expect(await pulled(userToken)).toHaveLength(499);
  });

  it('a lone event refused waits until another event gets through, then is set aside', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { userToken, code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([poisoned()]);
    sync.standIn.answer = refuse(422, 'reason: not accepted');
    // Alone, its refusal cannot tell a bad event from a broken server.
    expect(await sync.engine.now()).toMatchObject({
      kind: 'retrying',
      error: 'the server answered 422: reason: not accepted (to every part of the batch; kept to send again)',
    });
    expect(await marks()).toEqual({ waiting: 1, synced: 0, rejected: 0 });
    await store(statuses(1));
    expect(await sync.engine.now()).toEqual({ kind: 'synced', pushed: 1 });
    expect(await marks()).toEqual({ waiting: 0, synced: 1, rejected: 1 });
    expect(await pulled(userToken)).toHaveLength(1);
  });

  it('answers that are not about the events never split a batch: network, 403, 408, 429, 502, 503, 504', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([poisoned(), ...statuses(3)]);
    for (const status of [403, 408, 429, 502, 503, 504]) {
      sync.standIn.answer = () => Response.json({ error: 'not now' }, { status });
      for (let attempt = 0; attempt < REFUSALS_BEFORE_SPLIT + 1; attempt++) {
        const before = sync.requests.push;
        expect(await sync.engine.now()).toMatchObject({
          kind: 'retrying',
          error: `the server answered ${status}: not now`,
        });
        expect(sync.requests.push).toBe(before + 1);
      }
    }
    sync.standIn.answer = undefined;
    sync.down.value = true;
    for (let attempt = 0; attempt < REFUSALS_BEFORE_SPLIT + 1; attempt++)
      expect(await sync.engine.now()).toMatchObject({
        kind: 'retrying',
        error: expect.stringMatching(/^could not reach/),
      });
    expect(await marks()).toEqual({ waiting: 4, synced: 0, rejected: 0 });
  });

  it('a token revoked in the middle of a split stops it, keeps what is left, and says so', async () => {
    capture = new CaptureDatabase(`sync-${Math.random()}`);
    const { code } = await tenant();
    const sync = harness({ serverUrl: server.url, enrollmentCode: await code() });
    await store([poisoned(), ...statuses(7)]);
    sync.standIn.answer = (events) => {
      if (events.length === 8) return Response.json({ error: 'cannot read' }, { status: 400 });
      return Response.json({ error: 'token revoked' }, { status: 401 });
    };
    expect(await sync.engine.now()).toEqual({ kind: 'blocked', pushed: 0, error: TOKEN_REFUSED });
    expect(await marks()).toEqual({ waiting: 8, synced: 0, rejected: 0 });
    expect(await meta('syncToken')).toBeUndefined();
  });
});
