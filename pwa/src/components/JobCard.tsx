import type { ReactNode } from 'react';
import type { LocalFile } from '../../../workers/local-store.ts';
import { useApp } from '../app/context.tsx';
import { saveBlob, saveSharedFile } from '../app/download.ts';
import { formatSize, sentence } from '../app/i18n.ts';
import type { LiveProgress } from '../app/jobs.ts';

const FORMAT_ORDER: readonly string[] = ['csv', 'xlsx', 'pdf'];

/** A job as the history and the report screen show it, whether it ran here or on a teammate's machine. */
export interface JobView {
  id: string;
  title: string;
  status: 'PROCESSING' | 'READY' | 'ERROR';
  progress: number;
  error?: string;
  rowCount?: number;
  createdBy: string;
  createdAt: number;
  filtersText: string;
  /** Files on this machine (ran here). */
  localFiles: LocalFile[];
  /** Files in the shared history, downloaded through a signed link. */
  sharedFiles: { format: string; fileName: string; size: number }[];
  sharedId?: string;
  /** Ran here: it can be cancelled and previewed. */
  localId?: string;
  onlyLocal: boolean;
}

export function JobCard(props: { job: JobView; live?: LiveProgress; actions?: ReactNode }) {
  const { t, locale, session, jobs } = useApp();
  const { job, live } = props;
  const fraction = live?.fraction ?? job.progress;
  const processing = job.status === 'PROCESSING';
  const localFormats = new Set(job.localFiles.map((file) => file.format));
  // This machine's copy when it has one (works offline), else the shared file; in one order.
  const downloads = [
    ...job.localFiles.map((file) => ({ ...file, save: () => saveBlob(file.blob, file.fileName) })),
    ...job.sharedFiles
      .filter((file) => !localFormats.has(file.format as LocalFile['format']))
      .map((file) => ({
        ...file,
        save: () => void saveSharedFile(session.token, job.sharedId!, file.format),
      })),
  ].sort((a, b) => FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format));
  return (
    <article className="job" aria-labelledby={`job-${job.id}`} data-status={job.status} data-testid="job">
      <header>
        <h3 id={`job-${job.id}`}>{job.title}</h3>
        <span className={`status status-${job.status.toLowerCase()}`} data-testid="job-status">
          {t.status[job.status]}
        </span>
      </header>
      <p className="meta">
        {t.historyBy(job.createdBy, new Date(job.createdAt).toLocaleString(locale))}
        {job.rowCount !== undefined && ` · ${t.rows(job.rowCount)}`}
      </p>
      <p className="meta">
        <span className="visually-hidden">{t.historyFilters}: </span>
        {job.filtersText}
      </p>
      {processing && (
        <div className="progress-line">
          <progress max={1} value={fraction} aria-label={t.status.PROCESSING} />
          <span>
            {t.phase[live?.phase ?? 'queued']} {Math.round(fraction * 100)}%
          </span>
          {job.localId && (
            <button type="button" onClick={() => jobs.cancel(job.localId!)}>
              {t.cancel}
            </button>
          )}
        </div>
      )}
      {job.error && (
        <p
          className={job.status === 'ERROR' ? 'error' : 'note'}
          role={job.status === 'ERROR' ? 'alert' : undefined}
        >
          {sentence(job.error)}
        </p>
      )}
      {job.onlyLocal && !processing && <p className="note">{t.notShared}</p>}
      {/* One row of buttons in one order on every card: the files (CSV, XLSX, PDF), then the job's actions. */}
      {(job.status === 'READY' || props.actions) && (
        <div className="downloads">
          {job.status === 'READY' &&
            downloads.map((file) => (
              <button type="button" key={file.format} className="primary" onClick={file.save}>
                {t.download(file.format.toUpperCase(), formatSize(file.size, locale))}
              </button>
            ))}
          {props.actions}
        </div>
      )}
    </article>
  );
}
