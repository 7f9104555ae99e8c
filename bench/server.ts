import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.ts';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import type { Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrations.ts';
import { openPglite } from '../server/db/pglite.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { createTenant, createUser } from '../server/tenants.ts';
import { openEventStream } from '../server/testing/event-stream.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { spawnServe } from '../server/testing/serve-process.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import { fmt } from './measure.ts';

const DEVICES = 1_000;
const SUPERVISORS = 10;
/** `PONTUAL_BENCH_PERIOD_MS` shortens the period to find the ceiling (the load is 10 s). */
const PUSH_EVERY_MS = Number(process.env.PONTUAL_BENCH_PERIOD_MS ?? 10_000);
/** `PONTUAL_BENCH_DURATION_MS` shortens the run, for quick A/B comparisons (the run is 60 s). */
const DURATION_MS = Number(process.env.PONTUAL_BENCH_DURATION_MS ?? 60_000);
const BIN = join(import.meta.dirname, '../bin/pontual.mjs');

/**
 * Issue 4's load test, on loopback: 1,000 simulated devices push a batch every 10 s and 10
 * supervisors pull, for 60 s, against `pontual serve` in its own process. Devices are created in
 * the database directly (enrolling a thousand devices through the rate-limited API is not what
 * is measured).
 */
export async function benchServer(): Promise<void> {
  const part = process.env.PONTUAL_BENCH_SERVER; // `login`, `recovery` or `load`: that one only
  const only = process.env.PONTUAL_BENCH_DB; // `postgres` or `pglite`: one of the two
  if (part === undefined || part === 'login') await benchLogin(only);
  if (part === undefined || part === 'recovery') await benchRecovery();
  if (part !== undefined && part !== 'load') return;
  for (const kind of ['postgres', 'pglite'] as const) {
    if (only && only !== kind) continue;
    const batch = kind === 'postgres' ? 500 : 120;
    await loadTest(kind, batch);
  }
}

export async function prepare(
  db: Database,
  deviceCount = DEVICES,
): Promise<{ devices: string[]; supervisor: string; tenantId: string }> {
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
  for (let i = 0; i < deviceCount; i++) {
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

/** Sign-in attempts timed for each case of the login bench. */
const LOGIN_ATTEMPTS = 60;

/**
 * Same answer, same time: a wrong password for a known email against an unknown email, timed over
 * HTTP on loopback from request to answer, alternating the two so that both see the same load.
 * The server runs in this process (the limit of 10 sign-ins a minute would stop `pontual serve`).
 */
async function benchLogin(only: string | undefined): Promise<void> {
  console.log(`login: ${LOGIN_ATTEMPTS} attempts of each, alternating, median / p95 / max`);
  for (const kind of ['pglite', 'postgres'] as const) {
    if (only && only !== kind) continue;
    const cluster = kind === 'postgres' ? startCluster(56_600 + Math.floor(Math.random() * 300)) : undefined;
    const db = cluster ? await openPostgres(cluster.url) : await openPglite(undefined);
    try {
      await migrate(db);
      const tenant = await createTenant(db, 'Login bench');
      await createUser(db, {
        tenantId: tenant.id,
        email: 'known@bench',
        password: 'the password',
        role: 'admin',
      });
      const app = await buildApp({ db, logger: false, rateLimits: { login: 1_000_000 } });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as AddressInfo;
      const attempt = async (email: string) => {
        const started = performance.now();
        const answer = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'a wrong guess' }),
        });
        await answer.arrayBuffer();
        if (answer.status !== 401) throw new Error(`login bench: ${email} answered ${answer.status}`);
        return performance.now() - started;
      };
      await attempt('warm-up@bench');
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < LOGIN_ATTEMPTS; i++) {
        known.push(await attempt('known@bench'));
        unknown.push(await attempt(`unknown-${i}@bench`));
      }
      await app.close();
      const figures = (times: number[]) => {
        const sorted = times.sort((a, b) => a - b);
        return `${fmt(percentile(sorted, 0.5))} / ${fmt(percentile(sorted, 0.95))} / ${fmt(sorted.at(-1)!)} ms`;
      };
      console.log(
        `  ${kind}: known email, wrong password ${figures(known)}; unknown email ${figures(unknown)}`,
      );
    } finally {
      await db.close();
      cluster?.stop();
    }
  }
}

/** Rounds of each outage the recovery bench measures (its 20 s outage: one). */
const RECOVERY_ROUNDS = 5;
const LONG_OUTAGE_MS = 20_000;

/**
 * How long a restarted PostgreSQL takes to be served again: `pontual serve` in its own process on
 * a throwaway PostgreSQL, a supervisor's stream open on it; from `pg_ctl start` (or `restart`)
 * returning until the first push is acknowledged, and until the stream announces `resync`.
 */
