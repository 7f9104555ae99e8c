import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import type { Database } from './db/database.ts';
import { DATABASES, freshPostgres } from './testing/databases.ts';
import { serveForTests, startTestServer, type TestServer, tenantWithDevice } from './testing/http.ts';

const WRITERS = 8;
const PUSHES_PER_WRITER = 25;
const BATCH = 20;

describe.each(DATABASES)('pull cursor on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('never skips a row while concurrent writers commit out of order', async () => {
    const tenant = await tenantWithDevice(db, server);
    const devices = [tenant.deviceToken];
    for (let i = 1; i < WRITERS; i++) {
      const code = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
        token: tenant.userToken,
        body: {},
      });
      const device = await server.call<{ token: string }>('POST', '/api/v1/devices/enroll', {
        body: { code: code.body.code, deviceName: `PC ${i}` },
      });
      devices.push(device.body.token);
    }

    const sent = new Set<string>();
    let writing = true;
    const writers = devices.map(async (token, writer) => {
      for (let push = 0; push < PUSHES_PER_WRITER; push++) {
        const events = Array.from({ length: BATCH }, (_, i) => {
          const id = `w${writer}-p${push}-e${i}`;
          sent.add(id);
          return {
            id,
            type: 'heartbeat',
            at: new Date(Date.UTC(2026, 2, 10) + push * 1000 + i).toISOString(),
            agentId: `agent-${writer}`,
            agentName: `Agent ${writer}`,
          };
        });
        const response = await server.call('POST', '/api/v1/events/push', { token, body: { events } });
        expect(response.status).toBe(200);
      }
    });

    // A reader pulling all along, small pages, from its cursor: each id must come exactly once.
    const seen = new Map<string, number>();
    let cursor = '0';
    const read = async () => {
      for (;;) {
        const page = await server.call<{ events: ActivityEvent[]; cursor: string; hasMore: boolean }>(
          'GET',
          `/api/v1/events/pull?cursor=${cursor}&limit=37`,
          { token: tenant.userToken },
        );
        for (const event of page.body.events) seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
        cursor = page.body.cursor;
        if (!page.body.hasMore) return;
      }
    };
    const reader = (async () => {
      while (writing) await read();
      await read();
    })();
    await Promise.all(writers);
    writing = false;
    await reader;

    expect(seen.size).toBe(sent.size);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect([...sent].every((id) => seen.has(id))).toBe(true);
  });
});

/**
 * On a fresh PostgreSQL database and server: opens a transaction that stores 'early' (taking its
 * transaction id now), pushes 'late' through the server meanwhile, runs `whileOpen` and only then
 * commits 'early'; `afterwards` runs after the commit.
 */
async function withEarlyCommittingLate(
  serverOptions: { pullSettleMs?: number },
  whileOpen: (
    pull: (cursor: string) => Promise<{ events: ActivityEvent[]; cursor: string }>,
    db: Database,
  ) => Promise<void>,
  afterwards: (
    pull: (cursor: string) => Promise<{ events: ActivityEvent[]; cursor: string }>,
  ) => Promise<void>,
): Promise<void> {
  const { db } = await freshPostgres();
  const server = await startTestServer(db, undefined, serverOptions);
  try {
    const tenant = await tenantWithDevice(db, server);
    const pull = async (cursor: string) =>
      (
        await server.call<{ events: ActivityEvent[]; cursor: string }>(
          'GET',
          `/api/v1/events/pull?cursor=${cursor}`,
          {
            token: tenant.userToken,
          },
        )
      ).body;
    const row = (id: string) => ({
      id,
      type: 'logout',
      at: '2026-03-10T18:41:00Z',
      agentId: 'ana',
      agentName: 'Ana',
    });
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into events (tenant_id, id, agent_id, at, body) values ($1, 'early', 'ana', now(), $2::jsonb)`,
        [tenant.tenantId, JSON.stringify(row('early'))],
      );
      await server.call('POST', '/api/v1/events/push', {
        token: tenant.deviceToken,
        body: { events: [row('late')] },
      });
      await whileOpen(pull, db);
    });
    await afterwards(pull);
  } finally {
    await server.close();
    await db.close();
  }
}

describe('pull cursor with a transaction that commits late (PostgreSQL)', () => {
  it('does not pass a row whose transaction began earlier but commits after a later one', async () => {
    let cursor = '0';
    let late: string[] = [];
    // Its pull runs inside the late transaction, so it does not wait for it to end.
    await withEarlyCommittingLate(
      { pullSettleMs: 0 },
      async (pull) => {
        const page = await pull(cursor);
        late = page.events.map((event) => event.id);
        cursor = page.cursor;
      },
      async (pull) => {
        const rest = await pull(cursor);
        expect([...late, ...rest.events.map((event) => event.id)].sort()).toEqual(['early', 'late']);
      },
    );
  });

  it('waits for an older transaction still running, and then answers the rows committed after it too', async () => {
    let answer: Promise<{ events: ActivityEvent[] }> | undefined;
    await withEarlyCommittingLate(
      {},
      async (pull, db) => {
        answer = pull('0');
        // The pull's looks at whether the older transactions ended, seen from another connection.
        const waitingPulls = async () =>
          (
            await db.query<{ count: number }>(
              `select count(*)::integer as count from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()
                  and query like '/* pull: waiting for older transactions */%'`,
            )
          )[0]!.count;
        await expect.poll(waitingPulls, { timeout: 10_000 }).toBeGreaterThan(0);
      },
      async () => {
        const ids = (await answer!).events.map((event) => event.id);
        expect(ids.sort()).toEqual(['early', 'late']);
      },
    );
  });
});
