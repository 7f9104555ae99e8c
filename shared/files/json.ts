import { CellFormatter } from '../format/cells.ts';
import type { Column, Row } from '../reports/types.ts';
import type { RowSource, TableSpec } from './table.ts';

/**
 * A JSON array, one object per row keyed by column key: numbers stay numbers, instants and
 * durations are the same text the CSV shows, empty cells are `null`. One row per line, so a
 * large file can be read a line at a time too.
 */
export async function* writeJson(spec: TableSpec, rows: RowSource): AsyncGenerator<string> {
  const formatter = new CellFormatter(spec.locale, spec.timeZone);
  const keys = spec.columns.map((column) => JSON.stringify(column.key));
  const render = (column: Column, value: Row[number]) =>
    value === null || column.type === 'integer' ? value : formatter.format(column.type, value);
  let chunk = '[';
  let first = true;
  for await (const row of rows) {
    let line = first ? '\n{' : ',\n{';
    first = false;
    for (let i = 0; i < spec.columns.length; i++) {
      line += `${i === 0 ? '' : ','}${keys[i]}:${JSON.stringify(render(spec.columns[i]!, row[i] ?? null))}`;
    }
    chunk += `${line}}`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n]\n`;
}
