import type { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import type { ChartDeclaration, ReportResult } from './types.ts';

/** At most this many bars are drawn; the chart says how many more there are. */
export const CHART_MAX_BARS = 40;

export interface ChartBar {
  label: string;
  value: number;
  valueText: string;
  part?: number;
  partText?: string;
}

/** A declared chart filled in from a result, ready to draw: every text is in the run's locale. */
export interface ChartData {
  type: 'bars';
  title: string;
  valueLabel: string;
  partLabel?: string;
  /** The first `CHART_MAX_BARS` bars, in the result's order. */
  bars: ChartBar[];
  /** How many bars the whole result has. */
  total: number;
  /** "Showing the first 40 of 120 agent-days." when some are left out. */
  moreText?: string;
}

const MORE: Record<Locale, (shown: number, total: number, items: string) => string> = {
  en: (shown, total, items) => `Showing the first ${shown} of ${total} ${items}.`,
  'pt-BR': (shown, total, items) => `Mostrando os primeiros ${shown} de ${total} ${items}.`,
};

/**
 * The chart a report declares, computed from its result (in the worker, next to the rows), or
 * `undefined` when the report declares none, or a column it names was hidden.
 */
export function chartOf(
  chart: ChartDeclaration | undefined,
  result: ReportResult,
  formatter: CellFormatter,
  locale: Locale,
): ChartData | undefined {
  // Day charts are drawn by their own renderer (issue 11); until then a report declaring one shows none.
  if (chart?.type !== 'bars') return undefined;
  const index = (key: string) => result.columns.findIndex((column) => column.key === key);
  const labels = chart.labelColumns.map(index);
  const value = index(chart.value.column);
  const part = chart.part ? index(chart.part.column) : undefined;
  if (labels.some((at) => at < 0) || value < 0 || part === -1) return undefined;
  const cellText = (row: ReportResult['rows'][number], at: number) =>
    formatter.format(result.columns[at]!.type, row[at] ?? null);
  const bars = result.rows.slice(0, CHART_MAX_BARS).map((row): ChartBar => {
    const bar: ChartBar = {
      label: labels.map((at) => cellText(row, at)).join(' '),
      value: Number(row[value] ?? 0),
      valueText: cellText(row, value),
    };
    if (part !== undefined) {
      bar.part = Number(row[part] ?? 0);
      bar.partText = cellText(row, part);
    }
    return bar;
  });
  const total = result.rows.length;
  return {
    type: chart.type,
    title: chart.title[locale],
    valueLabel: chart.value.label[locale],
    ...(chart.part ? { partLabel: chart.part.label[locale] } : {}),
    bars,
    total,
    ...(total > bars.length ? { moreText: MORE[locale](bars.length, total, chart.itemsName[locale]) } : {}),
  };
}
