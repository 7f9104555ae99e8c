import type { Column, ReportDefinition, Row } from './types.ts';

/**
 * The columns of a result merged from parts computed over disjoint sets of agents: the report's
 * own columns, then every data-dependent column any part added, ordered by key as `compute` does.
 */
export function mergeColumns(report: ReportDefinition, parts: readonly (readonly Column[])[]): Column[] {
  const own = new Set(report.columns.map((column) => column.key));
  const extra = new Map<string, Column>();
  for (const columns of parts) {
    for (const column of columns) if (!own.has(column.key)) extra.set(column.key, column);
  }
  return [...report.columns, ...[...extra.values()].sort((a, b) => (a.key < b.key ? -1 : 1))];
}

/** A function that moves a part's row into the merged columns (empty where the part had none). */
export function rowRemapper(from: readonly Column[], to: readonly Column[]): (row: Row) => Row {
  if (from.length === to.length && from.every((column, index) => column.key === to[index]?.key))
    return (row) => row;
  const source = to.map((column) => from.findIndex((candidate) => candidate.key === column.key));
  return (row) => source.map((index) => (index < 0 ? null : (row[index] ?? null)));
}
