import { CellFormatter } from '../format/cells.ts';
import { chartOf } from '../reports/chart.ts';
import { isRows } from '../reports/rows.ts';
import type { ChartDeclaration, Row, Rows } from '../reports/types.ts';
import { PDF_MAX_ROWS } from './pdf-limit.ts';
import type { TableSpec } from './table.ts';
import type { TranscriptDocument, TranscriptFontLoader } from './transcript.ts';

export const REPORT_FILE_FORMATS = ['csv', 'xlsx', 'pdf', 'json'] as const;
export type ReportFileFormat = (typeof REPORT_FILE_FORMATS)[number];

export const MEDIA_TYPES: Record<ReportFileFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  json: 'application/json',
};

export interface ReportFileSpec extends TableSpec {
  title: string;
  /** Lines under the PDF's title: the filters and the generation time. */
  subtitleLines: string[];
  /** The report's chart: the PDF draws a `days` chart above its table. */
  chart?: ChartDeclaration;
  /** A conversation's PDF is this transcript, not the table (`ReportResult.transcript`). */
  transcript?: TranscriptDocument;
  /** Where a transcript's fonts come from: the edge's own loader, called only for its PDF. */
  transcriptFonts?: TranscriptFontLoader;
}

/** A PDF was asked for more rows than it is meant to hold (DESIGN §5). */
export class TooManyRowsForPdf extends Error {
  constructor(
    readonly rows: number,
    readonly limit: number,
  ) {
    super(
      `a PDF holds at most ${limit.toLocaleString('en')} rows and this report has ${rows.toLocaleString('en')}`,
    );
  }
}

/**
 * A report's file, as chunks, in any format. Each writer is loaded only when asked for: the PDF
 * library alone costs a tenth of a second to load, and in the PWA it is a separate download.
 */
export async function reportFileChunks(
  format: ReportFileFormat,
  spec: ReportFileSpec,
  rows: Rows | Iterable<Row>,
): Promise<AsyncIterable<string | Uint8Array>> {
  const table: TableSpec = { columns: spec.columns, locale: spec.locale, timeZone: spec.timeZone };
  if (format === 'pdf' && spec.transcript) {
    if (!spec.transcriptFonts) throw new Error('a transcript PDF needs its fonts: pass transcriptFonts');
    const [{ writeTranscriptPdf }, fonts] = await Promise.all([
      import('./transcript-pdf.ts'),
      spec.transcriptFonts(),
    ]);
    const pdf = await writeTranscriptPdf(spec.transcript, fonts, spec.subtitleLines);
    return (async function* () {
      yield pdf;
    })();
  }
  if (format === 'pdf') {
    // Refused before the rows are made and the PDF library is loaded: no point fetching it to say no.
    if (isRows(rows) && rows.length > PDF_MAX_ROWS) throw new TooManyRowsForPdf(rows.length, PDF_MAX_ROWS);
    const all = Array.isArray(rows) ? (rows as Row[]) : Array.from(rows);
    if (all.length > PDF_MAX_ROWS) throw new TooManyRowsForPdf(all.length, PDF_MAX_ROWS);
    const { writePdf } = await import('./pdf.ts');
    const chart =
      spec.chart?.type === 'days'
        ? chartOf(
            spec.chart,
            { columns: spec.columns, rows: all },
            new CellFormatter(spec.locale, spec.timeZone),
            spec.locale,
          )
        : undefined;
    const pdf = writePdf(
      {
        ...table,
        title: spec.title,
        subtitleLines: spec.subtitleLines,
        ...(chart?.type === 'days' ? { chart } : {}),
      },
      all,
    );
    return (async function* () {
      yield pdf;
    })();
  }
  if (format === 'xlsx')
    return (await import('./xlsx.ts')).writeXlsx({ ...table, sheetName: spec.title }, rows);
  if (format === 'json') return (await import('./json.ts')).writeJson(table, rows);
  return (await import('./csv.ts')).writeCsv(table, rows);
}
