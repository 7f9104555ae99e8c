import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { PreviewColumn } from '../../../workers/report-job.ts';
import type { ReportWorkerHandle } from '../app/workers.ts';

const PAGE = 200;
const ROW_HEIGHT = 32;

interface Sort {
  column: number;
  descending: boolean;
}

/**
 * The rows of a finished job, fetched from its worker a page at a time as they scroll into view:
 * a million rows never come to the page. Headers sort (in the worker).
 */
export function PreviewTable(props: {
  api: ReportWorkerHandle['api'];
  columns: PreviewColumn[];
  rowCount: number;
  caption: string;
  hint: string;
}) {
  const { api, columns, rowCount } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [sort, setSort] = useState<Sort | undefined>();
  const [pages, setPages] = useState<Map<number, string[][]>>(new Map());
  const asked = useRef(new Set<number>());
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sort starts from empty pages.
  useEffect(() => {
    asked.current = new Set();
    setPages(new Map());
  }, [sort, api]);

  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page++) {
      if (asked.current.has(page)) continue;
      asked.current.add(page);
      const wanted = sort;
      void api.page(page * PAGE, PAGE, wanted).then((rows) => {
        if (wanted !== sort) return;
        setPages((before) => new Map(before).set(page, rows));
      });
    }
  }, [api, firstPage, lastPage, sort]);

  const sortBy = (column: number) =>
    setSort((before) => ({ column, descending: before?.column === column ? !before.descending : false }));
  const template = `repeat(${columns.length}, minmax(8rem, 1fr))`;

  return (
    <div className="preview">
      <p className="hint">{props.hint}</p>
      <div ref={scroller} className="preview-scroll">
        <table aria-label={props.caption} aria-rowcount={rowCount + 1}>
          <thead className="preview-head">
            <tr className="preview-row" style={{ gridTemplateColumns: template }} aria-rowindex={1}>
              {columns.map((column, index) => (
                <th
                  scope="col"
                  key={column.key}
                  aria-sort={sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" onClick={() => sortBy(index)}>
                    {column.label}
                    <span aria-hidden="true">
                      {sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="preview-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
              return (
                <tr
                  key={item.key}
                  aria-rowindex={item.index + 2}
                  className="preview-row"
                  style={{
                    gridTemplateColumns: template,
                    transform: `translateY(${item.start}px)`,
                    height: ROW_HEIGHT,
                  }}
                >
                  {columns.map((column, index) => (
                    <td key={column.key} className={column.numeric ? 'num' : undefined}>
                      {row?.[index] ?? ''}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
