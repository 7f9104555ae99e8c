import type { Job } from '../../../shared/api/report-jobs.ts';
import type { Locale } from '../../../shared/i18n.ts';
import { describeFilters } from '../../../shared/reports/describe.ts';
import { findReport } from '../../../shared/reports/registry.ts';
import type { LocalJob } from '../../../workers/local-store.ts';
import type { JobView } from '../components/JobCard.tsx';

/**
 * A job's title in the reader's language: the report's name in it, and whatever the title adds
 * after the name ("Ticket detail T-1041" → "Detalhe do ticket T-1041"); else as it was saved.
 */
function titleIn(reportId: string, saved: string, locale: Locale): string {
  const report = findReport(reportId);
  if (!report) return saved;
  const names = Object.values(report.title).sort((a, b) => b.length - a.length);
  const own = names.find((name) => saved.startsWith(name));
  return own === undefined ? saved : report.title[locale] + saved.slice(own.length);
}

export function localJobView(job: LocalJob, shared: Job | undefined, locale: Locale): JobView {
  return {
    id: job.sharedId ?? job.id,
    title: titleIn(job.reportId, job.title, locale),
    status: job.status,
    progress: job.progress,
    error: job.error,
    rowCount: job.rowCount ?? shared?.rowCount,
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

export function sharedJobView(job: Job, locale: Locale): JobView {
  return {
    id: job.id,
    title: titleIn(job.reportId, job.title, locale),
    status: job.status,
    progress: job.progress,
    error: job.error,
    rowCount: job.rowCount,
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
 * The history, newest first. With the shared history (`shared`): its jobs, each shown with this
 * machine's files when it ran here, plus the jobs that ran here while the server was out of reach;
 * a job shared once and gone from it (deleted, or beyond the last 7) is gone here too once it
 * has finished. Without it
 * (offline, `undefined`): every job that ran here, whose files are on this machine.
 */
export function mergeHistory(shared: Job[] | undefined, local: LocalJob[], locale: Locale): JobView[] {
  if (shared === undefined)
    return local.map((job) => localJobView(job, undefined, locale)).sort((a, b) => b.createdAt - a.createdAt);
  const localByShared = new Map(local.filter((job) => job.sharedId).map((job) => [job.sharedId!, job]));
  const views = shared.map((job) => {
    const mine = localByShared.get(job.id);
    return mine ? localJobView(mine, job, locale) : sharedJobView(job, locale);
  });
  const listed = new Set(shared.map((job) => job.id));
  // Never shared, or still running here (the list may predate it).
  for (const job of local)
    if (!job.sharedId || (job.status === 'PROCESSING' && !listed.has(job.sharedId)))
      views.push(localJobView(job, undefined, locale));
  return views.sort((a, b) => b.createdAt - a.createdAt);
}
