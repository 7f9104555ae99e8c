import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReportsTree } from '../../server/cli/new-report.ts';
import { type ReportsTree, reportProblems } from './conformance.ts';
import { REPORTS } from './registry.ts';
import type { ReportDefinition } from './types.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let tree: ReportsTree;
beforeAll(async () => {
  tree = await readReportsTree(ROOT);
});

/** The tree with one report replaced by a changed copy, registered and exported as the original was. */
function withReport(id: string, change: (report: ReportDefinition) => ReportDefinition): ReportsTree {
  const original = REPORTS.find((report) => report.id === id)!;
  const changed = change(original);
  return {
    ...tree,
    registered: tree.registered.map((report) => (report === original ? changed : report)),
    modules: tree.modules.map((module) =>
      module.name === id ? { ...module, exports: { [`${id}Changed`]: changed } } : module,
    ),
  };
}

describe('every report conforms (docs/reports.md "Adding a report")', () => {
  it('the reports in this repository: id is the file name, registered, tested, documented, labelled', () => {
    expect(tree.registered).toBe(REPORTS);
    expect(reportProblems(tree)).toEqual([]);
  });

  it('fails when an id is not its file name', () => {
    const tree2 = withReport('login-logout', (report) => ({ ...report, id: 'logins' }));
    expect(reportProblems(tree2)).toContain(
      'login-logout.ts: report "logins" (login-logoutChanged) must have the file\'s name as its id',
    );
  });

  it('fails when a report is missing from the registry', () => {
    const unregistered = {
      ...tree,
      registered: tree.registered.filter((report) => report.id !== 'activity'),
    };
    expect(reportProblems(unregistered)).toContain(
      'activity.ts: report "activity" is not in REPORTS (shared/reports/registry.ts)',
    );
  });

  it('fails when a report has no sibling test or no section in docs/reports.md', () => {
    const untested = { ...tree, files: tree.files.filter((file) => file !== 'agent-summary.test.ts') };
    expect(reportProblems(untested)).toEqual([
      'agent-summary: no sibling test shared/reports/agent-summary.test.ts',
    ]);
    const undocumented = { ...tree, docs: tree.docs.replace('## `login-logout`', '## login-logout') };
    expect(reportProblems(undocumented)).toEqual([
      'login-logout: no section "## `login-logout` — …" in docs/reports.md',
    ]);
  });

  it('fails when a column key or a label in either locale is missing', () => {
    const broken = withReport('activity', (report) => ({
      ...report,
      columns: [
        { ...report.columns[0]!, label: { en: 'Agent Name' } as never },
        { ...report.columns[1]!, key: '' },
        { ...report.columns[2]!, label: { en: '', 'pt-BR': 'Data' } },
        ...report.columns.slice(3),
      ],
    }));
    expect(reportProblems(broken)).toEqual([
      'activity: column "agentName" label: no pt-BR text',
      'activity: a column has no key',
      'activity: column "startDate" label: no en text',
    ]);
  });

  it('fails on declarations that cannot work: kinds, filters, partition, chart', () => {
    const broken = withReport('agent-summary', (report) => ({
      ...report,
      reads: ['campaign'],
      filters: report.filters.filter((field) => field.widget !== 'period'),
      chart: {
        type: 'days',
        title: report.title,
        dayColumn: 'date',
        series: [{ column: 'nope', label: report.title }],
      },
      headline: { of: 'loggedIn', columns: ['gone'] },
    }));
    expect(reportProblems(broken)).toEqual([
      'agent-summary: declares 0 period filters, not one',
      'agent-summary: partitions by agent, which none of the kinds it reads carries',
      'agent-summary: the chart draws column "nope", which the report does not have',
      'agent-summary: the headline shows column "gone", which the report does not have',
    ]);
    const totals = withReport('agent-summary', (report) => ({ ...report, partition: 'totals' }));
    expect(reportProblems(totals)).toEqual(['agent-summary: partitions by totals but has no combine()']);
  });
});
