import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { migrate } from '../server/db/migrations.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { storeRecords } from '../server/routes/events.ts';
import { startCluster } from '../server/testing/postgres-cluster.ts';
import { EXAMPLES } from '../shared/testing/records.ts';
import { startServerProcess, tenantWithSupervisor } from '../tests/e2e/server-process.ts';
import { launchSupervisorBrowser, supervisorContext } from '../tests/e2e/supervisor.ts';
import { PULL_PAGE } from '../workers/sync.ts';
import { buildForBench } from './build.ts';
import { fmt } from './measure.ts';
import { cpuDelta, cpuSnapshot, prepare, startServer } from './server.ts';
import { browserThreadsCpu, chromiumDelta, profileWorker } from './worker-profile.ts';

/**
 * Messages in the server for the PWA to pull, with two delivery statuses each (sent, delivered).
 * Issue 10's figure is 1,000,000 (3M records); the default run is a tenth of it, because loading
 * 3M records into the bench's server takes longer than the pull itself.
 */
const MESSAGES = Number(process.env.PONTUAL_BENCH_PWA_MESSAGES ?? 100_000);
/**
 * `postgres`: the server on a throwaway native PostgreSQL cluster, seeded in-process through
 * `storeRecords` (the way every record is stored) — the size of issue 10's figure in minutes.
 * Else `pontual serve` on its embedded PGlite, seeded through the import API.
 */
const DB = process.env.PONTUAL_BENCH_PWA_DB === 'postgres' ? 'postgres' : 'pglite';
const IMPORT_BATCH = 1_000;
const IMPORTS_AT_ONCE = 4;
const DAYS = 30;

