import type { Locale } from '../i18n.ts';
import type { Column, Row } from '../reports/types.ts';

/** What every file writer needs besides the rows: the columns, and how to show them. */
export interface TableSpec {
  columns: Column[];
  locale: Locale;
  /** IANA zone the instants are shown in. */
  timeZone: string;
}

/** Rows as an array or generator, or as they arrive (e.g. merged from workers). */
export type RowSource = Iterable<Row> | AsyncIterable<Row>;

/**
 * The rows in arrays of up to `size`. A sync source is read without an `await` per row (a
 * `for await` over a sync iterable costs a promise per row, a tenth of the time budget at 1M rows).
 */
export async function* rowBatches(rows: RowSource, size = 1024): AsyncGenerator<Row[]> {
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
