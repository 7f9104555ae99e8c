import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import type { Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { openPglite } from '../server/db/pglite.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { createTenant, createUser } from '../server/tenants.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import { fmt } from './measure.ts';

const DEVICES = 1_000;
const SUPERVISORS = 10;
const PUSH_EVERY_MS = 10_000;
const DURATION_MS = 60_000;
const BIN = join(import.meta.dirname, '../bin/pontual.mjs');

/**
 * Issue 4's load test, on loopback: 1,000 simulated devices push a batch every 10 s and 10
 * supervisors pull, for 60 s, against `pontual serve` in its own process. Devices are created in
 * the database directly (enrolling a thousand devices through the rate-limited API is not what
 * is measured).
 */
export async function benchServer(): Promise<void> {
  for (const kind of ['postgres', 'pglite'] as const) {
    const batch = kind === 'postgres' ? 500 : 120;
    await loadTest(kind, batch);
  }
}

async function prepare(db: Database): Promise<{ devices: string[]; supervisor: string; tenantId: string }> {
  const tenant = await createTenant(db, 'Load test');
  const user = await createUser(db, {
    tenantId: tenant.id,
    email: 'load@test',
    password: 'load test password',
    role: 'supervisor',
  });
  const supervisor = newToken();
  await db.query('insert into tokens (token_hash, tenant_id, user_id) values ($1, $2, $3)', [
    hashToken(supervisor),
    tenant.id,
    user.id,
  ]);
  const devices: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const id = uuidv7();
    const token = newToken();
    await db.query('insert into devices (id, tenant_id, name) values ($1, $2, $3)', [
      id,
      tenant.id,
      `device ${i}`,
    ]);
    await db.query('insert into tokens (token_hash, tenant_id, device_id) values ($1, $2, $3)', [
      hashToken(token),
      tenant.id,
      id,
    ]);
    devices.push(token);
  }
  return { devices, supervisor, tenantId: tenant.id };
}

async function startServer(
  env: Record<string, string>,
  data: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', env.PORT ?? '0', '--host', '127.0.0.1', '--data', data],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const holderFile = join(data, 'holder.json');
  for (let i = 0; i < 300; i++) {
    // With PostgreSQL there is no holder file: the fixed port is polled instead.
    if (!env.DATABASE_URL && existsSync(holderFile)) {
      const holder = JSON.parse(readFileSync(holderFile, 'utf8')) as { port: number };
      if (holder.port > 0) return { child, url: `http://127.0.0.1:${holder.port}` };
    }
    if (env.PORT) {
      try {
        await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
        return { child, url: `http://127.0.0.1:${env.PORT}` };
      } catch {
        // not up yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start');
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function loadTest(kind: 'postgres' | 'pglite', batch: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pontual-load-'));
  const data = join(dir, 'data');
  const cluster = kind === 'postgres' ? startCluster(56_000 + Math.floor(Math.random() * 500)) : undefined;
  let setup: Database;
  if (cluster) setup = await openPostgres(cluster.url, 4);
  else {
    mkdirSync(data, { recursive: true });
    setup = await openPglite(join(data, 'pglite'));
  }
  await migrate(setup);
  const { devices, supervisor } = await prepare(setup);
  await setup.close();

  const port = String(18_000 + Math.floor(Math.random() * 1000));
  const server = await startServer(
    cluster ? { DATABASE_URL: cluster.url, PORT: port, LOG_LEVEL: 'warn' } : { PORT: '0', LOG_LEVEL: 'warn' },
    data,
  );
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let pulled = 0;
  const started = Date.now();
  const deadline = started + DURATION_MS;

  const device = async (token: string, index: number) => {
    // Spread the devices over the 10 s period.
    await new Promise((resolve) => setTimeout(resolve, (index * PUSH_EVERY_MS) / DEVICES));
    for (let next = Date.now(); next < deadline; next += PUSH_EVERY_MS) {
      const events = Array.from({ length: batch }, (_, i) => ({
        id: uuidv7(),
        type: 'heartbeat',
        at: new Date(Date.now() - i).toISOString(),
        agentId: `agent-${index}`,
        agentName: `Agent ${index}`,
        sessionId: `s-${index}`,
      }));
      const body = JSON.stringify({ events, sentAt: new Date().toISOString() });
      const t0 = performance.now();
      try {
        const response = await fetch(`${server.url}/api/v1/events/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        const answer = (await response.json()) as { accepted?: string[] };
        if (response.ok) sent += answer.accepted?.length ?? 0;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next + PUSH_EVERY_MS - Date.now())));
    }
  };
  const reader = async () => {
    let cursor = '0';
    while (Date.now() < deadline) {
      const response = await fetch(`${server.url}/api/v1/events/pull?cursor=${cursor}&limit=5000`, {
        headers: { authorization: `Bearer ${supervisor}` },
      });
      const page = (await response.json()) as { events: unknown[]; cursor: string; hasMore: boolean };
      pulled += page.events.length;
      cursor = page.cursor;
      if (!page.hasMore) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  await Promise.all([...devices.map(device), ...Array.from({ length: SUPERVISORS }, reader)]);
  const elapsed = (Date.now() - started) / 1000;

  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  const check = cluster ? await openPostgres(cluster.url, 1) : await openPglite(join(data, 'pglite'));
  const [stored] = await check.query<{ n: string; distinct_ids: string }>(
    'select count(*)::text as n, count(distinct id)::text as distinct_ids from events',
  );
  await check.close();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const target = kind === 'postgres' ? '≥ 50,000 events/s, p99 < 100 ms' : '≥ 10,000 events/s';
  console.log(
    `${kind}: ${DEVICES} devices × ${batch} events every 10 s + ${SUPERVISORS} pulling, ${fmt(elapsed)} s: ` +
      `ingest ${fmt(sent / elapsed)} events/s, push p50 ${fmt(percentile(latencies, 0.5))} ms, ` +
      `p99 ${fmt(percentile(latencies, 0.99))} ms, ${errors} errors; stored ${stored?.n} (${stored?.distinct_ids} distinct) ` +
      `of ${sent} accepted${Number(stored?.n) === sent ? ' — none lost or doubled' : ' — MISMATCH'}; supervisors pulled ${fmt(pulled)}   target ${target}`,
  );
}
