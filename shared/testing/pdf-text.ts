import { unzlibSync } from 'fflate';
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
  // pdf.js takes (detaches) the buffer it is given: a copy leaves the caller's bytes readable.
  const pdf = await getDocument({
    data: data.slice(),
    isEvalSupported: false,
    verbosity: VerbosityLevel.ERRORS,
  }).promise;
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

/** A filled rectangle of a PDF's content, in points from the page's bottom left (tests). */
export interface PdfFilledRect {
  /** The fill colour as written (`0.15 0.68 0.38`), each channel 0–1 to two decimals. */
  fill: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The filled rectangles (`x y w h re` then `f`) of every content stream of a jsPDF file, in
 * drawing order, each with the fill colour (`r g b rg`) set before it. Enough to check vector
 * charts; not a general PDF reader.
 */
export function pdfFilledRects(bytes: Uint8Array): PdfFilledRect[] {
  const raw = new TextDecoder('latin1').decode(bytes);
  const rects: PdfFilledRect[] = [];
  const streams = /stream\r?\n/g;
  for (let match = streams.exec(raw); match; match = streams.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = new TextDecoder('latin1').decode(unzlibSync(bytes.subarray(start, end)));
    } catch {
      continue; // not a Flate stream (a font, an image): no shapes in it
    }
    let fill = '0 0 0';
    const ops = /([-\d. ]+) rg\b|([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\s+f\b/g;
    for (let op = ops.exec(content); op; op = ops.exec(content)) {
      if (op[1] !== undefined) {
        fill = op[1]
          .trim()
          .split(/\s+/)
          .map((channel) => Number(channel).toFixed(2))
          .join(' ');
      } else {
        const [x, y, width, height] = op.slice(2, 6).map(Number) as [number, number, number, number];
        // jsPDF draws downwards: a negative height from the top edge.
        rects.push({ fill, x, y: height < 0 ? y + height : y, width, height: Math.abs(height) });
      }
    }
  }
  return rects;
}
