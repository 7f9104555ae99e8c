import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../server/db/migrations.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { WEBHOOK_DEFAULTS } from '../server/webhooks/deliverer.ts';
import { oweClosedTickets, pendingDeliveries, subscribedTenant } from '../server/webhooks/owed.ts';
import { startReceiver } from '../server/webhooks/receiver.ts';
import { installWebhookTriggers } from '../server/webhooks/triggers.ts';
import { fmt } from './measure.ts';
import { cpuDelta, cpuSnapshot, startServer } from './server.ts';

const COUNT = Number(process.env.PONTUAL_BENCH_WEBHOOKS ?? 10_000);
/** How many times the `kill -9` run is repeated (each on deliveries of its own); the max is what counts. */
const KILLS = Number(process.env.PONTUAL_BENCH_WEBHOOK_KILLS ?? 3);

/**
 * Issue 12's outbound webhooks, on PostgreSQL: `pontual serve` in its own process delivers
 * closed tickets' webhooks to a receiver on loopback that answers 200 at once. First how many
 * deliveries a second one instance makes; then, `KILLS` times, a `kill -9` of the server mid-run,
 * a restart, and the receiver's count per request id: none lost (every delivery owed reached it)
 * and how many repeated (posted by the killed process, its answer never written down). Each slot
 * writes its answer down before posting again, so the repeats are at most `concurrency`.
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
    const tenantId = await subscribedTenant(db, receiver.url);
    const port = String(19_000 + Math.floor(Math.random() * 1000));
    const env = { DATABASE_URL: cluster.url, PORT: port, LOG_LEVEL: 'warn' };

    // Throughput: the deliveries are owed before the server starts; the clock runs from its start.
    await oweClosedTickets(db, tenantId, 'speed', COUNT);
    let firstAt = 0;
    receiver.answer = () => {
      firstAt ||= performance.now();
      return 200;
    };
    const started = performance.now();
    server = await startServer(env, dir);
    const cpuBefore = cpuSnapshot(server.child.pid!, cluster.dataDir);
    const madeBefore = receiver.counts.size;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    await until(() => receiver.counts.size >= COUNT, 120_000);
    const ended = performance.now();
    // CPU seconds per 10,000 deliveries: comparable across runs on a machine others share, where
    // the wall clock mostly says how busy the neighbours were.
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(server.child.pid!, cluster.dataDir));
    const per = (cpuSeconds: number) => fmt((cpuSeconds * 10_000) / (COUNT - madeBefore), 2);
    const seconds = (ended - started) / 1000;
    // Also from the first delivery on: on a loaded machine the server's start alone takes seconds.
    const delivering = (ended - firstAt) / 1000;
    console.log(
      `postgres: ${fmt(COUNT)} deliveries in ${fmt(seconds, 1)} s (server start included): ${fmt(COUNT / seconds)} deliveries/s; ${fmt(COUNT / delivering)} deliveries/s from the first delivery on (${fmt(delivering, 1)} s)   target ≥ 500/s`,
    );
    console.log(
      `  CPU s per 10,000 deliveries: server ${per(cpu.server)}, PostgreSQL ${per(cpu.postgres)}, receiver and bench ${per(cpu.generator)}; load average ${load} at the start`,
    );

    // kill -9 mid-run, then a restart: every delivery owed arrives, and how many twice. The kill
    // comes from inside the receiver, as it answers, so that POSTs are in flight at that moment.
    let maxRepeats = 0;
    for (let run = 1; run <= KILLS; run++) {
      receiver.counts.clear();
      const owed = await oweClosedTickets(db, tenantId, `kill${run}`, COUNT);
      const killAfter = Math.round((COUNT * run) / (KILLS + 1));
      const victim = server;
      let atKill = 0;
      receiver.answer = () => {
        if (atKill === 0 && receiver.counts.size >= killAfter) {
          atKill = receiver.counts.size;
          victim.child.kill('SIGKILL');
        }
        return 200;
      };
      await new Promise((resolve) => victim.child.once('exit', resolve));
      receiver.answer = () => 200;
      const restarted = performance.now();
      server = await startServer(env, dir);
      const stillOwed = await pendingDeliveries(db);
      // The killed process's unwritten deliveries wait for their lease (30 s) to run out.
      await until(async () => receiver.counts.size >= COUNT && (await pendingDeliveries(db)) === 0, 180_000);
      const lost = owed.filter((id) => !receiver.counts.has(id)).length;
      const requests = owed.reduce((sum, id) => sum + (receiver.counts.get(id) ?? 0), 0);
      const distinct = owed.filter((id) => receiver.counts.has(id)).length;
      const repeats = requests - distinct;
      maxRepeats = Math.max(maxRepeats, repeats);
      console.log(
        `postgres, kill -9 #${run} after ${fmt(atKill)} of ${fmt(COUNT)} (${fmt(stillOwed)} still owed): ${fmt(requests)} requests, ${fmt(distinct)} distinct request ids, ${fmt(lost)} lost, ${fmt(repeats)} repeats (same request id); all done ${fmt((performance.now() - restarted) / 1000, 1)} s after the restart`,
      );
    }
    console.log(
      `postgres, ${KILLS} kill -9 runs: max ${fmt(maxRepeats)} repeats   bound ${WEBHOOK_DEFAULTS.concurrency} (the POSTs in flight), target 0 lost`,
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

/** Polls `done` (the receiver fills in meanwhile) until it holds, or fails after `ms`. */
async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
