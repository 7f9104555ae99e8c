import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { type EventStream, openEventStream } from '../testing/event-stream.ts';
import { startTestServer, type TestServer, tenantWithDevice } from '../testing/http.ts';
import { type Cluster, startCluster } from '../testing/postgres-cluster.ts';
import { type ServeProcess, spawnServe } from '../testing/serve-process.ts';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { connectionLost, listenRetryDelay, openPostgres } from './postgres.ts';

const UNAVAILABLE = 'the database is unavailable; try again in a moment';
/** The outage of the third case: long enough for every retry to fail many times over. */
const OUTAGE_MS = 20_000;

/**
 * PostgreSQL goes away under two server instances behind one database: A is `pontual serve` in a
 * process of its own (it must not exit), B runs in this process (an unhandled error or rejection
 * here fails the run). A supervisor's stream is open on each. This file has its own cluster,
 * since it restarts it.
 */
describe('the server outlives its PostgreSQL', () => {
  let cluster: Cluster;
  let dbB: Database;
  let b: TestServer;
  let a: ServeProcess;
  let tenant: Awaited<ReturnType<typeof tenantWithDevice>>;
  let pushed = 0;

  beforeAll(async () => {
    cluster = startCluster(57_000 + Math.floor(Math.random() * 500));
    dbB = await openPostgres(cluster.url);
    await migrate(dbB);
    b = await startTestServer(dbB);
    a = await spawnServe({ databaseUrl: cluster.url });
    tenant = await tenantWithDevice(dbB, b);
  }, 120_000);
  afterAll(async () => {
    a?.child.kill('SIGTERM');
    await a?.exited;
    await b?.close();
    await dbB?.close();
    cluster?.stop();
  });

  const call = async (url: string, method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const health = async (url: string) => (await fetch(`${url}/healthz`)).status;
  const nextEvent = (): ActivityEvent => ({
    id: `after-outage-${++pushed}`,
    type: 'logout',
    at: '2026-03-10T18:41:00Z',
    agentId: 'ana',
    agentName: 'Ana',
  });

  /** Both streams hear that they must catch up, both instances answer, news crosses them again. */
  async function expectRecovered(streams: { onA: EventStream; onB: EventStream }) {
    await expect.poll(() => health(a.url), { timeout: 30_000 }).toBe(200);
    await expect.poll(() => health(b.url), { timeout: 30_000 }).toBe(200);
    await streams.onA.waitFor('resync');
    await streams.onB.waitFor('resync');

    // Pushed to one instance, announced on the other's stream through LISTEN, pullable there.
    for (const [pushTo, streamOn, pullFrom] of [
      [b.url, streams.onA, a.url],
      [a.url, streams.onB, b.url],
    ] as const) {
      const mark = streamOn.kinds.length;
      const event = nextEvent();
      const push = await call(pushTo, 'POST', '/api/v1/events/push', tenant.deviceToken, { events: [event] });
      expect(push).toMatchObject({ status: 200, body: { accepted: [event.id] } });
      await streamOn.waitFor('events', mark);
      const pull = await call(pullFrom, 'GET', '/api/v1/events/pull?limit=5000', tenant.userToken);
      expect(pull.status).toBe(200);
      expect((pull.body.events as ActivityEvent[]).map((stored) => stored.id)).toContain(event.id);
    }
    expect(streams.onA.ended || streams.onB.ended).toBe(false);
    expect(a.child.exitCode).toBeNull();
  }

  async function openStreams() {
    return {
      onA: await openEventStream(a.url, tenant.userToken),
      onB: await openEventStream(b.url, tenant.userToken),
    };
  }

  it('the LISTEN connections are terminated', async () => {
    const streams = await openStreams();
    try {
      expect(await cluster.terminateListeners()).toBe(2); // one per instance
      await expectRecovered(streams);
    } finally {
      streams.onA.close();
      streams.onB.close();
    }
  });

  it('PostgreSQL restarts (pg_ctl restart -m fast)', async () => {
    const streams = await openStreams();
    try {
      await cluster.restart();
      await expectRecovered(streams);
    } finally {
      streams.onA.close();
      streams.onB.close();
    }
  });

  it(
    'PostgreSQL is down for 20 s: 503 "database unavailable" meanwhile, then everything resumes',
    async () => {
      const streams = await openStreams();
      try {
        await cluster.down();
        const outageEnds = new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        await expect.poll(() => health(a.url), { timeout: 30_000 }).toBe(503);
        expect(await health(b.url)).toBe(503);
        expect(
          await call(b.url, 'POST', '/api/v1/events/push', tenant.deviceToken, { events: [nextEvent()] }),
        ).toEqual({ status: 503, body: { error: UNAVAILABLE } });
        expect(await call(a.url, 'GET', '/api/v1/events/pull', tenant.userToken)).toEqual({
          status: 503,
          body: { error: UNAVAILABLE },
        });
        await outageEnds;
        expect(a.child.exitCode).toBeNull();
        await cluster.up();
        await expectRecovered(streams);
      } finally {
        streams.onA.close();
        streams.onB.close();
      }
    },
    OUTAGE_MS + 90_000,
  );

  it("tells a lost connection from a statement's own error", async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const duplicate = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect([refused, shutdown, new Error('Connection terminated unexpectedly')].map(connectionLost)).toEqual([
      true,
      true,
      true,
    ]);
    expect([duplicate, new Error('syntax error'), 'text'].map(connectionLost)).toEqual([false, false, false]);
  });

  it('waits longer after each failed attempt to listen again, jittered, up to 5 s', () => {
    expect([0, 1, 2, 10].map((failures) => listenRetryDelay(failures, () => 1))).toEqual([
      100, 200, 400, 5_000,
    ]);
    expect([0, 10].map((failures) => listenRetryDelay(failures, () => 0))).toEqual([50, 2_500]);
  });
});
