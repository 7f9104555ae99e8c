import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database.ts';
import { DATABASES } from '../../../server/testing/databases.ts';
import { startTestServer, type TestServer, tenantWithDevice } from '../../../server/testing/http.ts';
import type { Job, JobsAnswer } from '../../../shared/api/report-jobs.ts';
import type { ReportFilters } from '../../../shared/reports/filters.ts';
import { scenarioEvents } from '../../../shared/testing/scenario.ts';
import { LocalStore, toChunk } from '../../../workers/local-store.ts';
import { type JobProgress, type ReportJobInput, ReportJobRunner } from '../../../workers/report-job.ts';
import { apiRequest } from '../../../workers/sync.ts';
import { JOBS_KEPT_PER_REPORT, JobRunner, type JobRunnerParts, jobKey } from './jobs.ts';
import type { Session } from './session.ts';
import type { ReportWorkerHandle } from './workers.ts';

const TZ = 'America/Sao_Paulo';
const DATE = '2026-03-10';

const FILTERS: ReportFilters = {
  fromDate: DATE,
  toDate: DATE,
  timeZone: TZ,
  locale: 'en',
  splitDays: false,
  agentIds: [],
  hiddenColumns: ['cause'],
  formats: ['csv'],
};

/**
 * The report worker, in this process: the real report code over the same local store. A job
 * waits for `gate` before it computes, so a test can cancel it while it runs; terminating it
 * rejects its run as a terminated worker would leave it unanswered.
 */
