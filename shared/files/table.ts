import type { Locale } from '../i18n.ts';
import { cellReader, isRows } from '../reports/rows.ts';
import type { CellValue, Column, Row, Rows } from '../reports/types.ts';

/** What every file writer needs besides the rows: the columns, and how to show them. */
export interface TableSpec {
  columns: Column[];
  locale: Locale;
  /** IANA zone the instants are shown in. */
  timeZone: string;
}

/**
 * Rows read by position (an array, a result's `RowTable`), or as they arrive (a generator, rows
 * merged from a spill).
 */
export type RowSource = Rows | Iterable<Row> | AsyncIterable<Row>;

/**
 * The rows' cells, in batches of up to `size` rows. A batch is read before the next is asked
 * for, and a row's cells only until the next row's: a `RowTable` writes every row into one array
 * (no array per row over millions). A sync source is read without an `await` per row (a
 * `for await` over a sync iterable costs a promise per row, a tenth of the time budget at 1M rows).
 */
export async function* rowBatches(
  rows: RowSource,
  size = 1024,
): AsyncGenerator<Iterable<readonly CellValue[]>> {
  if (isRows(rows)) {
    const read = cellReader(rows);
    for (let start = 0; start < rows.length; start += size)
      yield cellsOf(read, start, Math.min(rows.length, start + size));
    return;
  }
  let batch: Row[] = [];
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  } else {
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

function* cellsOf(
  read: (index: number) => readonly CellValue[],
  start: number,
  end: number,
): Generator<readonly CellValue[]> {
  for (let index = start; index < end; index++) yield read(index);
}