async function benchRecovery(): Promise<void> {
  const cluster = startCluster(56_500 + Math.floor(Math.random() * 500));
  try {
    const setup = await openPostgres(cluster.url, 1);
    await migrate(setup);
    const { devices, supervisor } = await prepare(setup, 1);
    await setup.close();
    const server = await spawnServe({ databaseUrl: cluster.url });
    const stream = await openEventStream(server.url, supervisor);
    const headers = { authorization: `Bearer ${devices[0]}`, 'content-type': 'application/json' };
    const push = async () => {
      const event = {
        id: uuidv7(),
        type: 'logout',
        at: new Date().toISOString(),
        agentId: 'a',
        agentName: 'A',
      };
      const answer = await fetch(`${server.url}/api/v1/events/push`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ events: [event] }),
      });
      await answer.arrayBuffer();
      return answer.status === 200;
    };
    const healthy = async () => (await fetch(`${server.url}/healthz`)).status === 200;

    /** One outage: `outage` takes the database away and gives it back; timed from its return. */
    const round = async (outage: (back: () => void) => Promise<void>) => {
      const mark = stream.kinds.length;
      let back = 0;
      await outage(() => {
        back = performance.now();
      });
      const resynced = stream.waitFor('resync', mark).then(() => performance.now() - back);
      while (!(await push()));
      const pushed = performance.now() - back;
      return { pushed, resynced: await resynced };
    };
    /** Stopped until the server noticed (its /healthz says so), then started after `downMs`. */
    const stopStart = (downMs: number) => async (back: () => void) => {
      const stopped = performance.now();
      await cluster.down();
      while (await healthy());
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, downMs - (performance.now() - stopped))),
      );
      await cluster.up();
      back();
    };
    const restart = async (back: () => void) => {
      await cluster.restart();
      back();
    };

    const cases: [string, (back: () => void) => Promise<void>, number][] = [
      ['pg_ctl restart -m fast', restart, RECOVERY_ROUNDS],
      ['stopped until noticed, then started', stopStart(0), RECOVERY_ROUNDS],
      [`stopped for ${LONG_OUTAGE_MS / 1000} s, then started`, stopStart(LONG_OUTAGE_MS), 1],
    ];
    console.log(
      'recovery: pontual serve on PostgreSQL 15, from pg_ctl returning, median (max) of the rounds',
    );
    for (const [name, outage, rounds] of cases) {
      const results: { pushed: number; resynced: number }[] = [];
      for (let i = 0; i < rounds; i++) results.push(await round(outage));
      const figure = (key: 'pushed' | 'resynced') => {
        const sorted = results.map((result) => result[key]).sort((a, b) => a - b);
        return rounds === 1
          ? `${fmt(sorted[0]!)} ms`
          : `${fmt(percentile(sorted, 0.5))} ms (${fmt(sorted.at(-1)!)} ms)`;
      };
      console.log(
        `  ${name}, ${rounds} round${rounds === 1 ? '' : 's'}: first push acknowledged ${figure('pushed')}, ` +
          `the stream's resync ${figure('resynced')}`,
      );
    }
    if (stream.ended || server.child.exitCode !== null)
      throw new Error('recovery: the server or its stream ended');
    stream.close();
    server.child.kill('SIGTERM');
    await server.exited;
  } finally {
    cluster.stop();
  }
}

export async function startServer(
  env: Record<string, string>,
  data: string,
): Promise<{ child: ChildProcess; url: string }> {
  // `PONTUAL_BENCH_PROFILE=<folder>`: the server writes a CPU profile there when it exits.
  const profile = process.env.PONTUAL_BENCH_PROFILE;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      BIN,
      'serve',
      '--port',
      env.PORT ?? '0',
      '--host',
      '127.0.0.1',
      '--data',
      data,
    ],
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