function inProcessWorkers(store: LocalStore) {
  let open: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const started: string[] = [];
  const terminated: string[] = [];
  const startWorker = (): ReportWorkerHandle => {
    const runner = new ReportJobRunner(store);
    let stop: (error: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    stopped.catch(() => undefined);
    const id = `worker-${started.length + 1}`;
    started.push(id);
    const api = {
      run: (_storeName: string, input: ReportJobInput, onProgress: (progress: JobProgress) => void) =>
        Promise.race([gate.then(() => runner.run(input, onProgress)), stopped]),
      page: (start: number, count: number) => runner.page(start, count),
      chart: () => runner.chart(),
      headline: () => runner.headline(),
    };
    return {
      api: api as unknown as ReportWorkerHandle['api'],
      terminate: () => {
        terminated.push(id);
        stop(new Error('terminated'));
      },
    };
  };
  return {
    startWorker,
    started,
    terminated,
    /** Jobs started from now on wait until `release()`. */
    hold() {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
  };
}

let db: Database;
let server: TestServer;
beforeAll(async () => {
  db = await DATABASES.find((database) => database.kind === 'pglite')!.open();
  server = await startTestServer(db);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function setUp(options: { online?: boolean } = {}) {
  const tenant = await tenantWithDevice(db, server);
  const store = new LocalStore(`jobs-test-${Math.random().toString(36).slice(2)}`);
  await store.chunks.add(
    toChunk(
      scenarioEvents(
        [
          ['09:00:00', 'login', 'page_load'],
          ['09:30:00', 'break', 'Training'],
          ['10:00:00', 'logout'],
        ],
        { timeZone: TZ, date: DATE },
      ),
    ),
  );
  const session: Session = {
    token: tenant.userToken,
    user: { id: 'me', email: tenant.email, role: 'supervisor', tenantId: tenant.tenantId },
    storeName: store.name,
  };
  const workers = inProcessWorkers(store);
  // Offline: the server cannot be reached (a closed port), as `fetch` fails in a browser.
  const base = options.online === false ? 'http://127.0.0.1:9' : server.url;
  const parts: JobRunnerParts = {
    call: (path, { token = '', ...request }) => apiRequest({ server: base, token }, path, request),
    startWorker: workers.startWorker,
  };
  const runner = new JobRunner(session, store, parts);
  const sharedJobs = async () =>
    (await server.call<JobsAnswer>('GET', '/api/v1/report-jobs', { token: tenant.userToken })).body.jobs;
  const finished = (id: string) =>
    expect.poll(async () => (await store.jobs.get(id))?.status, { timeout: 30_000 }).not.toBe('PROCESSING');
  return { tenant, store, runner, workers, sharedJobs, finished };
}

describe('JobRunner', () => {
  it('shares a job with the team: created, its file uploaded, READY with its row count', async () => {
    const { store, runner, sharedJobs, finished } = await setUp();
    const id = await runner.start('activity', 'Activity', FILTERS);
    await finished(id);
    const local = (await store.jobs.get(id))!;
    expect(local).toMatchObject({ status: 'READY', rowCount: 3 });
    expect(local.files.map((file) => file.format)).toEqual(['csv']);
    await expect
      .poll(async () => (await sharedJobs()).find((job) => job.id === local.sharedId)?.status)
      .toBe('READY');
    const [shared] = await sharedJobs();
    expect(shared).toMatchObject<Partial<Job>>({ reportId: 'activity', rowCount: 3 });
    expect(shared!.files.map((file) => file.format)).toEqual(['csv']);
    expect(shared!.filters).toMatchObject({ from: DATE, to: '2026-03-11', fromDate: DATE });
  });

  it('offline: the job runs and keeps its files here, not shared', async () => {
    const { store, runner, finished } = await setUp({ online: false });
    const id = await runner.start('activity', 'Activity', FILTERS);
    await finished(id);
    const job = (await store.jobs.get(id))!;
    expect(job).toMatchObject({ status: 'READY', rowCount: 3 });
    expect(job.sharedId).toBeUndefined();
    expect(job.files.map((file) => file.format)).toEqual(['csv']);
  });

  it('reuses the identical job running: three quick clicks make one job; a change makes another', async () => {
    const { store, runner, workers, finished } = await setUp();
    workers.hold();
    const clicks = await Promise.all([1, 2, 3].map(() => runner.start('activity', 'Activity', FILTERS)));
    expect(new Set(clicks).size).toBe(1);
    // The same filters set in another order are the same job.
    const reordered = Object.fromEntries(Object.entries(FILTERS).reverse()) as unknown as ReportFilters;
    expect(jobKey('activity', reordered)).toBe(jobKey('activity', FILTERS));
    expect(await runner.start('activity', 'Activity', reordered)).toBe(clicks[0]);
    // Another file format, or another language, is another job.
    const pdf = await runner.start('activity', 'Activity', { ...FILTERS, formats: ['pdf'] });
    const portuguese = await runner.start('activity', 'Atividades', { ...FILTERS, locale: 'pt-BR' });
    expect(new Set([clicks[0], pdf, portuguese]).size).toBe(3);
    expect(await store.jobs.count()).toBe(3);
    workers.release();
    for (const id of [clicks[0]!, pdf, portuguese]) await finished(id);
    // Finished: the same request now starts a new job.
    expect(await runner.start('activity', 'Activity', FILTERS)).not.toBe(clicks[0]);
  });

  it('cancel stops the worker and leaves no trace here or in the shared history', async () => {
    const { store, runner, workers, sharedJobs } = await setUp();
    workers.hold();
    const id = await runner.start('activity', 'Activity', FILTERS);
    await expect.poll(async () => (await store.jobs.get(id))?.sharedId).toBeDefined();
    expect((await sharedJobs()).map((job) => job.status)).toEqual(['PROCESSING']);
    await runner.cancel(id);
    expect(workers.terminated).toEqual(workers.started);
    expect(await store.jobs.get(id)).toBeUndefined();
    expect(runner.snapshot().has(id)).toBe(false);
    expect(await sharedJobs()).toEqual([]);
    // Released after the cancel: the cancelled run writes nothing back.
    workers.release();
    const next = await runner.start('activity', 'Activity', FILTERS);
    expect(next).not.toBe(id);
  });

  it(`keeps the last ${JOBS_KEPT_PER_REPORT} jobs of each report here: the oldest goes first`, async () => {
    const { store, runner, finished } = await setUp({ online: false });
    const ids: string[] = [];
    for (let day = 1; day <= JOBS_KEPT_PER_REPORT + 2; day++) {
      const date = `2026-03-${String(day).padStart(2, '0')}`;
      const id = await runner.start('activity', 'Activity', { ...FILTERS, fromDate: date, toDate: date });
      await finished(id);
      ids.push(id);
    }
    // Another report's job does not count against this one's.
    const other = await runner.start('login-logout', 'Login/Logout', FILTERS);
    await finished(other);
    const kept = (await store.jobs.toArray()).map((job) => job.id);
    expect(kept.sort()).toEqual([...ids.slice(-JOBS_KEPT_PER_REPORT), other].sort());
  });
});
