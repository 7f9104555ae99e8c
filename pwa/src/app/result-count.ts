import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
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
 * What the local data changed by: each kind's cursor and the imports not yet pushed. A sync that
 * brought nothing leaves it as it was, so the count is not redone every minute for nothing.
 */
function useDataVersion(): string {
  const { store } = useApp();
  return useLiveQuery(
    async () => {
      const cursors = await store.cursors.toArray();
      const pending = (await store.pending.count()) + (await store.pendingRecords.count());
      return `${cursors.map((cursor) => `${cursor.kind}:${cursor.cursor}`).join(',')}|${pending}`;
    },
    [store],
    '',
  );
}

/**
 * How many rows the report gives for these filters, and its columns (some decided by the data), counted by a dry run in a report worker of
 * its own (never on the page's thread), after the filters rest for a moment. A change of filters
 * or data, or leaving the form, terminates the count under way: it stops at once.
 */
export function useResultCount(report: ReportDefinition, filters: ReportFilters): ResultCount {
  const { session } = useApp();
  const version = useDataVersion();
  const [count, setCount] = useState<ResultCount>({ state: 'idle' });
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
    return () => {
      stopped = true;
      clearTimeout(timer);
      worker?.terminate();
    };
  }, [key, report, session.storeName]);
  return count;
}
