import { jsPDF } from 'jspdf';
import { autoTable, type Styles } from 'jspdf-autotable';
import { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import { type DaysChartData, formatCount } from '../reports/chart.ts';
import { isNumericColumn, type Row } from '../reports/types.ts';
import { PAGE_OF } from './pdf-limit.ts';
import type { TableSpec } from './table.ts';

export { PDF_MAX_ROWS } from './pdf-limit.ts';

export interface PdfSpec extends TableSpec {
  /** The report's title, in the locale. */
  title: string;
  /** Lines under the title: the filters, the generation time… */
  subtitleLines: string[];
  /** A per-day chart drawn above the table (the consolidated message reports). */
  chart?: DaysChartData;
}

/** Characters the PDF standard fonts (WinAnsi encoding) have beyond Latin-1. */
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const OUTSIDE_WIN_ANSI = new RegExp(`[^\\u0000-\\u00ff${WIN_ANSI_EXTRA}]`, 'gu');

/**
 * Text the built-in Helvetica can show. jsPDF writes a string holding any other character as
 * two-byte text, which garbles the whole string, so those characters are replaced: by their base
 * letter when they have one (`ő` → `o`), else by `?`.
 */
export function pdfSafeText(text: string): string {
  OUTSIDE_WIN_ANSI.lastIndex = 0;
  if (!OUTSIDE_WIN_ANSI.test(text)) return text;
  return text.normalize('NFC').replace(OUTSIDE_WIN_ANSI, (c) => {
    const base = c.normalize('NFD').charAt(0);
    return base !== c.charAt(0) && base.charCodeAt(0) < 0x80 ? base : '?';
  });
}

const MARGIN = 10; // mm

/** The day chart's height on the page, title and day labels included (mm). */
const CHART_HEIGHT = 72;
/** Each series' fill, in the chart's series order (delivered green, failed red, then others). */
export const CHART_SERIES_RGB: readonly (readonly [number, number, number])[] = [
  [39, 174, 96],
  [192, 57, 43],
  [41, 128, 185],
  [243, 156, 18],
];
/** Horizontal grid lines above the axis. */
const CHART_TICKS = 4;

/** The smallest 1, 2 or 5 × 10ⁿ (at least 1: counts are whole) at or above `value`. */
function niceStep(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= value) return factor * power;
  return 10 * power;
}

/**
 * A `days` chart as vector shapes (DESIGN §10, the consolidated message reports): one group of
 * bars per day, a bar per series, over a grid whose lines are labelled with their counts, a legend
 * under the title and the days along the axis (every k-th one when they would overlap). The
 * numbers themselves are in the table below. Returns where the chart ends (mm from the top).
 */
function drawDaysChart(doc: jsPDF, chart: DaysChartData, top: number, locale: Locale): number {
  const right = doc.internal.pageSize.getWidth() - MARGIN;
  doc.setFont('helvetica', 'bold').setFontSize(10).setTextColor(0);
  doc.text(pdfSafeText(chart.title), MARGIN, top + 4);
  doc.setFont('helvetica', 'normal').setFontSize(8);
  let legendX = MARGIN;
  chart.seriesLabels.forEach((label, i) => {
    const [r, g, b] = CHART_SERIES_RGB[i % CHART_SERIES_RGB.length]!;
    doc.setFillColor(r, g, b).rect(legendX, top + 7, 3, 3, 'F');
    doc.text(pdfSafeText(label), legendX + 4.5, top + 9.6);
    legendX += 4.5 + doc.getTextWidth(pdfSafeText(label)) + 6;
  });

  const step = niceStep(Math.max(0, ...chart.days.flatMap((day) => day.values)) / CHART_TICKS);
  const max = step * CHART_TICKS;
  const tickTexts = Array.from({ length: CHART_TICKS + 1 }, (_, i) => formatCount(i * step, locale));
  const left = MARGIN + Math.max(...tickTexts.map((text) => doc.getTextWidth(text))) + 2;
  const plotTop = top + 14;
  const plotBottom = top + CHART_HEIGHT - 6;
  const yOf = (value: number) => plotBottom - (value / max) * (plotBottom - plotTop);
  doc.setDrawColor(210).setLineWidth(0.1);
  tickTexts.forEach((text, i) => {
    const y = yOf(i * step);
    doc.line(left, y, right, y);
    doc.text(text, left - 1.5, y + 1, { align: 'right' });
  });

  const slot = (right - left) / Math.max(1, chart.days.length);
  const barWidth = (slot * 0.8) / Math.max(1, chart.seriesLabels.length);
  chart.days.forEach((day, d) => {
    day.values.forEach((value, i) => {
      if (!(value > 0)) return;
      const [r, g, b] = CHART_SERIES_RGB[i % CHART_SERIES_RGB.length]!;
      const y = yOf(value);
      doc
        .setFillColor(r, g, b)
        .rect(left + d * slot + slot * 0.1 + i * barWidth, y, barWidth, plotBottom - y, 'F');
    });
  });
  doc.setDrawColor(0).setLineWidth(0.2).line(left, plotBottom, right, plotBottom);

  // Day labels: every k-th day, so that they never overlap.
  const labelWidth = Math.max(...chart.days.map((day) => doc.getTextWidth(day.label))) + 2;
  const every = Math.max(1, Math.ceil(labelWidth / slot));
  chart.days.forEach((day, d) => {
    if (d % every === 0) doc.text(day.label, left + (d + 0.5) * slot, plotBottom + 4, { align: 'center' });
  });
  doc.setTextColor(0).setDrawColor(0);
  return top + CHART_HEIGHT;
}

