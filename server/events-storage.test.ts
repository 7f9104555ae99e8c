import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import type { Database } from './db/database.ts';
import { MIGRATIONS, migrate } from './db/migrations.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, startTestServer, type TestServer, tenantWithDevice } from './testing/http.ts';

type Pulled = ActivityEvent & { clockOffsetMs: number };

/** Events with what a pull must give back exactly: unknown fields, nesting, quotes, any script. */
const unusual = (agentId: string): ActivityEvent[] => [
  {
    id: uuidv7(),
    type: 'login',
    cause: 'refresh',
    at: '2026-03-10T18:41:00.123-03:00',
    agentId,
    agentName: 'João "Jota" Ñandú \\ 日本 🎧',
    extra: { nested: [1, 2.5, null, true, { deep: 'x' }], empty: {}, list: [] },
  } as never,
  { id: uuidv7(), type: 'heartbeat', at: '2026-03-10T21:41:00Z', agentId, agentName: '' },
  {
    id: uuidv7(),
    type: 'status',
    status: 'break',
    reason: 'Almoço\n(lunch)\t</script>',
    at: '2026-03-10T21:42:00Z',
    agentId,
    agentName: 'A',
    seq: 7,
  } as never,
];

describe.each(DATABASES)('event storage on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('a pull gives back each event exactly as pushed, with the measured clock offset', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const events = unusual('ana');
    // A field named like the server's own is replaced by the server's measure (never sent twice).
    const withOffset = { ...events[1]!, id: uuidv7(), clockOffsetMs: 'device says' } as never;
    const push = await server.call<{ accepted: string[]; clockOffsetMs: number }>(
      'POST',
      '/api/v1/events/push',
      { token: deviceToken, body: { events: [...events, withOffset], sentAt: new Date().toISOString() } },
    );
    expect(push.body.accepted).toHaveLength(4);
    const pull = await server.call<{ events: Pulled[]; hasMore: boolean; cursor: string }>(
      'GET',
      '/api/v1/events/pull',
      { token: userToken },
    );
    const offset = push.body.clockOffsetMs;
    expect(pull.body.events).toEqual([
      ...events.map((event) => ({ ...event, clockOffsetMs: offset })),
      { ...(withOffset as object), clockOffsetMs: offset },
    ]);
    expect(pull.body.hasMore).toBe(false);
    const raw = await (
      await fetch(`${server.url}/api/v1/events/pull`, { headers: { authorization: `Bearer ${userToken}` } })
    ).text();
    expect(raw.match(/"clockOffsetMs"/g)).toHaveLength(4);
    // Sent as ASCII (the PWA stores it as text: one byte a character), the same JSON once parsed.
    expect(raw).not.toMatch(/[\u0080-\uffff]/);
    expect(raw).toContain('Jo\\u00e3o');
    const after = await server.call<{ events: Pulled[]; cursor: string }>(
      'GET',
      `/api/v1/events/pull?cursor=${pull.body.cursor}`,
      { token: userToken },
    );
    expect(after.body).toEqual({ events: [], cursor: pull.body.cursor, hasMore: false });
  });

  it('pages by cursor without skipping or repeating, with filters', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const events = Array.from({ length: 25 }, (_, i) => ({
      id: `e${String(i).padStart(2, '0')}`,
      type: 'heartbeat',
      at: new Date(Date.UTC(2026, 2, 10, 12, i)).toISOString(),
      agentId: i % 2 === 0 ? 'even' : 'odd',
      agentName: 'N',
    }));
    await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: events.slice(0, 10) },
    });
    await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: events.slice(10) },
    });
    const read = async (filter: string) => {
      const ids: string[] = [];
      let cursor = '0';
      for (;;) {
        const page = await server.call<{ events: Pulled[]; cursor: string; hasMore: boolean }>(
          'GET',
          `/api/v1/events/pull?limit=4&cursor=${cursor}${filter}`,
          { token: userToken },
        );
        ids.push(...page.body.events.map((event) => event.id));
        cursor = page.body.cursor;
        if (!page.body.hasMore) return ids;
      }
    };
    expect(await read('')).toEqual(events.map((event) => event.id));
    expect(await read('&agentId=odd')).toEqual(events.filter((e) => e.agentId === 'odd').map((e) => e.id));
    expect(await read('&from=2026-03-10T12:20:00Z&to=2026-03-10T12:23:00Z')).toEqual(['e20', 'e21', 'e22']);
  });
});

/** A database with the schema as it was at `version`, before the migrations after it. */
async function databaseAt(kind: Database['kind'], version: number): Promise<Database> {
  let db: Database;
  if (kind === 'pglite') db = await openPglite(undefined);
  else {
    const adminUrl = inject('postgresUrl');
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = await openPostgres(adminUrl, 1);
    await admin.exec(`create database ${name}`);
    await admin.close();
    db = await openPostgres(adminUrl.replace(/\/postgres$/, `/${name}`), 4);
  }
  await db.exec(`create table schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    await db.exec(migration.sql);
    await db.query('insert into schema_migrations (version, name) values ($1, $2)', [
      migration.version,
      migration.name,
    ]);
  }
  return db;
}

describe.each(DATABASES)('events stored before bodies became json text, on $kind', ({ kind }) => {
  it('are pulled exactly as they were after the migration', async () => {
    const db = await databaseAt(kind, 6);
    let server: TestServer | undefined;
    try {
      const tenant = 'tenant-old';
      await db.query(`insert into tenants (id, name) values ($1, 'Old')`, [tenant]);
      await db.query(`insert into devices (id, tenant_id, name) values ('dev-old', $1, 'PC')`, [tenant]);
      const events = unusual('old.agent');
      // As the server stored them then: the whole event as jsonb, the offset in its column.
      for (const [i, event] of events.entries()) {
        await db.query(
          `insert into events (tenant_id, id, agent_id, at, clock_offset_ms, device_id, body)
           values ($1, $2, $3, $4, $5, 'dev-old', $6::jsonb)`,
          [tenant, event.id, event.agentId, event.at, i * 1000, JSON.stringify(event)],
        );
      }
      expect(await migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version > 6).map((m) => m.version));
      server = await startTestServer(db);
      const { userToken } = await tenantWithDevice(db, server);
      // The supervisor is in another tenant: move the old rows to it.
      const [me] = await db.query<{ tenant_id: string }>('select tenant_id from tokens limit 1');
      await db.query('update events set tenant_id = $1 where tenant_id = $2', [me!.tenant_id, tenant]);
      const pull = await server.call<{ events: Pulled[] }>('GET', '/api/v1/events/pull', {
        token: userToken,
      });
      expect(pull.body.events).toEqual(events.map((event, i) => ({ ...event, clockOffsetMs: i * 1000 })));
    } finally {
      await server?.close();
      await db.close();
    }
  });
});
