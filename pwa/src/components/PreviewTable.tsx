import { useEffect, useRef, useState } from 'react';
import type { PreviewColumn } from '../../../workers/report-job.ts';
import type { ReportWorkerHandle } from '../app/workers.ts';

const PAGE = 200;
const ROW_HEIGHT = 32;
/** Rows drawn beyond the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;
/** Browsers cap an element's height (Chromium near 33.5M px): beyond this the scroll is scaled. */
const MAX_SCROLL_HEIGHT = 15_000_000;

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
  const template = `repeat(${columns.length}, minmax(8rem, 1fr))${actions.length > 0 ? ' 2.5rem' : ''}`;

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
                    <td key={column.key} className={column.numeric ? 'num' : undefined}>
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