/**
 * The table as a PDF (DESIGN §5): A4 landscape, the title and subtitle lines on top of the first
 * page, then the chart when there is one, the table's header repeated on every page, "Page X of Y" at the foot of each. Built in
 * memory; keep to `PDF_MAX_ROWS` rows.
 */
export function writePdf(spec: PdfSpec, rows: Iterable<Row>): Uint8Array {
  const formatter = new CellFormatter(spec.locale, spec.timeZone);
  const { columns } = spec;
  const body: string[][] = [];
  for (const row of rows) {
    const cells: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      const text = formatter.cell(column, row[i] ?? null);
      cells.push(column.type === 'text' ? pdfSafeText(text) : text);
    }
    body.push(cells);
  }

  const doc = new jsPDF({ orientation: 'landscape', unit: 'mm', format: 'a4', compress: true });
  doc.setProperties({ title: spec.title });
  let y = MARGIN + 5;
  doc.setFont('helvetica', 'bold').setFontSize(14).text(pdfSafeText(spec.title), MARGIN, y);
  doc.setFont('helvetica', 'normal').setFontSize(9).setTextColor(80);
  for (const line of spec.subtitleLines) {
    y += 5;
    doc.text(pdfSafeText(line), MARGIN, y);
  }
  doc.setTextColor(0);
  if (spec.chart && spec.chart.days.length > 0) y = drawDaysChart(doc, spec.chart, y + 3, spec.locale);

  // Numbers and durations line up on the right, as in a spreadsheet.
  const columnStyles: Record<number, Partial<Styles>> = {};
  columns.forEach((column, i) => {
    if (isNumericColumn(column)) columnStyles[i] = { halign: 'right' };
  });
  autoTable(doc, {
    head: [columns.map((column) => pdfSafeText(column.label[spec.locale]))],
    body,
    startY: y + 5,
    margin: { top: MARGIN, right: MARGIN, bottom: MARGIN + 5, left: MARGIN },
    showHead: 'everyPage',
    theme: 'striped',
    styles: { fontSize: 8, cellPadding: 1.2, overflow: 'linebreak' },
    headStyles: { fillColor: [52, 73, 94], textColor: 255, fontStyle: 'bold' },
    columnStyles,
  });

  // The page count is known only now: number every page afterwards.
  const pages = doc.getNumberOfPages();
  const width = doc.internal.pageSize.getWidth();
  const height = doc.internal.pageSize.getHeight();
  doc.setFont('helvetica', 'normal').setFontSize(8).setTextColor(100);
  for (let page = 1; page <= pages; page++) {
    doc.setPage(page);
    doc.text(pdfSafeText(PAGE_OF[spec.locale](page, pages)), width - MARGIN, height - MARGIN / 2, {
      align: 'right',
    });
  }
  return new Uint8Array(doc.output('arraybuffer'));
}