/** The server under the bench, seeded, with a signed-in supervisor. */
interface SeededServer {
  url: string;
  /** The server's process, and PostgreSQL's data folder when native: for their CPU time. */
  pid?: number;
  pgData?: string;
  email: string;
  password: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Issue 10's PWA figure: the PWA pulling every kind into its local store after sign-in (target
 * for 1M messages + 2M statuses: ≤ 60 s), with the page responsive throughout (the longest
 * main-thread task, from a PerformanceObserver 'longtask' installed before the page's scripts).
 */
export async function benchPwaSync(): Promise<void> {
  buildForBench('pwa');
  const seedStarted = Date.now();
  const server = DB === 'postgres' ? await seededPostgres() : await seededPglite();
  const browser = await launchSupervisorBrowser();
  try {
    const supervisor = server;
    const seedMs = Date.now() - seedStarted;
    console.log(
      `server (${DB === 'postgres' ? 'native PostgreSQL 15' : 'PGlite'}): ${fmt(MESSAGES)} messages + ${fmt(2 * MESSAGES)} statuses stored in ${fmt(seedMs)} ms; load average ${loadAverage()}`,
    );

    // `PONTUAL_BENCH_PWA_ALONE=0` skips it (when only the PWA's side changed).
    if (process.env.PONTUAL_BENCH_PWA_ALONE !== '0') {
      const alone = await pullAlone(server.url, supervisor.token);
      console.log(
        `server alone: pulling them (${fmt(PULL_PAGE)} a page, each kind its own scope, from Node) takes ${fmt(alone.ms)} ms (${fmt(alone.records / (alone.ms / 1000))} records/s)`,
      );
    }

    const context = await supervisorContext(browser);
    await context.addInitScript(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number; taskLog: number[][] };
      state.longestTaskMs = 0;
      state.longTasks = 0;
      state.taskLog = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          state.longTasks++;
          state.longestTaskMs = Math.max(state.longestTaskMs, entry.duration);
          // When (epoch ms) and how long: to set beside the sync's timeline.
          state.taskLog.push([performance.timeOrigin + entry.startTime, entry.duration]);
        }
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Email').fill(supervisor.email);
    await page.getByLabel('Password').fill(supervisor.password);
    // Tasks before this (loading the app) are not the sync's.
    await page.evaluate(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number; taskLog: number[][] };
      state.longestTaskMs = 0;
      state.longTasks = 0;
      state.taskLog = [];
    });
    const started = Date.now();
    const cpuBefore = server.pid ? cpuSnapshot(server.pid, server.pgData) : undefined;
    const chromiumBefore = browserThreadsCpu();
    // `PONTUAL_BENCH_PWA_TRACE=<file>`: a Chromium trace with the V8 CPU profiles of the page and
    // its workers, from the click to "Data as of" (open it in DevTools' performance panel).
    const trace = process.env.PONTUAL_BENCH_PWA_TRACE;
    if (trace)
      await browser.startTracing(page, {
        path: trace,
        categories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'],
      });
    // `PONTUAL_BENCH_PWA_PROFILE=<dir>`: a V8 CPU profile of the data worker (which the sign-in
    // starts, so it is attached to as it starts) from the click to "Data as of", written as
    // <dir>/pwa-sync.data.cpuprofile, its top functions printed.
    const profileDir = process.env.PONTUAL_BENCH_PWA_PROFILE;
    const profiling = profileDir ? profileWorker(page, /data\.worker/) : undefined;
    await page.getByRole('button', { name: 'Sign in' }).click();
    // When the first page lands: what sign-in and starting the app take, apart from the pull.
    let firstMs = 0;
    while (firstMs === 0) {
      const counts = await storedCounts(page).catch(() => ({}) as Record<string, number>);
      if (Object.values(counts).some((count) => count > 0)) firstMs = Date.now() - started;
      else await page.waitForTimeout(100);
    }
    // A plain selector polled slowly: Playwright's role queries would themselves load the page's thread.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="freshness"]')?.textContent?.includes('Data as of') === true,
      undefined,
      { polling: 250, timeout: 600_000 },
    );
    const ms = Date.now() - started;
    if (trace) await browser.stopTracing();
    const chromium = chromiumDelta(chromiumBefore, browserThreadsCpu());
    if (profiling) {
      const summary = await (await profiling).stop(join(profileDir!, 'pwa-sync.data.cpuprofile'));
      console.log(
        `  data worker: ${fmt(summary.busyMs)} ms busy; top: ${summary.top.map(([name, ms]) => `${name} ${fmt(ms)}`).join(', ')}`,
      );
    }
    if (cpuBefore && server.pid) {
      const cpu = cpuDelta(cpuBefore, cpuSnapshot(server.pid, server.pgData));
      console.log(
        `  CPU seconds from sign-in to "Data as of" (${fmt(ms / 1000, 1)} s on 2 cores): server ${fmt(cpu.server, 1)}, PostgreSQL ${fmt(cpu.postgres, 1)}, Chromium ${fmt(chromium.total, 1)} (${chromium.text}), the bench ${fmt(cpu.generator, 1)}, everything else on the machine ${fmt(cpu.others - chromium.total, 1)}`,
      );
    }
    console.log(`  Chromium's busiest threads (CPU s): ${chromium.threads}`);
    const marks = await syncTimeline(page, started);
    console.log(
      `  timeline from the sign-in click (ms): ${marks.map(({ name, at }) => `${name} ${fmt(at)}`).join(', ')}`,
    );
    const counts = await storedCounts(page);
    const held = (counts.message ?? 0) + (counts.message_status ?? 0);
    const { longestTaskMs, longTasks, taskLog } = await page.evaluate(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number; taskLog: number[][] };
      return { longestTaskMs: state.longestTaskMs, longTasks: state.longTasks, taskLog: state.taskLog };
    });
    if (taskLog.length > 0)
      console.log(
        `  long tasks (ms after the click: duration): ${taskLog.map(([at, duration]) => `${fmt(at! - started)}: ${duration!.toFixed(0)}`).join(', ')}`,
      );
    console.log(
      `PWA sync (load average ${loadAverage()}): ${fmt(counts.message ?? 0)} messages + ${fmt(counts.message_status ?? 0)} statuses pulled into the local store in ${fmt(ms)} ms from sign-in, the first page stored after ${fmt(firstMs)} ms (${fmt(held / (ms / 1000))} records/s; target for 3M: ≤ 60 s); longest main-thread task ${longestTaskMs === 0 ? 'under 50 ms (no long task)' : `${longestTaskMs.toFixed(0)} ms (${longTasks} tasks ≥ 50 ms)`}`,
    );
    if (held !== 3 * MESSAGES) throw new Error(`the store holds ${held} records, not ${3 * MESSAGES}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** `pontual serve` on PGlite in its own process, seeded through the import API. */
async function seededPglite(): Promise<SeededServer> {
  const server = await startServerProcess();
  const supervisor = await tenantWithSupervisor(server);
  await seed(async (events) => {
    const answer = await server.call<{ accepted: string[]; rejected: unknown[] }>(
      'POST',
      '/api/v1/events/import',
      {
        token: supervisor.token,
        body: { events },
      },
    );
    if (answer.status !== 200 || answer.body.rejected.length > 0)
      throw new Error(`import answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }, IMPORTS_AT_ONCE);
  return { url: server.url, ...supervisor, close: () => server.close() };
}

