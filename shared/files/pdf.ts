import { jsPDF } from 'jspdf';
import { autoTable, type Styles } from 'jspdf-autotable';
import { CellFormatter } from '../format/cells.ts';
import type { Row } from '../reports/types.ts';
import { PAGE_OF } from './pdf-limit.ts';
import type { TableSpec } from './table.ts';

export { PDF_MAX_ROWS } from './pdf-limit.ts';

export interface PdfSpec extends TableSpec {
  /** The report's title, in the locale. */
  title: string;
  /** Lines under the title: the filters, the generation time… */
  subtitleLines: string[];
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

/**
 * The table as a PDF (DESIGN §5): A4 landscape, the title and subtitle lines on top of the first
 * page, the table's header repeated on every page, "Page X of Y" at the foot of each. Built in
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
      const text = formatter.format(column.type, row[i] ?? null);
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

  // Numbers and durations line up on the right, as in a spreadsheet.
  const columnStyles: Record<number, Partial<Styles>> = {};
  columns.forEach((column, i) => {
    if (column.type === 'integer' || column.type === 'duration') columnStyles[i] = { halign: 'right' };
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
