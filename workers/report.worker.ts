import { expose } from 'comlink';
import { LocalStore } from './local-store.ts';
import { JobError, type JobProgress, type ReportJobInput, ReportJobRunner } from './report-job.ts';
import { fetchTranscriptFonts } from './transcript-fonts.ts';

/**
 * One report job per worker: the page terminates the worker to cancel, which stops the job at
 * once wherever it is. The worker reads the local store itself, so events never cross to the
 * page; only the finished files (Blobs) and the rows on screen do.
 */
let runner: ReportJobRunner | undefined;

const api = {
  async run(storeName: string, input: ReportJobInput, onProgress: (progress: JobProgress) => void) {
    const store = new LocalStore(storeName);
    try {
      runner = new ReportJobRunner(store, fetchTranscriptFonts);
      return await runner.run(input, onProgress);
    } catch (error) {
      // Comlink sends only the message across; a failure that is not ours says what happened.
      if (error instanceof JobError) throw new Error(error.message);
      throw new Error(`the report failed while running: ${(error as Error).message ?? String(error)}`);
    } finally {
      store.close();
    }
  },
  /** The row count of a run with these filters (a dry run, no files); cancelled by terminating. */
  async count(storeName: string, input: ReportJobInput) {
    const store = new LocalStore(storeName);
    try {
      return await new ReportJobRunner(store).count(input);
    } catch (error) {
      if (error instanceof JobError) throw new Error(error.message);
      throw new Error(`the count failed: ${(error as Error).message ?? String(error)}`);
    } finally {
      store.close();
    }
  },
  page(start: number, count: number, sort?: { column: number; descending: boolean }) {
    return runner?.page(start, count, sort) ?? [];
  },
  chart() {
    return runner?.chart();
  },
  headline() {
    return runner?.headline();
  },
};

export type ReportWorkerApi = typeof api;
expose(api);
