import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/api/report-jobs.ts';
import type { ReportFilters } from '../../../shared/reports/filters.ts';
import type { LocalJob } from '../../../workers/local-store.ts';
import { mergeHistory } from './history.ts';

const FILTERS: ReportFilters = {
  fromDate: '2026-12-02',
  toDate: '2026-12-02',
  timeZone: 'America/Sao_Paulo',
  locale: 'pt-BR',
  splitDays: false,
  agentIds: [],
  hiddenColumns: [],
  formats: ['csv'],
};
const file = { format: 'csv' as const, fileName: 'activity.csv', size: 3, blob: new Blob(['a;b']) };

function local(id: string, createdAt: number, extra: Partial<LocalJob> = {}): LocalJob {
  return {
    id,
    reportId: 'activity',
    title: 'Atividades',
    filters: FILTERS,
    status: 'READY',
    progress: 1,
    createdAt,
    files: [file],
    createdBy: 'me@example.com',
    rowCount: 6,
    ...extra,
  };
}

function shared(id: string, createdAt: number, extra: Partial<Job> = {}): Job {
  return {
    id,
    reportId: 'activity',
    title: 'Activity',
    filters: { ...FILTERS, locale: 'en' },
    status: 'READY',
    progress: 1,
    createdBy: { id: 'u-2', email: 'mate@example.com' },
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(createdAt).toISOString(),
    files: [{ format: 'csv', fileName: 'activity.csv', size: 10 }],
    ...extra,
  };
}

describe('mergeHistory', () => {
  it('offline: keeps every job made on this machine, shared or not, newest first, with its files', () => {
    const views = mergeHistory(
      undefined,
      [local('a', 1000, { sharedId: 's-a' }), local('b', 3000), local('c', 2000, { sharedId: 's-c' })],
      'en',
    );
    expect(views.map((view) => view.localId)).toEqual(['b', 'c', 'a']);
    expect(views.every((view) => view.localFiles.length === 1)).toBe(true);
    // Shared before: still named by its shared id, and not marked "not shared".
    expect(views[1]).toMatchObject({ id: 's-c', onlyLocal: false });
    expect(views[0]).toMatchObject({ id: 'b', onlyLocal: true });
  });

  it('online: the shared jobs with this machine’s files, the unshared local ones, not those deleted since', () => {
    const views = mergeHistory(
      [
        shared('s-a', 1000, { createdBy: { id: 'u-1', email: 'me@example.com' } }),
        shared('s-t', 4000, { rowCount: 42 }),
      ],
      [
        local('a', 1000, { sharedId: 's-a' }),
        local('b', 3000),
        // Deleted by its owner elsewhere, or beyond the last 7: gone here too.
        local('gone', 2000, { sharedId: 's-gone' }),
        // Still running here, shared after the list was fetched: shown.
        local('running', 5000, { sharedId: 's-new', status: 'PROCESSING', files: [], rowCount: undefined }),
      ],
      'en',
    );
    expect(views.map((view) => view.id)).toEqual(['s-new', 's-t', 'b', 's-a']);
    expect(views[3]).toMatchObject({ localId: 'a', sharedFiles: [{ format: 'csv' }], localFiles: [file] });
    // A teammate's job shows its row count.
    expect(views[1]).toMatchObject({ rowCount: 42, createdBy: 'mate@example.com', localFiles: [] });
  });

  it('titles each job in the reader’s language, and names the file’s language when it differs', () => {
    const [mine] = mergeHistory(undefined, [local('a', 1000)], 'en');
    expect(mine!.title).toBe('Activity');
    expect(mine!.filtersText).toBe(
      '2026-12-02 – 2026-12-02 · America/Sao_Paulo · All agents · File in Português',
    );
    const [theirs] = mergeHistory([shared('s-t', 1000)], [], 'pt-BR');
    expect(theirs!.title).toBe('Atividades');
    expect(theirs!.filtersText).toBe(
      '02/12/2026 – 02/12/2026 · America/Sao_Paulo · Todos os agentes · Arquivo em English',
    );
    // What a title adds after the report's name stays.
    const [ticket] = mergeHistory(
      undefined,
      [local('t', 1000, { reportId: 'ticket-detail', title: 'Ticket detail T-1041' })],
      'en',
    );
    expect(ticket!.title).toBe('Ticket detail T-1041');
    // A report this version does not know keeps the title it was saved with.
    const [unknown] = mergeHistory(
      [shared('s-x', 1000, { reportId: 'future-report', title: 'Future' })],
      [],
      'en',
    );
    expect(unknown!.title).toBe('Future');
  });
});
