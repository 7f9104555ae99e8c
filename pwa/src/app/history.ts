import type { Job } from '../../../shared/api/report-jobs.ts';
import type { Locale } from '../../../shared/i18n.ts';
import { describeFilters } from '../../../shared/reports/describe.ts';
import { findReport } from '../../../shared/reports/registry.ts';
import type { LocalJob } from '../../../workers/local-store.ts';
import type { JobView } from '../components/JobCard.tsx';
import type { Messages } from './i18n.ts';

export function localJobView(job: LocalJob, shared: Job | undefined, _t: Messages, locale: Locale): JobView {
  return {
    id: job.sharedId ?? job.id,
    title: job.title,
    status: job.status,
    progress: job.progress,
    error: job.error,
    rowCount: job.rowCount,
    createdBy: job.createdBy ?? '',
    createdAt: job.createdAt,
    filtersText: describeFilters(findReport(job.reportId), job.filters, locale),
    localFiles: job.files,
    sharedFiles: shared?.files ?? [],
    sharedId: job.sharedId,
    localId: job.id,
    onlyLocal: job.sharedId === undefined,
  };
}

export function sharedJobView(job: Job, _t: Messages, locale: Locale): JobView {
  return {
    id: job.id,
    title: job.title,
    status: job.status,
    progress: job.progress,
    error: job.error,
    createdBy: job.createdBy.email,
    createdAt: Date.parse(job.createdAt),
    filtersText: describeFilters(findReport(job.reportId), job.filters, locale),
    localFiles: [],
    sharedFiles: job.files,
    sharedId: job.id,
    onlyLocal: false,
  };
}

/**
 * The history: the shared jobs (newest first), each shown with this machine's files when it ran
 * here, plus the jobs that ran here while the server was out of reach.
 */
export function mergeHistory(shared: Job[], local: LocalJob[], t: Messages, locale: Locale): JobView[] {
  const localByShared = new Map(local.filter((job) => job.sharedId).map((job) => [job.sharedId!, job]));
  const views = shared.map((job) => {
    const mine = localByShared.get(job.id);
    return mine ? localJobView(mine, job, t, locale) : sharedJobView(job, t, locale);
  });
  for (const job of local) if (!job.sharedId) views.push(localJobView(job, undefined, t, locale));
  return views.sort((a, b) => b.createdAt - a.createdAt);
}
