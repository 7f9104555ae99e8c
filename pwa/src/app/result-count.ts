import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { paramsFromFilters, type ReportFilters } from '../../../shared/reports/filters.ts';
import type { ReportDefinition } from '../../../shared/reports/types.ts';
import type { PreviewColumn } from '../../../workers/report-job.ts';
import { useApp } from './context.tsx';
import { startReportWorker } from './workers.ts';

/** The form waits this long after the last change before counting: typing a number counts once. */
const COUNT_DEBOUNCE_MS = 400;

export type ResultCount =
  | { state: 'idle' }
  | { state: 'counting' }
  | { state: 'done'; count: number; columns: PreviewColumn[] }
  | { state: 'failed'; error: string };

/**
 * While a sync runs, the data version the page works from changes at most this often: each
 * stored page changes it, and each change starts a count in a new report worker and gathers the
 * filters' local choices again — during a large pull, a worker started every second or so,
 * competing with the pull for the CPU (bench/pwa-sync.ts's trace: 25 of them in a 300,000-record
 * pull).
 */
export const VERSION_HOLD_WHILE_SYNCING_MS = 10_000;

/**
 * When the page should take up the live data version `live` in place of `held` (taken at
 * `heldAt`, epoch ms): now when no sync runs, else once `VERSION_HOLD_WHILE_SYNCING_MS` after
 * `heldAt`; `undefined` when they are the same.
 */
export function versionReleaseAt(
  live: string,
  held: string,
  heldAt: number,
  syncing: boolean,
  now: number,
): number | undefined {
  if (live === held) return undefined;
  return syncing ? Math.max(now, heldAt + VERSION_HOLD_WHILE_SYNCING_MS) : now;
}

/**
 * What the local data changed by: each kind's cursor and the imports not yet pushed. A sync that
 * brought nothing leaves it as it was, so the count is not redone every minute for nothing; while
 * a sync runs, it changes at most every `VERSION_HOLD_WHILE_SYNCING_MS` (and when the sync ends).
 */
export function useDataVersion(): string {
  const { store, sync } = useApp();
  const live = useLiveQuery(
    async () => {
      const cursors = await store.cursors.toArray();
      const pending = (await store.pending.count()) + (await store.pendingRecords.count());
      return `${cursors.map((cursor) => `${cursor.kind}:${cursor.cursor}`).join(',')}|${pending}`;
    },
    [store],
    '',
  );
  const [held, setHeld] = useState(live);
  const heldAt = useRef(0);
  useEffect(() => {
    const at = versionReleaseAt(live, held, heldAt.current, sync.running, Date.now());
    if (at === undefined) return;
    const timer = setTimeout(() => {
      heldAt.current = Date.now();
      setHeld(live);
    }, at - Date.now());
    return () => clearTimeout(timer);
  }, [live, held, sync.running]);
  return held;
}

/**
 * How many rows the report gives for these filters, and its columns (some decided by the data), counted by a dry run in a report worker of
 * its own (never on the page's thread), after the filters rest for a moment. A change of filters
 * or data, or leaving the form, terminates the count under way: it stops at once. So does `stop`,
 * which Generate calls: the run answers the same question, and a count still reading a million
 * records beside it would take half the machine from it.
 */
export function useResultCount(
  report: ReportDefinition,
  filters: ReportFilters,
): { count: ResultCount; stop: () => void } {
  const { session } = useApp();
  const version = useDataVersion();
  const [count, setCount] = useState<ResultCount>({ state: 'idle' });
  const stopRunning = useRef<() => void>(() => {});
  // Only what changes the rows: the files asked for and the columns hidden do not.
  const { formats: _formats, hiddenColumns: _hidden, ...counted } = filters;
  const key = JSON.stringify([report.id, counted, version]);
  useEffect(() => {
    const [reportId, countedFilters] = JSON.parse(key) as [
      string,
      Omit<ReportFilters, 'formats' | 'hiddenColumns'>,
    ];
    const input = {
      reportId,
      title: reportId,
      filters: { ...countedFilters, formats: [], hiddenColumns: [] },
    };
    // Filters the run would refuse are not counted: Generate says what is wrong with them.
    if (!paramsFromFilters(report, input.filters).ok) {
      setCount({ state: 'idle' });
      return;
    }
    setCount({ state: 'counting' });
    let worker: ReturnType<typeof startReportWorker> | undefined;
    let stopped = false;
    const timer = setTimeout(() => {
      worker = startReportWorker();
      worker.api
        .count(session.storeName, input)
        .then(({ rows, columns }) => {
          if (!stopped) setCount({ state: 'done', count: rows, columns });
        })
        .catch((error: unknown) => {
          if (!stopped)
            setCount({ state: 'failed', error: error instanceof Error ? error.message : String(error) });
        })
        .finally(() => worker?.terminate());
    }, COUNT_DEBOUNCE_MS);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      worker?.terminate();
    };
    stopRunning.current = () => {
      stop();
      setCount((before) => (before.state === 'counting' ? { state: 'idle' } : before));
    };
    return stop;
  }, [key, report, session.storeName]);
  const stop = useCallback(() => stopRunning.current(), []);
  return { count, stop };
}
