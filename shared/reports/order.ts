import type { CellValue, Row } from './types.ts';

/** Empty cells sort last; strings by code unit so the order is the same on every machine. */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Orders rows by the given columns first, then by every column: rows that compare equal are then
 * identical, so sorting in memory and merging sorted parts give the same file.
 */
export function rowOrder(...keyColumns: number[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const index of keyColumns) {
      const order = compareCells(a[index] ?? null, b[index] ?? null);
      if (order !== 0) return order;
    }
    for (let index = 0; index < a.length; index++) {
      const order = compareCells(a[index] ?? null, b[index] ?? null);
      if (order !== 0) return order;
    }
    return 0;
  };
}
