import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, tenantWithSupervisor } from '../tests/e2e/server-process.ts';
import { openDatabase } from './config.ts';
import type { Database } from './db/database.ts';
import { pontual } from './testing/cli.ts';
import { emptyPostgres, freshPostgres } from './testing/databases.ts';
import { startTestServer, tenantWithDevice } from './testing/http.ts';

const dir = mkdtempSync(join(tmpdir(), 'pontual-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The HTTP API of a server, in this process or its own. */
interface Api {
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
}

/** More devices enrolled by a supervisor; their tokens. */
async function enrollDevices(server: Api, supervisorToken: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const code = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: supervisorToken,
      body: {},
    });
    const device = await server.call<{ token: string }>('POST', '/api/v1/devices/enroll', {
      body: { code: code.body.code, deviceName: `PC ${i}` },
    });
    tokens.push(device.body.token);
  }
  return tokens;
}

/** Devices each pushing one batch after another until stopped, and the ids acknowledged so far. */
function pushContinuously(server: Api, deviceTokens: string[]) {
  const sent = new Set<string>();
  const acknowledged: string[] = [];
  let pushes = 0;
  let stopping = false;
  const devices = deviceTokens.map(async (token, device) => {
    for (let batch = 0; !stopping; batch++) {
      const events = Array.from({ length: 25 }, (_, i) => ({
        id: `d${device}-b${batch}-e${i}`,
        type: 'heartbeat',
        at: new Date(Date.UTC(2026, 2, 10) + batch * 1000 + i).toISOString(),
        agentId: `agent-${device}`,
        agentName: `Agent ${device}`,
      }));
      for (const event of events) sent.add(event.id);
      const answer = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/push', {
        token,
        body: { events },
      });
      if (answer.status !== 200)
        throw new Error(`push answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      acknowledged.push(...answer.body.accepted);
      pushes++;
    }
  });
  return {
    sent,
    acknowledged,
    pushes: () => pushes,
    async stop() {
      stopping = true;
      await Promise.all(devices);
    },
  };
}

/**
 * Runs `backup` while the devices push, and returns the ids acknowledged before it began. Pushes
 * must have been acknowledged while it ran, or it was not a backup under load.
 */
async function backupUnderLoad(load: ReturnType<typeof pushContinuously>, backup: () => Promise<unknown>) {
  await expect.poll(load.pushes, { timeout: 60_000 }).toBeGreaterThanOrEqual(20);
  const acknowledgedBefore = [...load.acknowledged];
  const pushesBefore = load.pushes();
  const result = await backup();
  const pushesDuring = load.pushes() - pushesBefore;
  await load.stop();
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(pushesDuring).toBeGreaterThan(0);
  return acknowledgedBefore;
}

/** Every event id a supervisor pulls from a server started on `db`. */
async function pulledIds(db: Database, supervisorToken: string): Promise<string[]> {
  const server = await startTestServer(db);
  try {
    const ids: string[] = [];
    for (let cursor = '0'; ; ) {
      const page = await server.call<{ events: { id: string }[]; cursor: string; hasMore: boolean }>(
        'GET',
        `/api/v1/events/pull?cursor=${cursor}&limit=5000`,
        { token: supervisorToken },
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.events.map((event) => event.id));
      cursor = page.body.cursor;
      if (!page.body.hasMore) return ids;
    }
  } finally {
    await server.close();
  }
}

/** The restored database has every event acknowledged before the backup, each once, none unknown. */
function expectRestored(pulled: string[], acknowledgedBefore: string[], sent: Set<string>) {
  expect(acknowledgedBefore.length).toBeGreaterThan(0);
  const restored = new Set(pulled);
  expect(restored.size).toBe(pulled.length);
  expect(acknowledgedBefore.filter((id) => !restored.has(id))).toEqual([]);
  expect(pulled.filter((id) => !sent.has(id))).toEqual([]);
}

describe('pontual admin backup and restore, under push load', () => {
  it('PGlite: the running server dumps its folder; restored into a new one, it serves every acknowledged event', async () => {
    const file = join(dir, 'pglite.tgz');
    const server = await startServerProcess();
    let load: ReturnType<typeof pushContinuously>;
    let supervisor: { token: string };
    let acknowledgedBefore: string[];
    try {
      supervisor = await tenantWithSupervisor(server);
      load = pushContinuously(server, await enrollDevices(server, supervisor.token, 4));
      acknowledgedBefore = await backupUnderLoad(load, () =>
        pontual(['admin', 'backup', '--out', file, '--data', server.dataDir]),
      );
    } finally {
      await server.close();
    }
    expect(statSync(file).mode & 0o077).toBe(0); // it holds password hashes

    const restored = join(dir, 'restored');
    expect(await pontual(['admin', 'restore', file, '--data', restored])).toMatchObject({
      code: 0,
      stderr: '',
    });
    const opened = await openDatabase(restored, '');
    try {
      expectRestored(await pulledIds(opened.db, supervisor.token), acknowledgedBefore, load.sent);
    } finally {
      await opened.close();
    }

    expect(await pontual(['admin', 'restore', file, '--data', restored])).toEqual({
      code: 2,
      stdout: '',
      stderr: `pontual: ${restored} holds a database already: restore into an empty or new folder, or move it away first\n`,
    });
  }, 600_000);

  it('PostgreSQL: pg_dump while the server runs; pg_restore into an empty database serves every acknowledged event', async () => {
    const file = join(dir, 'postgres.dump');
    const { db, url } = await freshPostgres();
    const server = await startTestServer(db);
    let load: ReturnType<typeof pushContinuously>;
    let supervisorToken: string;
    let acknowledgedBefore: string[];
    try {
      const tenant = await tenantWithDevice(db, server);
      supervisorToken = tenant.userToken;
      load = pushContinuously(server, [
        tenant.deviceToken,
        ...(await enrollDevices(server, tenant.userToken, 3)),
      ]);
      acknowledgedBefore = await backupUnderLoad(load, () =>
        pontual(['admin', 'backup', '--out', file], { env: { DATABASE_URL: url } }),
      );
    } finally {
      await server.close();
      await db.close();
    }
    expect(statSync(file).mode & 0o077).toBe(0);

    const target = await emptyPostgres();
    const restore = () => pontual(['admin', 'restore', file], { env: { DATABASE_URL: target } });
    expect(await restore()).toMatchObject({ code: 0, stderr: '' });
    const opened = await openDatabase('', target);
    try {
      expectRestored(await pulledIds(opened.db, supervisorToken), acknowledgedBefore, load.sent);
    } finally {
      await opened.close();
    }

    const again = await restore();
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^pontual: the database postgres:\/\/pontual@127\.0\.0\.1:\d+\/test_\w+ is not empty \(\d+ tables, indexes or sequences\): restore into a new, empty database \(createdb\), then point DATABASE_URL at it\n$/,
    );
  }, 600_000);
});
