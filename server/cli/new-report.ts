import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ReportsTree } from '../../shared/reports/conformance.ts';
import type { ReportDefinition } from '../../shared/reports/types.ts';

/**
 * `npm run new-report -- <id> [--root <dir>] [--dry-run]`: a new report over agent activity,
 * conforming from the start (shared/reports/conformance.test.ts): `shared/reports/<id>.ts` from a
 * template, its sibling test, its line in the registry and a section stub in docs/reports.md.
 * The developer then edits the report's columns and `compute`, and its test.
 */

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LINE_WIDTH = 110;

export interface ScaffoldFile {
  path: string;
  text: string;
}

/** `agent-hours` → `agentHours`: the name the report's module exports. */
export function exportName(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function reportTemplate(id: string): string {
  const name = exportName(id);
  return `import { groupByAgent, latestAgentName } from '../activity/timeline.ts';
import { AGENTS_FILTER, DEVICE_TIME_FILTER, periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod, timelineOptions } from './params.ts';
import type { ReportDefinition, Row } from './types.ts';

// TODO: this template counts each agent's events in the period; make it the report you need,
// then its test and its section in docs/reports.md.
export const ${name}: ReportDefinition = {
  id: '${id}',
  category: 'agent-activity',
  title: { en: '${id}', 'pt-BR': '${id}' },
  description: {
    en: 'Per agent: how many events they sent in the period.',
    'pt-BR': 'Por agente: quantos eventos enviou no período.',
  },
  columns: [
    { key: 'agentName', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
    { key: 'events', type: 'integer', label: { en: 'Events', 'pt-BR': 'Eventos' } },
  ],
  reads: ['activity'],
  filters: [periodFilter(31), AGENTS_FILTER, DEVICE_TIME_FILTER],
  partition: 'agent',

  compute(events, params) {
    const rows: Row[] = [];
    for (const [agentId, ordered] of groupByAgent(events, timelineOptions(params))) {
      const count = ordered.filter(({ ms }) => inPeriod(params, ms)).length;
      if (count > 0) rows.push([latestAgentName(agentId, ordered), count]);
    }
    return { columns: ${name}.columns, rows: rows.sort(${name}.compareRows) };
  },

  compareRows: rowOrder(0),
};
`;
}

function testTemplate(id: string): string {
  const name = exportName(id);
  return `import { describe, expect, it } from 'vitest';
import { scenarioEvents } from '../testing/scenario.ts';
import { ${name} } from './${id}.ts';
import { validateRequest } from './params.ts';

const TZ = 'America/Sao_Paulo';

describe('${id} report', () => {
  it('counts each agent’s events in the period', () => {
    const checked = validateRequest(${name}, {
      timeZone: TZ,
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
      asOf: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const events = [
      ...scenarioEvents(
        [
          ['08:00:00', 'login', 'page_load'],
          ['12:00:00', 'logout'],
        ],
        { timeZone: TZ, date: '2026-03-10' },
      ),
      // The day before the period: not counted.
      ...scenarioEvents([['08:00:00', 'login', 'page_load']], {
        timeZone: TZ,
        date: '2026-03-09',
        agentId: 'ana',
        agentName: 'Ana',
      }),
    ];
    expect(${name}.compute(events, checked.params).rows).toEqual([['Fabio Rocha', 2]]);
  });
});
`;
}

function docsStub(id: string): string {
  return `
## \`${id}\` — ${id} (max 31 days)

TODO: what one row is, and each column with its pt-BR label and content.
`;
}

/** The registry with the new report imported and listed (formatted as biome would). */
function registered(registry: string, id: string): string {
  const name = exportName(id);
  // The new import goes where biome's import sorting puts it: in order of the module's path.
  const imports = [...registry.matchAll(/^import .* from '(.*)';$/gm)];
  const last = imports.at(-1);
  if (!last || last.index === undefined) throw new Error('shared/reports/registry.ts: no import lines found');
  const block = { start: imports[0]!.index!, end: last.index + last[0].length };
  const lines = [
    ...imports.map((line) => ({ text: line[0], from: line[1]! })),
    { text: `import { ${name} } from './${id}.ts';`, from: `./${id}.ts` },
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const withImport = `${registry.slice(0, block.start)}${lines.map((line) => line.text).join('\n')}${registry.slice(block.end)}`;
  const list = /export const REPORTS: readonly ReportDefinition\[\] = \[([^\]]*)\];/;
  const match = list.exec(withImport);
  if (!match) throw new Error('shared/reports/registry.ts: no "export const REPORTS … = [ … ];" found');
  const names = [
    ...match[1]!
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
    name,
  ];
  const oneLine = `export const REPORTS: readonly ReportDefinition[] = [${names.join(', ')}];`;
  const text =
    oneLine.length <= LINE_WIDTH
      ? oneLine
      : `export const REPORTS: readonly ReportDefinition[] = [\n${names.map((entry) => `  ${entry},\n`).join('')}];`;
  return withImport.replace(list, text);
}

/** The files a new report `id` adds or changes under `root`; throws with what is wrong. */
export function scaffoldReport(root: string, id: string): ScaffoldFile[] {
  if (!ID.test(id)) {
    throw new Error(`report id "${id}": use lower-case words joined by hyphens, such as agent-hours`);
  }
  const reports = join(root, 'shared', 'reports');
  const registryPath = join(reports, 'registry.ts');
  const docsPath = join(root, 'docs', 'reports.md');
  for (const path of [registryPath, docsPath]) {
    if (!existsSync(path)) throw new Error(`${path}: not found (is --root the repository?)`);
  }
  const reportPath = join(reports, `${id}.ts`);
  if (existsSync(reportPath)) throw new Error(`${reportPath}: exists already`);
  const docs = readFileSync(docsPath, 'utf8');
  return [
    { path: reportPath, text: reportTemplate(id) },
    { path: join(reports, `${id}.test.ts`), text: testTemplate(id) },
    { path: registryPath, text: registered(readFileSync(registryPath, 'utf8'), id) },
    { path: docsPath, text: `${docs.trimEnd()}\n${docsStub(id)}` },
  ];
}

/**
 * Everything the conformance check looks at, read from a tree: the registry, every report module
 * and its exports, the file names and docs/reports.md. Imports the modules (tests do; so does the scaffold).
 */
export async function readReportsTree(root: string): Promise<ReportsTree> {
  const directory = join(root, 'shared', 'reports');
  const files = readdirSync(directory).sort();
  const modules = await Promise.all(
    files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map(async (file) => ({
        name: file.slice(0, -'.ts'.length),
        exports: (await import(pathToFileURL(join(directory, file)).href)) as Record<string, unknown>,
      })),
  );
  const registry = modules.find((module) => module.name === 'registry');
  const registeredReports = registry?.exports.REPORTS as readonly ReportDefinition[] | undefined;
  if (!registeredReports) throw new Error(`${directory}/registry.ts: exports no REPORTS`);
  return {
    registered: registeredReports,
    modules,
    files,
    docs: readFileSync(join(root, 'docs', 'reports.md'), 'utf8'),
  };
}

function main(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { root: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const [id, ...extra] = positionals;
  if (id === undefined || extra.length > 0) {
    process.stderr.write('usage: npm run new-report -- <id> [--root <repository>] [--dry-run]\n');
    return 2;
  }
  const root = resolve(values.root ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const files = scaffoldReport(root, id);
  for (const file of files) {
    if (!values['dry-run']) writeFileSync(file.path, file.text);
    process.stdout.write(`${values['dry-run'] ? 'would write' : 'wrote'} ${file.path}\n`);
  }
  if (!values['dry-run']) {
    process.stdout.write(
      `next: edit shared/reports/${id}.ts and its test, fill in its docs/reports.md section, then run\n` +
        `  npx vitest run shared/reports/${id}.test.ts shared/reports/conformance.test.ts\n`,
    );
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`new-report: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
