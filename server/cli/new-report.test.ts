import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportProblems } from '../../shared/reports/conformance.ts';
import { validateRequest } from '../../shared/reports/params.ts';
import { REPORTS } from '../../shared/reports/registry.ts';
import type { ReportDefinition } from '../../shared/reports/types.ts';
import { scenarioEvents } from '../../shared/testing/scenario.ts';
import { exportName, readReportsTree, scaffoldReport } from './new-report.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'server', 'cli', 'new-report.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/**
 * A temporary copy of what the scaffold touches: shared/reports and docs/reports.md copied, the
 * rest of shared/ linked, so the new report's imports resolve and the real tree stays untouched.
 */
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pontual-new-report-'));
  mkdirSync(join(root, 'shared'));
  mkdirSync(join(root, 'docs'));
  for (const entry of readdirSync(join(ROOT, 'shared'))) {
    if (entry === 'reports')
      cpSync(join(ROOT, 'shared', entry), join(root, 'shared', entry), { recursive: true });
    else symlinkSync(join(ROOT, 'shared', entry), join(root, 'shared', entry));
  }
  cpSync(join(ROOT, 'docs', 'reports.md'), join(root, 'docs', 'reports.md'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function scaffold(...args: string[]): string {
  return execFileSync(TSX, [SCRIPT, ...args, '--root', root], { encoding: 'utf8', stdio: 'pipe' });
}

describe('npm run new-report -- <id>', () => {
  it('--dry-run names the four files and writes none', () => {
    const out = scaffold('agent-hours', '--dry-run');
    expect(out.trim().split('\n')).toEqual([
      `would write ${join(root, 'shared', 'reports', 'agent-hours.ts')}`,
      `would write ${join(root, 'shared', 'reports', 'agent-hours.test.ts')}`,
      `would write ${join(root, 'shared', 'reports', 'registry.ts')}`,
      `would write ${join(root, 'docs', 'reports.md')}`,
    ]);
    expect(existsSync(join(root, 'shared', 'reports', 'agent-hours.ts'))).toBe(false);
    expect(readFileSync(join(root, 'shared', 'reports', 'registry.ts'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'shared', 'reports', 'registry.ts'), 'utf8'),
    );
  });

  it('writes a report that conforms from the start: registered, tested, documented, labelled', async () => {
    scaffold('agent-hours');
    const registry = readFileSync(join(root, 'shared', 'reports', 'registry.ts'), 'utf8');
    expect(registry).toContain("import { agentHours } from './agent-hours.ts';");
    expect(registry).toMatch(/REPORTS: readonly ReportDefinition\[\] = \[[^\]]*agentHours,?\s*\];/);
    expect(readFileSync(join(root, 'docs', 'reports.md'), 'utf8')).toMatch(/\n## `agent-hours` — /);

    const tree = await readReportsTree(root);
    expect(tree.registered.map((report) => report.id)).toEqual([
      ...REPORTS.map((known) => known.id),
      'agent-hours',
    ]);
    expect(reportProblems(tree)).toEqual([]);

    // The template computes; its sibling test's case holds.
    const report = tree.registered.at(-1) as ReportDefinition;
    const checked = validateRequest(report, {
      timeZone: 'UTC',
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
      asOf: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const events = scenarioEvents(
      [
        ['08:00:00', 'login', 'page_load'],
        ['12:00:00', 'logout'],
      ],
      { timeZone: 'UTC', date: '2026-03-10' },
    );
    expect(report.compute(events, checked.params).rows).toEqual([['Fabio Rocha', 2]]);
  });

  it('refuses an id that is taken or badly formed, saying why', () => {
    expect(() => scaffoldReport(root, 'agent-hours')).toThrow(/agent-hours\.ts: exists already$/);
    expect(() => scaffoldReport(root, 'Agent_Hours')).toThrow(
      'report id "Agent_Hours": use lower-case words joined by hyphens, such as agent-hours',
    );
    expect(() => scaffoldReport(join(root, 'nowhere'), 'x')).toThrow(/registry\.ts: not found/);
    expect(exportName('a-b2-c')).toBe('aB2C');
  });
});
