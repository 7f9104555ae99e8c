import { CellFormatter } from '../format/cells.ts';
import type { Column, Row } from '../reports/types.ts';
import { type RowSource, rowBatches, type TableSpec } from './table.ts';

/**
 * A JSON array, one object per row keyed by column key: numbers (integer and decimal) stay numbers, instants and
 * durations are the same text the CSV shows, empty cells are `null`. One row per line, so a
 * large file can be read a line at a time too.
 */
export async function* writeJson(spec: TableSpec, rows: RowSource): AsyncGenerator<string> {
  const formatter = new CellFormatter(spec.locale, spec.timeZone);
  const keys = spec.columns.map((column) => JSON.stringify(column.key));
  const render = (column: Column, value: Row[number]) =>
    value === null || column.type === 'integer' || column.type === 'decimal'
      ? value
      : formatter.cell(column, value);
  let separator = '\n';
  yield '[';
  for await (const batch of rowBatches(rows)) {
    let chunk = '';
    for (const row of batch) {
      chunk += `${separator}{`;
      separator = ',\n';
      for (let i = 0; i < spec.columns.length; i++) {
        chunk += `${i === 0 ? '' : ','}${keys[i]}:${JSON.stringify(render(spec.columns[i]!, row[i] ?? null))}`;
      }
      chunk += '}';
    }
    yield chunk;
  }
  yield '\n]\n';
}
