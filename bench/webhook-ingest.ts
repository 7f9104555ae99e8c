import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { openPglite } from '../server/db/pglite.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { SIGNATURE_HEADER, signatureFor } from '../server/integrations/whatsapp-cloud.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import { fmt } from './measure.ts';
import { cpuDelta, cpuSnapshot, percentile, post, prepare, startServer } from './server.ts';
import { statusBatch } from './webhook-mapping.ts';

const SECRET = 'bench-app-secret-0123456789abcdef';
/** Statuses per delivery: Meta batches a busy number's updates, tens at a time. */
const PER_POST = 50;
const SECONDS = Number(process.env.PONTUAL_BENCH_WEBHOOK_SECONDS ?? 15);
const TARGETS = { pglite: 5_000, postgres: 20_000 } as const;

/**
 * Issue 10's webhook ingestion: `pontual serve` in its own process receives signed WhatsApp
 * Cloud API deliveries of 50 statuses each, as fast as 16 senders can post them (the ceiling),
 * then at the target rate, open loop (the answer times a provider sees at that rate).
 */
export async function benchWebhookIngest(): Promise<void> {
  const only = process.env.PONTUAL_BENCH_DB;
  for (const kind of ['pglite', 'postgres'] as const) if (!only || only === kind) await ingest(kind);
}

async function ingest(kind: 'pglite' | 'postgres'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pontual-webhook-'));
  const data = join(dir, 'data');
  const cluster = kind === 'postgres' ? startCluster(57_000 + Math.floor(Math.random() * 500)) : undefined;
  let setup: Database;
  if (cluster) setup = await openPostgres(cluster.url, 2);
  else {
    mkdirSync(data, { recursive: true });
    setup = await openPglite(join(data, 'pglite'));
  }
  await migrate(setup);
  const { tenantId } = await prepare(setup, 0);
  const [user] = await setup.query<{ id: string }>('select id from users where tenant_id = $1', [tenantId]);
  const integrationId = uuidv7();
  await setup.query(
    `insert into integrations (id, tenant_id, provider, name, app_secret, verify_token, created_by)
     values ($1, $2, 'whatsapp-cloud', 'bench', $3, 'bench-verify', $4)`,
    [integrationId, tenantId, SECRET, user!.id],
  );
  await setup.close();
  const port = String(19_000 + Math.floor(Math.random() * 1000));
  const server = await startServer(
    cluster ? { DATABASE_URL: cluster.url, PORT: port, LOG_LEVEL: 'warn' } : { PORT: '0', LOG_LEVEL: 'warn' },
    data,
  );
  const url = `${server.url}/api/v1/integrations/${integrationId}/webhook`;
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let next = 0;
  const failures: string[] = [];
  /** A signed delivery of new messages' statuses, made before the clock starts. */
  const deliveries = (count: number) =>
    Array.from({ length: count }, () => {
      next += PER_POST;
      const body = statusBatch(PER_POST, next);
      return { body, signature: signatureFor(body, SECRET) };
    });
  const send = async ({ body, signature }: { body: Buffer; signature: string }) => {
    const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature };
    const t0 = performance.now();
    const answer = await post(agent, url, headers, body.toString());
    if (answer.status !== 200)
      throw new Error(`webhook answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    const { accepted } = JSON.parse(answer.text) as { accepted: number };
    return { accepted, ms: performance.now() - t0 };
  };

  try {
    // The ceiling: 16 senders, each posting as soon as its previous answer came.
    const closed = deliveries(Math.ceil((TARGETS[kind] * 2 * SECONDS) / PER_POST / 2));
    let stored = 0;
    const cpuBefore = cpuSnapshot(server.child.pid!, cluster?.dataDir);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const started = performance.now();
    let taken = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (taken < closed.length) {
          const delivery = closed[taken++]!;
          const { accepted } = await send(delivery);
          stored += accepted;
        }
      }),
    );
    const ceiling = stored / ((performance.now() - started) / 1000);
    // CPU seconds per 10,000 statuses: comparable across runs on a machine others share.
    const cpu = cpuDelta(cpuBefore, cpuSnapshot(server.child.pid!, cluster?.dataDir));
    const per = (seconds: number) => fmt((seconds * 10_000) / stored, 2);

    // The target rate, open loop: deliveries at fixed times whatever the answers do.
    const rate = TARGETS[kind];
    const perSecond = rate / PER_POST;
    const open = deliveries(Math.round(perSecond * SECONDS));
    const latencies: number[] = [];
    const begin = performance.now();
    await Promise.all(
      open.map(async (delivery, i) => {
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / perSecond));
        latencies.push((await send(delivery)).ms);
      }),
    );
    const elapsed = (performance.now() - begin) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${kind}: ceiling ${fmt(ceiling)} statuses/s (16 senders, ${PER_POST} a delivery; load average ${load} at the start; ` +
        `CPU s per 10,000 statuses: server ${per(cpu.server)}, PostgreSQL ${per(cpu.postgres)}, senders ${per(cpu.generator)}, others ${per(cpu.others)});\n` +
        `  at ${fmt(rate)} statuses/s for ${fmt(elapsed, 1)} s: ` +
        `answer p50 ${fmt(percentile(latencies, 0.5))} ms, p99 ${fmt(percentile(latencies, 0.99))} ms, max ${fmt(latencies.at(-1) ?? 0)} ms` +
        `   target ≥ ${fmt(rate)} statuses/s${kind === 'pglite' ? ', p99 < 200 ms' : ''}` +
        (failures.length > 0 ? `\n  ${failures.length} deliveries failed, the first: ${failures[0]}` : ''),
    );
  } finally {
    agent.destroy();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