export const percentile = (sorted: number[], p: number) =>
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
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const cpuBefore = cpuSnapshot(server.child.pid!, cluster?.dataDir);
  const started = Date.now();
  let lastAnswer = started;
  const deadline = started + DURATION_MS;

  const device = async (token: string, index: number) => {
    // Spread the devices over the 10 s period.
    await new Promise((resolve) => setTimeout(resolve, (index * PUSH_EVERY_MS) / DEVICES));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const fixed = `,"type":"heartbeat","agentId":"agent-${index}","agentName":"Agent ${index}","sessionId":"s-${index}"}`;
    for (let next = Date.now(); next < deadline; next += PUSH_EVERY_MS) {
      // Cheap for the generator, which shares the cores: one UUIDv7 per push, its last three hex
      // digits replaced by the event's index (unique, time-ordered ids like the extension's).
      const stem = uuidv7().slice(0, -3);
      const now = Date.now();
      const parts: string[] = [];
      for (let i = 0; i < batch; i++) {
        parts.push(
          `{"id":"${stem}${i.toString(16).padStart(3, '0')}","at":"${new Date(now - i).toISOString()}"${fixed}`,
        );
      }
      const body = `{"events":[${parts.join(',')}],"sentAt":"${new Date().toISOString()}"}`;
      const t0 = performance.now();
      try {
        const answer = await post(agent, `${server.url}/api/v1/events/push`, headers, body);
        if (answer.status === 200)
          sent += (JSON.parse(answer.text) as { accepted: string[] }).accepted.length;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
      lastAnswer = Date.now();
      if (next + PUSH_EVERY_MS >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next + PUSH_EVERY_MS - Date.now())));
    }
  };
  const reader = async () => {
    let cursor = '0';
    const headers = { authorization: `Bearer ${supervisor}` };
    while (Date.now() < deadline) {
      const response = await get(
        agent,
        `${server.url}/api/v1/events/pull?cursor=${cursor}&limit=5000`,
        headers,
      );
      // Not parsed whole (ten readers keeping up read ten times what is pushed, on the same
      // cores): each pulled event starts with its id, and the page ends with the cursor.
      for (let at = response.indexOf('{"id":'); at >= 0; at = response.indexOf('{"id":', at + 6)) pulled++;
      const tail = /"cursor":"([0-9.]+)","hasMore":(true|false)\}$/.exec(response);
      if (!tail) throw new Error(`pull: unexpected answer ${response.slice(-200)}`);
      cursor = tail[1]!;
      if (tail[2] === 'false') await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  await Promise.all([...devices.map(device), ...Array.from({ length: SUPERVISORS }, reader)]);
  // From the first push to the last answer: what the server sustained (the offered load is
  // DEVICES × batch per PUSH_EVERY_MS; a server that keeps up acknowledges it all within the run).
  const elapsed = (lastAnswer - started) / 1000;
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(server.child.pid!, cluster?.dataDir));
  agent.destroy();

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
    `${kind}: ${DEVICES} devices × ${batch} events every ${fmt(PUSH_EVERY_MS / 1000, 1)} s + ${SUPERVISORS} pulling, ${fmt(elapsed)} s: ` +
      `ingest ${fmt(sent / elapsed)} events/s, push p50 ${fmt(percentile(latencies, 0.5))} ms, ` +
      `p99 ${fmt(percentile(latencies, 0.99))} ms, ${errors} errors; stored ${stored?.n} (${stored?.distinct_ids} distinct) ` +
      `of ${sent} accepted${Number(stored?.n) === sent ? ' — none lost or doubled' : ' — MISMATCH'}; supervisors pulled ${fmt(pulled)}   target ${target}\n` +
      `  offered ${fmt((DEVICES * batch * 1000) / PUSH_EVERY_MS)} events/s; CPU seconds over the run (2 cores = ${fmt(2 * elapsed)}): ` +
      `load generator ${fmt(cpu.generator, 1)}, server ${fmt(cpu.server, 1)}, PostgreSQL ${fmt(cpu.postgres, 1)}, ` +
      `everything else on the machine ${fmt(cpu.others, 1)}`,
  );
}

/** One POST over a keep-alive agent: its status and body text. */
export function post(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function get(agent: Agent, url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`pull: ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface CpuSnapshot {
  generator: number;
  server: number;
  postgres: number;
  total: number;
}

const TICKS = 100; // USER_HZ on Linux

/** utime, stime, cutime, cstime of a process, in seconds (0 once it is gone). */
export function processCpu(pid: number, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (withChildren ? own + Number(fields[13]) + Number(fields[14]) : own) / TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU used so far by this process (the load generator), the server, and PostgreSQL: the
 * postmaster with its exited children, plus its live backends.
 */
export function cpuSnapshot(serverPid: number, pgData: string | undefined): CpuSnapshot {
  const usage = process.cpuUsage();
  let postgres = 0;
  if (pgData) {
    const postmaster = Number(readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    postgres = processCpu(postmaster, true);
    for (const entry of readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === postmaster) postgres += processCpu(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
  }
  const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = cpuLine.reduce((sum, n) => sum + n, 0) - (cpuLine[3] ?? 0) - (cpuLine[4] ?? 0);
  return {
    generator: (usage.user + usage.system) / 1e6,
    server: processCpu(serverPid),
    postgres,
    total: busy / TICKS,
  };
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot) {
  const generator = after.generator - before.generator;
  const server = after.server - before.server;
  const postgres = after.postgres - before.postgres;
  return { generator, server, postgres, others: after.total - before.total - generator - server - postgres };
}
