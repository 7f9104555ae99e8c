import type { CellValue, Row, Rows } from './types.ts';

/**
 * Rows made only when read, from a function writing row `index`'s cells into an array: a report
 * with millions of rows keeps a few numbers per row instead of an array of cells.
 */
export class RowTable implements Rows {
  constructor(
    readonly length: number,
    readonly cellsInto: (index: number, cells: CellValue[]) => void,
  ) {}

  at(index: number): Row | undefined {
    const position = index < 0 ? index + this.length : index;
    if (!(position >= 0 && position < this.length)) return undefined;
    const row: Row = [];
    this.cellsInto(position, row);
    return row;
  }

  *[Symbol.iterator](): Iterator<Row> {
    for (let index = 0; index < this.length; index++) yield this.at(index)!;
  }
}

/** Whether a row source is read by position (an array, a `RowTable`) rather than only iterated. */
export function isRows(rows: object): rows is Rows {
  return typeof (rows as Rows).at === 'function' && typeof (rows as Rows).length === 'number';
}

/**
 * Reads row `index`'s cells: a table's into one array reused from call to call (done with them
 * before the next call), an array's row as it is. A writer of millions of rows then makes no array
 * per row.
 */
export function cellReader(rows: Rows): (index: number) => readonly CellValue[] {
  if (rows.cellsInto) {
    const cells: CellValue[] = [];
    return (index) => {
      rows.cellsInto!(index, cells);
      return cells;
    };
  }
  return (index) => rows.at(index)!;
}

/** The rows cut to the columns at `kept` (hidden columns left out), each made as it is read. */
export function pickedRows(rows: Rows, kept: readonly number[]): RowTable {
  const read = cellReader(rows);
  return new RowTable(rows.length, (index, cells) => {
    const all = read(index);
    for (let at = 0; at < kept.length; at++) cells[at] = all[kept[at]!] ?? null;
  });
}

/** The same rows, `onRead(index)` called as each is read (a writer's progress). */
export function watchedRows(rows: Rows, onRead: (index: number) => void): RowTable {
  const read = cellReader(rows);
  return new RowTable(rows.length, (index, cells) => {
    onRead(index);
    const all = read(index);
    for (let at = 0; at < all.length; at++) cells[at] = all[at]!;
  });
}
