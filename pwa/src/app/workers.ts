import { type Remote, wrap } from 'comlink';
import type { DataWorkerApi } from '../../../workers/data.worker.ts';
import type { ReportWorkerApi } from '../../../workers/report.worker.ts';

let dataWorker: Remote<DataWorkerApi> | undefined;

/** The one background worker that syncs and imports (created on first use). */
export function dataWorkerApi(): Remote<DataWorkerApi> {
  dataWorker ??= wrap<DataWorkerApi>(
    new Worker(new URL('../../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'data' }),
  );
  return dataWorker;
}

export interface ReportWorkerHandle {
  api: Remote<ReportWorkerApi>;
  /** Stops the job at once (cancel) or frees the preview's rows. */
  terminate(): void;
}

/** A fresh worker for one report job. */
export function startReportWorker(): ReportWorkerHandle {
  const worker = new Worker(new URL('../../../workers/report.worker.ts', import.meta.url), {
    type: 'module',
    name: 'report',
  });
  return { api: wrap<ReportWorkerApi>(worker), terminate: () => worker.terminate() };
}