/**
 * `PONTUAL_BENCH_PWA_KEEP_DB=1`: the native cluster is left running after the bench, its address
 * printed; `PONTUAL_BENCH_PWA_DATABASE_URL=<that address>` (and `PONTUAL_BENCH_PWA_PGDATA=<its data
 * folder>`, for PostgreSQL's CPU time) then runs the bench again on it without
 * seeding (at 1M messages, seeding takes minutes; each run's browser starts with an empty store).
 */
const KEEP_DB = process.env.PONTUAL_BENCH_PWA_KEEP_DB === '1';
const SEEDED_URL = process.env.PONTUAL_BENCH_PWA_DATABASE_URL;

/** `pontual serve` on a native PostgreSQL cluster, seeded in this process before it starts. */
async function seededPostgres(): Promise<SeededServer> {
  const cluster = SEEDED_URL ? undefined : startCluster(57_500 + Math.floor(Math.random() * 400));
  const url = SEEDED_URL ?? cluster!.url;
  const pgData = cluster?.dataDir ?? process.env.PONTUAL_BENCH_PWA_PGDATA;
  const dir = mkdtempSync(join(tmpdir(), 'pontual-pwa-sync-'));
  try {
    if (cluster) {
      const db = await openPostgres(url, 4);
      await migrate(db);
      const { tenantId } = await prepare(db, 0);
      await seed(async (events) => {
        const stored = await storeRecords(db, { tenantId, role: 'admin' }, events, 0);
        if (stored.rejected.length > 0) throw new Error(`refused: ${JSON.stringify(stored.rejected[0])}`);
      }, 3);
      await db.query('analyze events');
      await db.close();
      if (KEEP_DB)
        console.log(
          `the seeded database stays up: PONTUAL_BENCH_PWA_DATABASE_URL=${url} PONTUAL_BENCH_PWA_PGDATA=${pgData}`,
        );
    }
    const port = String(19_000 + Math.floor(Math.random() * 1000));
    const server = await startServer({ DATABASE_URL: url, PORT: port, LOG_LEVEL: 'warn' }, dir);
    // The supervisor `prepare` made.
    const email = 'load@test';
    const password = 'load test password';
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    return {
      url: server.url,
      pid: server.child.pid,
      ...(pgData ? { pgData } : {}),
      email,
      password,
      token,
      async close() {
        server.child.kill('SIGTERM');
        await new Promise((resolve) => server.child.once('exit', resolve));
        if (!KEEP_DB) cluster?.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    cluster?.stop();
    throw error;
  }
}

/**
 * Messages over the last `DAYS` days (inside the 90 days kept), each sent and delivered, handed
 * to `store` in batches, `atOnce` batches at a time.
 */
async function seed(store: (events: object[]) => Promise<void>, atOnce: number): Promise<void> {
  const now = Date.now();
  const step = (DAYS * 86_400_000) / MESSAGES;
  // Three records per message.
  const perBatch = Math.floor(IMPORT_BATCH / 3);
  const batch = (first: number) => {
    const records: object[] = [];
    for (let i = first; i < Math.min(MESSAGES, first + perBatch); i++) {
      const at = now - DAYS * 86_400_000 + Math.floor(i * step);
      const messageId = `wamid.bench-${i}`;
      const contact = `55119${String(10_000_000 + (i % 5_000_000)).padStart(8, '0')}`;
      records.push(
        { ...EXAMPLES.message, id: `m-${i}`, messageId, contact, at: new Date(at).toISOString() },
        {
          ...EXAMPLES.message_status,
          id: `s-${i}-sent`,
          messageId,
          status: 'sent',
          contact,
          at: new Date(at + 1_000).toISOString(),
        },
        {
          ...EXAMPLES.message_status,
          id: `s-${i}-delivered`,
          messageId,
          contact,
          at: new Date(at + 5_000).toISOString(),
        },
      );
    }
    return records;
  };
  let next = 0;
  const worker = async () => {
    while (next < MESSAGES) {
      const first = next;
      next += perBatch;
      await store(batch(first));
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
}

/** The pulls the PWA makes, from Node without a store: what the server alone takes. */
async function pullAlone(url: string, token: string): Promise<{ ms: number; records: number }> {
  const started = Date.now();
  let records = 0;
  for (const kind of ['message', 'message_status']) {
    let cursor = '0';
    for (;;) {
      const response = await fetch(
        `${url}/api/v1/events/pull?kinds=${kind}&limit=${PULL_PAGE}&cursor=${cursor}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      const page = (await response.json()) as { events: unknown[]; cursor: string; hasMore: boolean };
      records += page.events.length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  }
  return { ms: Date.now() - started, records };
}

/**
 * The app's `pontual:` User Timing marks (pwa/src/app/context.tsx, stream.ts, workers/sync.ts)
 * from the page and its workers, in ms after `since` (epoch ms), in order.
 */
async function syncTimeline(page: Page, since: number): Promise<{ name: string; at: number }[]> {
  const read = () =>
    performance
      .getEntriesByType('mark')
      .filter((mark) => mark.name.startsWith('pontual:'))
      .map((mark) => ({
        name: mark.name.slice('pontual:'.length),
        at: performance.timeOrigin + mark.startTime,
      }));
  const all = [
    ...(await page.evaluate(read)),
    // A report worker may end meanwhile: its marks are not the sync's anyway.
    ...(await Promise.all(page.workers().map((worker) => worker.evaluate(read).catch(() => [])))).flat(),
  ];
  return all.map(({ name, at }) => ({ name, at: Math.round(at - since) })).sort((a, b) => a.at - b.at);
}

/**
 * Records per kind as the store counted them (its `cursors` table); none before the app has
 * made the store. The connection is closed whatever happens, and a store not made yet is not
 * made here: an open connection left behind, or a version-1 database without the app's tables,
 * would hold up the app's own opening (its upgrade waits for every other connection to close).
 */
function storedCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const name = (JSON.parse(localStorage.getItem('pontual.session')!) as { storeName: string }).storeName;
    const db = await new Promise<IDBDatabase | undefined>((resolve, reject) => {
      const open = indexedDB.open(name);
      // Not made by the app yet: abort, so that nothing is created.
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => (open.error?.name === 'AbortError' ? resolve(undefined) : reject(open.error));
    });
    if (!db) return {};
    try {
      if (!db.objectStoreNames.contains('cursors')) return {};
      const rows = await new Promise<{ kind: string; count: number }[]>((resolve, reject) => {
        const request = db.transaction('cursors').objectStore('cursors').getAll();
        request.onsuccess = () => resolve(request.result as { kind: string; count: number }[]);
        request.onerror = () => reject(request.error);
      });
      return Object.fromEntries(rows.map((row) => [row.kind, row.count]));
    } finally {
      db.close();
    }
  });
}
