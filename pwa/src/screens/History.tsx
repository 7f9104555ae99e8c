import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import type { Job, JobsAnswer } from '../../../shared/api/report-jobs.ts';
import { apiCall, isOffline } from '../app/api.ts';
import { useApp } from '../app/context.tsx';
import { mergeHistory } from '../app/history.ts';
import { sentence } from '../app/i18n.ts';
import { useJobProgress } from '../app/jobs.ts';
import { JobCard, type JobView } from '../components/JobCard.tsx';

/** Without the stream, the history is fetched this often while a job is processing. */
const POLL_MS = 10_000;

/** The shared history (DESIGN §8), live: the stream says when it changed; polling stands in for it. */
export default function History() {
  const { t, locale, session, store, jobs, sync, onHistoryChange } = useApp();
  // Undefined until the server answers, and while it cannot be reached: the jobs made here show.
  const [shared, setShared] = useState<Job[]>();
  const [error, setError] = useState<string>();
  const local = useLiveQuery(() => store.jobs.toArray(), [store], []);
  const live = useJobProgress(jobs);

  const refresh = useCallback(async () => {
    try {
      const answer = await apiCall<JobsAnswer>('/api/v1/report-jobs', { token: session.token });
      setShared(answer.jobs);
      setError(undefined);
    } catch (problem) {
      if (isOffline(problem)) setShared(undefined);
      setError(isOffline(problem) ? undefined : sentence((problem as Error).message));
    }
  }, [session.token]);

  useEffect(() => {
    void refresh();
    return onHistoryChange(() => void refresh());
  }, [refresh, onHistoryChange]);

  const processing = shared?.some((job) => job.status === 'PROCESSING') ?? false;
  const polling = processing && !sync.streamConnected;
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [polling, refresh]);

  const views = mergeHistory(shared, local, locale);
  /** A shared job is asked about first: the team loses it too. */
  const remove = async (view: JobView) => {
    if (view.sharedId !== undefined && !window.confirm(t.historyDeleteConfirm(view.title))) return;
    if (view.sharedId !== undefined) {
      try {
        await apiCall(`/api/v1/report-jobs/${view.sharedId}`, { method: 'DELETE', token: session.token });
      } catch (problem) {
        // Kept here when the server refused or could not be reached: it would come back otherwise.
        setError(sentence((problem as Error).message));
        return;
      }
    }
    if (view.localId) await store.jobs.delete(view.localId);
    await refresh();
  };

  return (
    <section className="panel" aria-labelledby="history-title">
      <h1 id="history-title">{t.historyTitle}</h1>
      <p className="hint">{t.historyIntro}</p>
      {polling && <p className="note">{t.historyPolling}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {views.length === 0 && <p>{t.historyEmpty}</p>}
      <div className="job-list" data-testid="history">
        {views.map((view) => (
          <JobCard
            key={view.id}
            job={view}
            live={view.localId ? live.get(view.localId) : undefined}
            actions={
              // Only its owner deletes a shared job (the server says the same); a local one is yours.
              view.status !== 'PROCESSING' &&
              (view.sharedId === undefined || view.createdBy === session.user.email) ? (
                <button type="button" className="danger" onClick={() => void remove(view)}>
                  {t.historyDelete}
                </button>
              ) : undefined
            }
          />
        ))}
      </div>
    </section>
  );
}
