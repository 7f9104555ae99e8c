import { LOCALES } from '../i18n.ts';
import { RECORD_KIND_NAMES } from '../records/kind.ts';
import { findKind } from '../records/registry.ts';
import type { FilterField } from './filter-schema.ts';
import type { ReportDefinition } from './types.ts';

/** What the conformance check is given: read by its caller (a test, the scaffold), so this stays pure. */
export interface ReportsTree {
  /** The registry's list (`REPORTS`). */
  registered: readonly ReportDefinition[];
  /** Every module of `shared/reports/` but tests: its file name without `.ts`, and its exports. */
  modules: readonly { name: string; exports: Record<string, unknown> }[];
  /** Every file name in `shared/reports/`. */
  files: readonly string[];
  /** The text of docs/reports.md. */
  docs: string;
}

/** Whether a module's export is a report definition (and not a helper it also exports). */
export function isReportDefinition(value: unknown): value is ReportDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ReportDefinition).id === 'string' &&
    typeof (value as ReportDefinition).compute === 'function' &&
    Array.isArray((value as ReportDefinition).columns)
  );
}

function localizedProblems(where: string, text: Record<string, string> | undefined): string[] {
  return LOCALES.filter((locale) => typeof text?.[locale] !== 'string' || text[locale]!.trim() === '').map(
    (locale) => `${where}: no ${locale} text`,
  );
}

function filterProblems(id: string, fields: readonly FilterField[]): string[] {
  const problems: string[] = [];
  const periods = fields.filter((field) => field.widget === 'period');
  if (periods.length !== 1) problems.push(`${id}: declares ${periods.length} period filters, not one`);
  const keys = new Set<string>();
  for (const field of fields) {
    if (keys.has(field.key)) problems.push(`${id}: filter "${field.key}" is declared twice`);
    keys.add(field.key);
    problems.push(...localizedProblems(`${id}: filter "${field.key}" label`, field.label));
    if (field.hint) problems.push(...localizedProblems(`${id}: filter "${field.key}" hint`, field.hint));
    if (field.widget === 'toggle')
      problems.push(...localizedProblems(`${id}: filter "${field.key}" subtitle`, field.subtitle));
    if (field.widget === 'select' && Array.isArray(field.choices)) {
      for (const choice of field.choices as { value: string; label: Record<string, string> }[])
        problems.push(
          ...localizedProblems(`${id}: filter "${field.key}" choice "${choice.value}"`, choice.label),
        );
    }
  }
  return problems;
}

/**
 * Everything a report must have to be offered (docs/reports.md "Adding a report"), as one line
 * per problem: empty when every report conforms.
 */
export function reportProblems(tree: ReportsTree): string[] {
  const problems: string[] = [];
  const registered = new Set(tree.registered);
  for (const module of tree.modules) {
    for (const [name, value] of Object.entries(module.exports)) {
      if (!isReportDefinition(value)) continue;
      if (value.id !== module.name)
        problems.push(
          `${module.name}.ts: report "${value.id}" (${name}) must have the file's name as its id`,
        );
      if (!registered.has(value))
        problems.push(
          `${module.name}.ts: report "${value.id}" is not in REPORTS (shared/reports/registry.ts)`,
        );
    }
  }
  const ids = new Set<string>();
  for (const report of tree.registered) {
    const { id } = report;
    if (ids.has(id)) problems.push(`${id}: registered twice`);
    ids.add(id);
    const module = tree.modules.find((candidate) => candidate.name === id);
    if (!module || !Object.values(module.exports).includes(report))
      problems.push(`${id}: not exported by shared/reports/${id}.ts`);
    if (!tree.files.includes(`${id}.test.ts`))
      problems.push(`${id}: no sibling test shared/reports/${id}.test.ts`);
    if (!new RegExp(`^## \`${id.replace(/[-]/g, '\\-')}\``, 'm').test(tree.docs))
      problems.push(`${id}: no section "## \`${id}\` — …" in docs/reports.md`);
    problems.push(...localizedProblems(`${id}: title`, report.title));
    problems.push(...localizedProblems(`${id}: description`, report.description));
    const keys = new Set<string>();
    for (const column of report.columns) {
      if (typeof column.key !== 'string' || column.key === '') problems.push(`${id}: a column has no key`);
      else if (keys.has(column.key)) problems.push(`${id}: column "${column.key}" appears twice`);
      keys.add(column.key);
      problems.push(...localizedProblems(`${id}: column "${column.key}" label`, column.label));
      if (column.note) problems.push(...localizedProblems(`${id}: column "${column.key}" note`, column.note));
    }
    if (report.reads.length === 0) problems.push(`${id}: reads no kind of record`);
    for (const kind of report.reads) {
      if (!RECORD_KIND_NAMES.includes(kind))
        problems.push(`${id}: reads "${kind}", which is no kind of record`);
    }
    problems.push(...filterProblems(id, report.filters));
    const partition = report.partition;
    if (partition === 'totals') {
      if (!report.combine) problems.push(`${id}: partitions by totals but has no combine()`);
    } else if (
      !report.reads.some((kind) => RECORD_KIND_NAMES.includes(kind) && findKind(kind).keys[partition])
    ) {
      problems.push(`${id}: partitions by ${partition}, which none of the kinds it reads carries`);
    }
    const drawn: string[] = [];
    if (report.chart?.type === 'bars') {
      const chart = report.chart;
      problems.push(...localizedProblems(`${id}: chart title`, chart.title));
      problems.push(...localizedProblems(`${id}: chart items name`, chart.itemsName));
      drawn.push(...chart.labelColumns, chart.value.column, ...(chart.part ? [chart.part.column] : []));
    } else if (report.chart?.type === 'days') {
      const chart = report.chart;
      problems.push(...localizedProblems(`${id}: chart title`, chart.title));
      for (const series of chart.series)
        problems.push(...localizedProblems(`${id}: chart series ${series.column}`, series.label));
      drawn.push(chart.dayColumn, ...chart.series.map((series) => series.column));
    }
    for (const key of drawn) {
      if (!keys.has(key))
        problems.push(`${id}: the chart draws column "${key}", which the report does not have`);
    }
    for (const key of report.headline ? [report.headline.of, ...report.headline.columns] : []) {
      if (!keys.has(key))
        problems.push(`${id}: the headline shows column "${key}", which the report does not have`);
    }
  }
  return problems;
}
