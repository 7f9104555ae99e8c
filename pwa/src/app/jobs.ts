import { proxy } from 'comlink';
import { useSyncExternalStore } from 'react';
import { type Job, jobFilters, type UpdateJobBody } from '../../../shared/api/report-jobs.ts';
import { uuidv7 } from '../../../shared/ids/uuidv7.ts';
import type { ReportFilters } from '../../../shared/reports/filters.ts';
import type { LocalJob, LocalStore } from '../../../workers/local-store.ts';
import type { JobPhase, JobProgress, ReportJobOutput } from '../../../workers/report-job.ts';
import type { ApiRequest } from '../../../workers/sync.ts';
import { apiCall } from './api.ts';
import type { Session } from './session.ts';
import { type ReportWorkerHandle, startReportWorker } from './workers.ts';

/** Finished jobs whose rows stay in their worker for the preview; older ones are freed. */
const PREVIEWS_KEPT = 3;
const SHARE_PROGRESS_EVERY_MS = 2_000;
export const JOBS_KEPT_PER_REPORT = 7;

/** What the runner uses from outside: the API and a worker per job (tests give their own). */
export interface JobRunnerParts {
  call<T>(path: string, options: ApiRequest & { token?: string }): Promise<T>;
  startWorker(): ReportWorkerHandle;
}

/**
 * What makes two jobs the same: the report, every filter (the files and the language among them)
 * and the title. Keys are sorted, so the order a form set them in does not matter.
 */
export function jobKey(reportId: string, filters: ReportFilters): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([a], [b]) => (a < b ? -1 : 1))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return JSON.stringify([reportId, sorted(filters)]);
}

export interface LiveProgress {
  phase: JobPhase | 'queued';
  fraction: number;
  /** Columns of the finished run (for the preview). */
  output?: ReportJobOutput;
}

/**
 * Runs report jobs: each in its own worker (cancel = terminate), kept in the local store with its
 * files (downloads work offline) and shared with the team's history when the server is reachable.
 */
export class JobRunner {
  private readonly workers = new Map<string, ReportWorkerHandle>();
  private readonly finished: string[] = [];
  private progress = new Map<string, LiveProgress>();
  private readonly listeners = new Set<() => void>();
  /** The jobs running in this tab, by `jobKey`: an identical request joins the one running. */
  private readonly running = new Map<string, string>();

