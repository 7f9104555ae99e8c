import type { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import type { ChartDeclaration, DaysChart, HeadlineDeclaration, ReportResult, Row, Rows } from './types.ts';

/** At most this many bars are drawn; the chart says how many more there are. */
export const CHART_MAX_BARS = 40;

export interface ChartBar {
  label: string;
  value: number;
  valueText: string;
  part?: number;
  partText?: string;
}

/** A declared `bars` chart filled in from a result, ready to draw: every text is in the run's locale. */
export interface BarsChartData {
  type: 'bars';
  title: string;
  valueLabel: string;
  partLabel?: string;
  /** The legend's name for the bar beyond its part (see `BarsChart.restLabel`). */
  restLabel?: string;
  /** The first `CHART_MAX_BARS` bars, in the result's order. */
  bars: ChartBar[];
  /** How many bars the whole result has. */
  total: number;
  /** "Showing the first 40 of 120 agent-days." when some are left out. */
  moreText?: string;
}

/** One day of a `days` chart: its values in the order of the chart's series. */
export interface ChartDay {
  /** The day as the report's locale writes it (`2026-03-10`, `10/03/2026`). */
  label: string;
  values: number[];
  /** `values` as shown: `1,234` (en), `1.234` (pt-BR). */
  texts: string[];
}

/** A declared `days` chart filled in from a result: one entry per row that has a day. */
export interface DaysChartData {
  type: 'days';
  title: string;
  /** The day column's label, the first header of the table behind the chart. */
  dayLabel: string;
  seriesLabels: string[];
  days: ChartDay[];
}

export type ChartData = BarsChartData | DaysChartData;

/** A count as the locale writes it: `1,234` (en), `1.234` (pt-BR). */
export function formatCount(value: number, locale: Locale): string {
  return value.toLocaleString(locale, { maximumFractionDigits: 2 });
}

/** A share (0.125) as the locale writes a percentage: `12.5%` (en), `12,5%` (pt-BR). */
export function formatShare(share: number, locale: Locale): string {
  return share.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 });
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
  result: ReportResult<Rows>,
  formatter: CellFormatter,
  locale: Locale,
): ChartData | undefined {
  if (chart?.type === 'days') return daysChartOf(chart, result, formatter, locale);
  if (chart?.type !== 'bars') return undefined;
  const index = (key: string) => result.columns.findIndex((column) => column.key === key);
  const labels = chart.labelColumns.map(index);
  const value = index(chart.value.column);
  const part = chart.part ? index(chart.part.column) : undefined;
  if (labels.some((at) => at < 0) || value < 0 || part === -1) return undefined;
  const cellText = (row: Row, at: number) => formatter.cell(result.columns[at]!, row[at] ?? null);
  const shown = Math.min(result.rows.length, CHART_MAX_BARS);
  const bars = Array.from({ length: shown }, (_, index): ChartBar => {
    const row = result.rows.at(index)!;
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
    ...(chart.restLabel ? { restLabel: chart.restLabel[locale] } : {}),
    bars,
    total,
    ...(total > bars.length ? { moreText: MORE[locale](bars.length, total, chart.itemsName[locale]) } : {}),
  };
}

function columnIndex(result: ReportResult<Rows>, key: string): number {
  return result.columns.findIndex((column) => column.key === key);
}

/**
 * A `days` chart: one day per row whose day cell is set, in the result's order; rows without a
 * day (the period's total) are left out. `undefined` when a column it names was hidden.
 */
function daysChartOf(
  chart: DaysChart,
  result: ReportResult<Rows>,
  formatter: CellFormatter,
  locale: Locale,
): DaysChartData | undefined {
  const day = columnIndex(result, chart.dayColumn);
  const series = chart.series.map((one) => columnIndex(result, one.column));
  if (day < 0 || series.some((at) => at < 0)) return undefined;
  const days: ChartDay[] = [];
  for (const row of result.rows) {
    const dayValue = row[day];
    if (typeof dayValue !== 'number') continue;
    const values = series.map((at) => Number(row[at] ?? 0));
    days.push({
      label: formatter.format(result.columns[day]!.type, dayValue),
      values,
      texts: values.map((value) => formatCount(value, locale)),
    });
  }
  return {
    type: 'days',
    title: chart.title[locale],
    dayLabel: result.columns[day]!.label[locale],
    seriesLabels: chart.series.map((one) => one.label[locale]),
    days,
  };
}

/** One figure of a headline: a column's value in the last row and its share of the `of` value. */
export interface HeadlineFigure {
  key: string;
  label: string;
  value: number;
  valueText: string;
  /** `value / of`, or `undefined` when `of` is 0 (no share of nothing). */
  share?: number;
  /** `12.5%`, or an em dash when there is no share. */
  shareText: string;
}

/** A declared headline filled in from a result's last row, in the run's locale. */
export interface HeadlineData {
  of: { key: string; label: string; value: number; valueText: string };
  figures: HeadlineFigure[];
}

/**
 * The totals and percentages a report declares, read from its result's last row (the period's
 * total), or `undefined` when it declares none, has no rows, or a column it names was hidden.
 */
export function headlineOf(
  headline: HeadlineDeclaration | undefined,
  result: ReportResult<Rows>,
  locale: Locale,
): HeadlineData | undefined {
  const last = result.rows.at(-1);
  if (!headline || !last) return undefined;
  const of = columnIndex(result, headline.of);
  const figures = headline.columns.map((key) => columnIndex(result, key));
  if (of < 0 || figures.some((at) => at < 0)) return undefined;
  const total = Number(last[of] ?? 0);
  return {
    of: {
      key: headline.of,
      label: result.columns[of]!.label[locale],
      value: total,
      valueText: formatCount(total, locale),
    },
    figures: figures.map((at): HeadlineFigure => {
      const value = Number(last[at] ?? 0);
      const share = total === 0 ? undefined : value / total;
      return {
        key: result.columns[at]!.key,
        label: result.columns[at]!.label[locale],
        value,
        valueText: formatCount(value, locale),
        ...(share === undefined ? {} : { share }),
        shareText: share === undefined ? '—' : formatShare(share, locale),
      };
    }),
  };
}
