import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import type { Database } from '../../../server/db/database.ts';
import { DATABASES } from '../../../server/testing/databases.ts';
import { startTestServer, tenantWithDevice } from '../../../server/testing/http.ts';
import type { RecordKindName } from '../../../shared/records/kind.ts';
import { followStream, type StreamKind } from './stream.ts';

const login = (id: string) => ({
  id,
  type: 'login',
  cause: 'page_load',
  at: '2026-03-10T12:00:00.000Z',
  agentId: 'ana',
  agentName: 'Ana',
});

/** The PWA's stream client against the real server: what it hears, and when it is connected. */
function follow(server: string, token: string) {
  const kinds: StreamKind[] = [];
  /** The record kinds each announcement named. */
  const recordKinds: (RecordKindName[] | undefined)[] = [];
  const connected: boolean[] = [];
  const stop = followStream({
    server,
    token,
    onChange: (kind, named) => {
      kinds.push(kind);
      recordKinds.push(named);
    },
    onConnected: (now) => connected.push(now),
  });
  return { kinds, recordKinds, connected, stop };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(DATABASES)('the PWA follows the event stream on $kind', ({ kind, open }) => {
  async function served(db: Database) {
    const server = await startTestServer(db);
    const tenant = await tenantWithDevice(db, server);
    return { server, tenant };
  }

  it('hears new events, and resyncs after its connection was cut (the server restarted)', async () => {
    const db = await open();
    cleanups.push(() => db.close());
    const { server, tenant } = await served(db);
    const port = Number(new URL(server.url).port);
    const stream = follow(server.url, tenant.userToken);
    cleanups.push(stream.stop);
    await expect.poll(() => stream.connected).toEqual([true]);

    const push = await server.call('POST', '/api/v1/events/push', {
      token: tenant.deviceToken,
      body: { events: [login('e-1')] },
    });
    expect(push.status).toBe(200);
    await expect.poll(() => stream.kinds).toEqual(['events']);
    // The announcement names the kinds that arrived, so the PWA pulls only those.
    expect(stream.recordKinds).toEqual([['activity']]);

    // The server stops (ending its streams) and comes back on the same address: whatever was
    // announced meanwhile is lost, so the client catches up.
    await server.close();
    await expect.poll(() => stream.connected).toEqual([true, false]);
    const restarted = await buildApp({ db, logger: false });
    cleanups.push(() => restarted.close());
    await restarted.listen({ host: '127.0.0.1', port });
    expect((restarted.server.address() as AddressInfo).port).toBe(port);
    await expect.poll(() => stream.connected, { timeout: 20_000 }).toEqual([true, false, true]);
    expect(stream.kinds).toEqual(['events', 'resync']);
  });

  it.runIf(kind === 'postgres')(
    'resyncs when the server says so (its database connection came back), staying connected',
    async () => {
      const db = await open();
      cleanups.push(() => db.close());
      const { server, tenant } = await served(db);
      cleanups.push(() => server.close());
      const stream = follow(server.url, tenant.userToken);
      cleanups.push(stream.stop);
      await expect.poll(() => stream.connected).toEqual([true]);

      const [ended] = await db.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where query ilike 'listen%' and datname = current_database()`,
      );
      expect(ended?.n).toBe(1);
      await expect.poll(() => stream.kinds, { timeout: 20_000 }).toEqual(['resync']);
      expect(stream.connected).toEqual([true]);
    },
  );
});