  constructor(
    private readonly session: Session,
    private readonly store: LocalStore,
    private readonly parts: JobRunnerParts = { call: apiCall, startWorker: startReportWorker },
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  snapshot = () => this.progress;

  private setProgress(id: string, value: LiveProgress | undefined): void {
    const next = new Map(this.progress);
    if (value) next.set(id, value);
    else next.delete(id);
    this.progress = next;
    for (const listener of this.listeners) listener();
  }

  /** The worker holding a finished job's rows, while it is kept. */
  previewOf(id: string): ReportWorkerHandle['api'] | undefined {
    return this.progress.get(id)?.output ? this.workers.get(id)?.api : undefined;
  }

  /**
   * Starts a job, or gives the id of the identical one already running in this tab (same report,
   * filters, files and language): a double click on Generate makes one job, not two that both
   * count in the history's last 7. Decided before any wait, so clicks in a row cannot race.
   */
  async start(reportId: string, title: string, filters: ReportFilters): Promise<string> {
    const key = jobKey(reportId, filters);
    const same = this.running.get(key);
    if (same !== undefined) return same;
    const id = uuidv7();
    this.running.set(key, id);
    const job: LocalJob = {
      id,
      reportId,
      title,
      filters,
      status: 'PROCESSING',
      progress: 0,
      createdAt: Date.now(),
      files: [],
      createdBy: this.session.user.email,
    };
    this.setProgress(id, { phase: 'queued', fraction: 0 });
    try {
      await this.store.jobs.put(job);
      await this.forgetOldJobs(reportId);
    } catch (error) {
      this.running.delete(key);
      this.setProgress(id, undefined);
      throw error;
    }
    const shared = this.share(job);
    void this.run(job, shared).finally(() => this.release(id));
    return id;
  }

  /** Like the shared history, this machine keeps the last 7 jobs of each report (DESIGN §8). */
  private async forgetOldJobs(reportId: string): Promise<void> {
    const mine = (await this.store.jobs.orderBy('createdAt').reverse().toArray()).filter(
      (job) => job.reportId === reportId,
    );
    const old = mine.slice(JOBS_KEPT_PER_REPORT).filter((job) => !this.workers.has(job.id));
    await this.store.jobs.bulkDelete(old.map((job) => job.id));
  }

  private async share(job: LocalJob): Promise<string | undefined> {
    try {
      const created = await this.parts.call<Job>('/api/v1/report-jobs', {
        token: this.session.token,
        // The period as the server reads it (`from`, `to`) besides the form's own fields.
        body: {
          reportId: job.reportId,
          title: job.title,
          filters: jobFilters(job.filters),
          status: 'PROCESSING',
        },
      });
      await this.store.jobs.update(job.id, { sharedId: created.id });
      return created.id;
    } catch {
      return undefined;
    }
  }

  private async run(job: LocalJob, shared: Promise<string | undefined>): Promise<void> {
    const worker = this.parts.startWorker();
    this.workers.set(job.id, worker);
    let lastShared = 0;
    const onProgress = (progress: JobProgress) => {
      this.setProgress(job.id, { phase: progress.phase, fraction: progress.fraction });
      const now = Date.now();
      if (now - lastShared >= SHARE_PROGRESS_EVERY_MS && progress.fraction < 1) {
        lastShared = now;
        void shared.then((sharedId) => {
          if (sharedId) void this.patch(sharedId, { progress: progress.fraction });
        });
      }
    };
    let output: ReportJobOutput;
    try {
      output = await worker.api.run(
        this.session.storeName,
        { reportId: job.reportId, title: job.title, filters: job.filters },
        proxy(onProgress),
      );
    } catch (error) {
      if (!this.workers.has(job.id)) return; // cancelled: the worker was terminated on purpose
      worker.terminate();
      this.workers.delete(job.id);
      const message = error instanceof Error ? error.message : String(error);
      await this.store.jobs.update(job.id, { status: 'ERROR', error: message, progress: 1 });
      this.release(job.id);
      this.setProgress(job.id, undefined);
      const sharedId = await shared;
      if (sharedId) await this.patch(sharedId, { status: 'ERROR', error: message.slice(0, 2000) });
      return;
    }
    if (!this.workers.has(job.id)) return;
    const notes = output.skipped.map((skip) => `${skip.format.toUpperCase()}: ${skip.reason}`);
    await this.store.jobs.update(job.id, {
      status: 'READY',
      progress: 1,
      files: output.files,
      rowCount: output.rowCount,
      ...(notes.length > 0 ? { error: notes.join('\n') } : {}),
    });
    this.release(job.id);
    this.setProgress(job.id, { phase: 'writing', fraction: 1, output });
    this.keepPreview(job.id);
    const sharedId = await shared;
    if (sharedId) await this.upload(sharedId, output);
  }

  private async upload(sharedId: string, output: ReportJobOutput): Promise<void> {
    try {
      for (const file of output.files) {
        const query = new URLSearchParams({ format: file.format, fileName: file.fileName });
        await this.parts.call(`/api/v1/report-jobs/${sharedId}/file?${query}`, {
          method: 'PUT',
          token: this.session.token,
          raw: file.blob,
        });
      }
      await this.patch(sharedId, { status: 'READY', rowCount: output.rowCount });
    } catch (error) {
      await this.patch(sharedId, {
        status: 'ERROR',
        error: `The files were made but could not be shared: ${(error as Error).message}`,
      });
    }
  }

  private async patch(sharedId: string, body: UpdateJobBody): Promise<void> {
    await this.parts
      .call(`/api/v1/report-jobs/${sharedId}`, {
        method: 'PATCH',
        token: this.session.token,
        body,
      })
      .catch(() => undefined);
  }

  private keepPreview(id: string): void {
    this.finished.push(id);
    while (this.finished.length > PREVIEWS_KEPT) this.freeWorker(this.finished.shift()!);
  }

  /** The job is no longer running: the same request starts a new one. */
  private release(id: string): void {
    for (const [key, running] of this.running) if (running === id) this.running.delete(key);
  }

  /** Frees a finished job's rows: its preview goes, its files stay. */
  private freeWorker(id: string): void {
    this.workers.get(id)?.terminate();
    this.workers.delete(id);
    const progress = this.progress.get(id);
    if (progress?.output) this.setProgress(id, { ...progress, output: undefined });
  }

  /** Stops a running job at once; it leaves no trace here or in the shared history. */
  async cancel(id: string): Promise<void> {
    this.workers.get(id)?.terminate();
    this.workers.delete(id);
    this.release(id);
    this.setProgress(id, undefined);
    const job = await this.store.jobs.get(id);
    await this.store.jobs.delete(id);
    if (job?.sharedId) {
      await this.parts
        .call(`/api/v1/report-jobs/${job.sharedId}`, {
          method: 'DELETE',
          token: this.session.token,
        })
        .catch(() => undefined);
    }
  }

  /** Frees every worker (sign-out). */
  dispose(): void {
    for (const worker of this.workers.values()) worker.terminate();
    this.workers.clear();
  }
}

/** The live progress of the jobs running or finished in this tab. */
export function useJobProgress(runner: JobRunner): Map<string, LiveProgress> {
  return useSyncExternalStore(runner.subscribe, runner.snapshot);
}
