import { describe, expect, it } from 'vitest';
import { cellReader, isRows, pickedRows, RowTable, watchedRows } from './rows.ts';
import type { CellValue, Row } from './types.ts';

const ROWS: Row[] = [
  ['Ana', 1, null],
  ['Bia', 2, 'x'],
  ['Caio', 3, 'y'],
];

/** The rows above as a table: each row written into the caller's array, counting the writes. */
function tableOf(rows: Row[]): { table: RowTable; writes: () => number } {
  let writes = 0;
  const table = new RowTable(rows.length, (index, cells) => {
    writes++;
    rows[index]!.forEach((value, at) => {
      cells[at] = value;
    });
  });
  return { table, writes: () => writes };
}

describe('RowTable', () => {
  it('reads as the array it stands for: by position (negative from the end), iterated, its length', () => {
    const { table } = tableOf(ROWS);
    expect(table.length).toBe(3);
    expect([...table]).toEqual(ROWS);
    expect(table.at(1)).toEqual(ROWS[1]);
    expect(table.at(-1)).toEqual(ROWS[2]);
    expect(table.at(3)).toBeUndefined();
    expect(table.at(-4)).toBeUndefined();
    // Each read is a new row: a reader may keep it.
    expect(table.at(0)).not.toBe(table.at(0));
  });

  it('gives a reader one array for every row, an array source its own rows', () => {
    const { table, writes } = tableOf(ROWS);
    const read = cellReader(table);
    const first = read(0);
    expect([...first]).toEqual(ROWS[0]);
    expect(read(2)).toBe(first);
    expect([...first]).toEqual(ROWS[2]);
    expect(writes()).toBe(2);
    expect(cellReader(ROWS)(1)).toBe(ROWS[1]);
  });

  it('tells rows read by position from rows only iterated', () => {
    expect(isRows(ROWS)).toBe(true);
    expect(isRows(tableOf(ROWS).table)).toBe(true);
    expect(isRows(new Set(ROWS))).toBe(false);
    expect(isRows((function* () {})())).toBe(false);
  });
});

describe('pickedRows and watchedRows', () => {
  it('cut each row to the kept columns as it is read, from a table or an array', () => {
    const { table, writes } = tableOf(ROWS);
    const picked = pickedRows(table, [2, 0]);
    expect(writes()).toBe(0);
    expect([...picked]).toEqual([
      [null, 'Ana'],
      ['x', 'Bia'],
      ['y', 'Caio'],
    ]);
    expect([...pickedRows(ROWS, [1])]).toEqual([[1], [2], [3]]);
  });

  it('call back with each row read, the rows unchanged', () => {
    const seen: number[] = [];
    const watched = watchedRows(ROWS, (index) => seen.push(index));
    const cells: CellValue[] = [];
    watched.cellsInto(2, cells);
    expect(cells).toEqual(ROWS[2]);
    expect([...watched]).toEqual(ROWS);
    expect(seen).toEqual([2, 0, 1, 2]);
  });
});
