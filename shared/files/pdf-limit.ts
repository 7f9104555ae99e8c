// Apart from the PDF writers, so that screens can state the limit without loading a PDF library.
import type { Locale } from '../i18n.ts';

/**
 * Most rows a PDF is made with. The PDF is for reading and printing, not for millions of rows
 * (DESIGN §5): callers refuse more rows, say so, and offer CSV or XLSX instead. 10,000 activity
 * rows are ~300 pages and take ~2.5 s and ~300 MB; 20,000 took 5.5 s and 500-800 MB, too much
 * for a browser worker.
 */
export const PDF_MAX_ROWS = 10_000;

/** The foot of every page of every PDF, in the file's locale. */
export const PAGE_OF: Record<Locale, (page: number, pages: number) => string> = {
  en: (page, pages) => `Page ${page} of ${pages}`,
  'pt-BR': (page, pages) => `Página ${page} de ${pages}`,
};
