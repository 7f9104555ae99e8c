import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { storeRecords } from '../server/routes/events.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { startReceiver } from '../server/webhooks/receiver.ts';
import { installWebhookTriggers } from '../server/webhooks/triggers.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import { fmt } from './measure.ts';
import { prepare, startServer } from './server.ts';

const COUNT = Number(process.env.PONTUAL_BENCH_WEBHOOKS ?? 10_000);

/**
 * Issue 12's outbound webhooks, on PostgreSQL: `pontual serve` in its own process delivers
 * closed tickets' webhooks to a receiver on loopback that answers 200 at once. First how many
 * deliveries a second one instance makes; then a `kill -9` of the server mid-run, a restart, and
 * the receiver's count per request id: none lost (every delivery owed reached it) and how many
 * doubled (the attempts in flight at the kill, whose answers the dead process never wrote down).
 */
export async function benchWebhooks(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pontual-webhooks-'));
  const cluster = startCluster(58_000 + Math.floor(Math.random() * 500));
  const receiver = await startReceiver(false);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const db = await openPostgres(cluster.url, 4);
  try {
    await migrate(db);
    await installWebhookTriggers(db);
    const { tenantId } = await prepare(db, 0);
    const [user] = await db.query<{ id: string }>('select id from users where tenant_id = $1', [tenantId]);
    await db.query(
      `insert into webhook_subscriptions (id, tenant_id, url, events, secret, created_by)
       values ($1, $2, $3, array['ticket.closed'], 'whsec_bench', $4)`,
      [uuidv7(), tenantId, receiver.url, user!.id],
    );
    const port = String(19_000 + Math.floor(Math.random() * 1000));
    const env = { DATABASE_URL: cluster.url, PORT: port, LOG_LEVEL: 'warn' };

    // Throughput: the deliveries are owed before the server starts; the clock runs from its start.
    await owe(db, tenantId, 'a', COUNT);
    const started = performance.now();
    server = await startServer(env, dir);
    await until(() => receiver.counts.size >= COUNT, 120_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `postgres: ${fmt(COUNT)} deliveries in ${fmt(seconds, 1)} s (server start included): ${fmt(COUNT / seconds)} deliveries/s   target ≥ 500/s`,
    );

    // kill -9 mid-run, then a restart: every delivery owed arrives, and how many twice.
    receiver.counts.clear();
    await owe(db, tenantId, 'b', COUNT);
    await until(() => receiver.counts.size >= COUNT / 3, 120_000);
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));
    const atKill = receiver.counts.size;
    server = await startServer(env, dir);
    const owed = await pendingCount(db);
    await until(async () => receiver.counts.size >= COUNT && (await pendingCount(db)) === 0, 180_000);
    const ids = (
      await db.query<{ id: string }>("select id from webhook_deliveries where event_key like 'b-%'")
    ).map((row) => row.id);
    const lost = ids.filter((id) => !receiver.counts.has(id)).length;
    const doubled = ids.filter((id) => (receiver.counts.get(id) ?? 0) > 1).length;
    console.log(
      `postgres, kill -9 after ${fmt(atKill)} of ${fmt(COUNT)} deliveries (${fmt(owed)} still owed): ${fmt(lost)} lost, ${fmt(doubled)} delivered twice (same request id)   target 0 lost, 0 doubled`,
    );
  } finally {
    server?.child.kill('SIGTERM');
    if (server) await new Promise((resolve) => server!.child.once('exit', resolve));
    await db.close();
    await receiver.close();
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` closed tickets stored through the one way records are stored: each owes a delivery. */
async function owe(db: Database, tenantId: string, prefix: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 1_000) {
    const records = Array.from({ length: Math.min(1_000, count - start) }, (_, offset) => ({
      id: `${prefix}-${start + offset}`,
      type: 'ticket',
      at: '2026-03-10T12:00:00Z',
      ticketId: `T-${prefix}-${start + offset}`,
      action: 'closed',
      contact: '5511999990000',
    }));
    const stored = await storeRecords(db, { tenantId, role: 'admin' }, records, 0);
    if (stored.accepted.length !== records.length)
      throw new Error(`stored ${stored.accepted.length} of ${records.length}`);
  }
}

const pendingCount = async (db: Database) =>
  (
    await db.query<{ n: number }>("select count(*)::int as n from webhook_deliveries where state = 'pending'")
  )[0]!.n;

/** Polls `done` (the receiver fills in meanwhile) until it holds, or fails after `ms`. */
async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
