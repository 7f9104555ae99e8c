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
  /** What a row's ⋮ menu offers (none: no menu), and how the menu's button names a row. */
  rowActions?: readonly { label: string; onSelect(row: string[]): void }[];
  rowMenuLabel?: (row: string[]) => string;
}) {
  const { api, columns, rowCount } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [sort, setSort] = useState<Sort | undefined>();
  const [pages, setPages] = useState<Map<number, string[][]>>(new Map());
  const asked = useRef(new Set<number>());
  const [scrollTop, setScrollTop] = useState(0);
  // The open ⋮ menu: its row, and where its button is (the menu is drawn outside the scroller,
  // whose rows are transformed and clipped, at the button's place on the screen).
  const [menu, setMenu] = useState<{ row: string[]; left: number; top: number }>();
  const actions = props.rowActions ?? [];
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
  // The row menu (⋮), when rows have actions, takes a narrow last column.
  const hasMenu = actions.length > 0;
  const template = `${widest.current.map((width) => `minmax(calc(${width}ch + 1rem), 1fr)`).join(' ')}${hasMenu ? ' 2.5rem' : ''}`;
  // As wide as the box, or as the columns need when that is wider (then it scrolls sideways):
  // a `max-content` width would size every flexible column like the widest one.
  const needed = `calc(${widest.current.reduce((sum, width) => sum + width, 0)}ch + ${widest.current.length + (hasMenu ? 2.5 : 0)}rem)`;
  /** The tooltip of a value cut to its column's width. */
  const cut = (text: string) => (text.length > MAX_COLUMN_CHARS ? text : undefined);

  return (
    <div className="preview">
      <p className="hint">{props.hint}</p>
      <div
        ref={scroller}
        className="preview-scroll"
        onScroll={(event) => {
          const top = event.currentTarget.scrollTop;
          // Rows moving away close the menu; a sideways scroll (to bring ⋮ into view) does not.
          if (top !== scrollTop) setMenu(undefined);
          setScrollTop(top);
        }}
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
              {actions.length > 0 && (
                <th scope="col">
                  <span className="visually-hidden">⋮</span>
                </th>
              )}
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
                      // A status's explanation, else the whole of a value cut to its column.
                      title={column.explanations?.get(row?.[index] ?? '') ?? cut(row?.[index] ?? '')}
                    >
                      {row?.[index] ?? ''}
                    </td>
                  ))}
                  {actions.length > 0 && (
                    <td className="row-menu">
                      {row && (
                        <button
                          type="button"
                          aria-haspopup="menu"
                          aria-expanded={menu?.row === row}
                          aria-label={props.rowMenuLabel?.(row) ?? row.join(' ')}
                          onClick={(event) => {
                            const place = event.currentTarget.getBoundingClientRect();
                            setMenu(
                              menu?.row === row ? undefined : { row, left: place.right, top: place.bottom },
                            );
                          }}
                        >
                          ⋮
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {menu && (
        <div className="row-menu-popup" role="menu" style={{ left: menu.left, top: menu.top }}>
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              onClick={() => {
                setMenu(undefined);
                action.onSelect(menu.row);
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
