import { useEffect, useMemo, useRef, useState } from 'react';
import type { PreviewColumn } from '../../../workers/report-job.ts';
import type { ReportWorkerHandle } from '../app/workers.ts';

const PAGE = 200;
const ROW_HEIGHT = 32;
/** Rows drawn beyond the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;
/** Browsers cap an element's height (Chromium near 33.5M px): beyond this the scroll is scaled. */
const MAX_SCROLL_HEIGHT = 15_000_000;

/** Widest a column grows, in characters; longer values are cut with "…" and shown whole in a tooltip. */
const MAX_COLUMN_CHARS = 40;

/**
 * Each column as wide as its header and the widest value loaded so far (up to
 * `MAX_COLUMN_CHARS`), so "Break - Training" and "2026-12-02 13:20:00" show whole; the room left
 * is shared out. Widths only grow: a page scrolled into view never narrows a column under the eye.
 */
export function columnChars(labels: readonly string[], rows: Iterable<readonly string[]>): number[] {
  // The header also holds the sort arrow.
  const widths = labels.map((label) => Math.min(MAX_COLUMN_CHARS, label.length + 2));
  for (const row of rows)
    row.forEach((cell, index) => {
      if (index < widths.length)
        widths[index] = Math.min(MAX_COLUMN_CHARS, Math.max(widths[index]!, cell.length));
    });
  return widths;
}

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
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(400);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const resize = new ResizeObserver(() => setViewport(element.clientHeight));
    resize.observe(element);
    return () => resize.disconnect();
  }, []);
  // Fixed-height rows: the window is arithmetic, whatever the row count (no per-row measurement).
  const fullHeight = rowCount * ROW_HEIGHT;
  const height = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  const scrollable = Math.max(1, height - viewport);
  const firstVisible =
    height === fullHeight
      ? Math.floor(scrollTop / ROW_HEIGHT)
      : Math.floor(
          (Math.min(scrollTop, scrollable) / scrollable) * Math.max(0, rowCount - viewport / ROW_HEIGHT),
        );
  const first = Math.max(0, firstVisible - OVERSCAN);
  const last = Math.min(rowCount - 1, firstVisible + Math.ceil(viewport / ROW_HEIGHT) + OVERSCAN);
  const offset = (index: number) =>
    scrollTop + (index - firstVisible) * ROW_HEIGHT - (scrollTop % ROW_HEIGHT);
  const items = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  const firstPage = Math.floor(first / PAGE);
  const lastPage = Math.floor(last / PAGE);

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
  const chars = useMemo(
    () =>
      columnChars(
        columns.map((column) => column.label),
        [...pages.values()].flat(),
      ),
    [columns, pages],
  );
  const widest = useRef<number[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run or sort measures afresh.
  useEffect(() => {
    widest.current = [];
  }, [api, columns]);
  widest.current = chars.map((width, index) => Math.max(width, widest.current[index] ?? 0));
  // `ch` is the width of a digit: dates, times and durations (tabular figures) fit exactly.
  const template = widest.current.map((width) => `minmax(calc(${width}ch + 1rem), 1fr)`).join(' ');
  // As wide as the box, or as the columns need when that is wider (then it scrolls sideways):
  // a `max-content` width would size every flexible column like the widest one.
  const needed = `calc(${widest.current.reduce((sum, width) => sum + width, 0)}ch + ${widest.current.length}rem)`;
  /** The tooltip of a value cut to its column's width. */
  const cut = (text: string) => (text.length > MAX_COLUMN_CHARS ? text : undefined);

  return (
    <div className="preview">
      <p className="hint">{props.hint}</p>
      <div
        ref={scroller}
        className="preview-scroll"
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <table aria-label={props.caption} aria-rowcount={rowCount + 1} style={{ minWidth: needed }}>
          <thead className="preview-head">
            <tr className="preview-row" style={{ gridTemplateColumns: template }} aria-rowindex={1}>
              {columns.map((column, index) => (
                <th
                  scope="col"
                  key={column.key}
                  aria-sort={sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" onClick={() => sortBy(index)} title={cut(column.label)}>
                    {column.label}
                    <span aria-hidden="true">
                      {sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="preview-body" style={{ height }}>
            {items.map((rowIndex) => {
              const row = pages.get(Math.floor(rowIndex / PAGE))?.[rowIndex % PAGE];
              return (
                <tr
                  key={rowIndex}
                  aria-rowindex={rowIndex + 2}
                  className="preview-row"
                  style={{
                    gridTemplateColumns: template,
                    transform: `translateY(${offset(rowIndex)}px)`,
                    height: ROW_HEIGHT,
                  }}
                >
                  {columns.map((column, index) => (
                    <td
                      key={column.key}
                      className={column.numeric ? 'num' : undefined}
                      title={cut(row?.[index] ?? '')}
                    >
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
