import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Each page's text of a PDF as pdf.js reads it, its non-blank items joined by spaces (tests). */
export async function pdfPagesText(bytes: Uint8Array | ArrayBuffer | Blob): Promise<string[]> {
  const data =
    bytes instanceof Blob
      ? new Uint8Array(await bytes.arrayBuffer())
      : // pdf.js refuses a Node Buffer: a plain view of the same bytes.
        new Uint8Array(
          bytes instanceof ArrayBuffer ? bytes : bytes.buffer,
          bytes instanceof ArrayBuffer ? 0 : bytes.byteOffset,
          bytes.byteLength,
        );
  const pdf = await getDocument({ data, isEvalSupported: false, verbosity: VerbosityLevel.ERRORS }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .filter((text) => text.trim() !== '')
        .join(' '),
    );
  }
  await pdf.destroy();
  return pages;
}
