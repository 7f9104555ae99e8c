import fontkit from '@pdf-lib/fontkit';
import { PageSizes, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { PAGE_OF } from './pdf-limit.ts';
import type { TranscriptDocument, TranscriptFonts, TranscriptMessage } from './transcript.ts';

/**
 * The chat-transcript PDF (`ticket-detail`, docs/files.md). pdf-lib rather than jsPDF, which the
 * table PDFs use: jsPDF drops every character above U+FFFF (every emoji), and pdf-lib embeds a
 * TrueType font as a subset with a ToUnicode map, so the text can still be searched and copied.
 * Each character is drawn in Noto Sans when it has it, else in Noto Emoji (monochrome: pdf-lib
 * cannot embed colour glyphs), else as "?". fontkit's shaping joins the emoji font's ZWJ
 * sequences (👨‍👩‍👧) into one glyph; joiners no font can join are left out.
 */

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 40;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = MARGIN + 20; // the page number sits below
const BUBBLE_MAX = CONTENT_WIDTH * 0.72;
const PAD = 7;
const TEXT_SIZE = 10;
const LINE = 13.5;
const META_SIZE = 8;
const META_LINE = 12;
const GAP = 8;
const GREY = rgb(0.4, 0.4, 0.4);
const BLACK = rgb(0, 0, 0);
const FILL = { contact: rgb(0.93, 0.93, 0.93), business: rgb(0.85, 0.96, 0.8) } as const;

/** What `registerFontkit` takes. */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

/** The parts of fontkit's TrueType subset that the fix below touches. */
interface TrueTypeSubset {
  glyf: Uint8Array[];
  offset: number;
  _addGlyph(gid: number): number;
}

/**
 * fontkit as pdf-lib's subsetting needs it. `@pdf-lib/fontkit` writes a small subset's `loca`
 * table in the short format, which halves every offset, without padding the glyph records to an
 * even length: after the first odd-length glyph every offset is a byte off and most glyphs draw
 * blank, though the text still extracts (Noto Sans: only the first letter of each line showed).
 * Fixed in upstream fontkit 1.8 (foliojs/fontkit#191), not in the fork pdf-lib uses: here each
 * glyph record is padded to an even length as it is added, which is what the format asks for.
 */
export const evenGlyphsFontkit: Fontkit = {
  create(bytes, postscriptName) {
    const font = fontkit.create(bytes, postscriptName);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      const candidate = subset as unknown as Partial<TrueTypeSubset>;
      const addGlyph = candidate._addGlyph;
      if (typeof addGlyph !== 'function') return subset;
      candidate._addGlyph = function (this: TrueTypeSubset, gid: number): number {
        const index = addGlyph.call(this, gid);
        // Only TrueType subsets have glyph records (a CFF font's subset has none).
        const record = Array.isArray(this.glyf) ? this.glyf[index] : undefined;
        if (record && record.length % 2 === 1) {
          const padded = new (record.constructor as new (length: number) => Uint8Array)(record.length + 1);
          padded.set(record);
          this.glyf[index] = padded;
          this.offset += 1;
        }
        return index;
      };
      return subset;
    };
    return font;
  },
};

/**
 * Noto Sans is drawn without OpenType shaping (no kerning, ligatures or mark positioning): the
 * accented letters are precomposed, and fontkit's shaping took seven parts in eight of the time of
 * a 2,000-message transcript. Noto Emoji keeps it: its ZWJ sequences are ligatures.
 */
const PLAIN = Object.fromEntries(
  ['kern', 'liga', 'clig', 'calt', 'rlig', 'rclt', 'mark', 'mkmk', 'ccmp', 'locl', 'curs', 'dist'].map(
    (feature) => [feature, false],
  ),
);

/** Code points that only modify the character before them: joiners, variation selectors, skin tones, tags. */
const isModifier = (cp: number) =>
  cp === 0x200d ||
  cp === 0xfe0e ||
  cp === 0xfe0f ||
  cp === 0x20e3 ||
  (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
  (cp >= 0xe0020 && cp <= 0xe007f);

interface Piece {
  font: PDFFont;
  text: string;
}

interface Line {
  pieces: Piece[];
  width: number;
}

/** One face with its fallback: which font draws each character, and the width of a piece. */
class FontSet {
  private readonly sansHas: Set<number>;
  private readonly emojiHas: Set<number>;
  private readonly widths = new Map<PDFFont, Map<string, number>>();

  constructor(
    readonly sans: PDFFont,
    readonly emoji: PDFFont,
  ) {
    this.sansHas = new Set(sans.getCharacterSet());
    this.emojiHas = new Set(emoji.getCharacterSet());
  }

  /** The text as runs of one font each (no line breaks in it). */
  pieces(text: string): Piece[] {
    const pieces: Piece[] = [];
    let font: PDFFont | undefined;
    let run = '';
    for (const char of text) {
      const cp = char.codePointAt(0)!;
      let next: PDFFont;
      let shown = char;
      if (isModifier(cp)) {
        // Stays with what it modifies, when that font knows it; else it is left out.
        if (font === this.emoji ? this.emojiHas.has(cp) : font === this.sans && this.sansHas.has(cp))
          run += char;
        continue;
      }
      if (cp < 0x20 || cp === 0x7f) {
        next = this.sans;
        shown = ' ';
      } else if (this.sansHas.has(cp)) next = this.sans;
      else if (this.emojiHas.has(cp)) next = this.emoji;
      else {
        next = this.sans;
        shown = '?';
      }
      if (next !== font && run !== '') {
        pieces.push({ font: font!, text: run });
        run = '';
      }
      font = next;
      run += shown;
    }
    if (run !== '') pieces.push({ font: font!, text: run });
    return pieces;
  }

  /** A piece's width at the text size; short pieces (words) are measured once. */
  width(piece: Piece, size: number): number {
    if (piece.text.length > 32) return piece.font.widthOfTextAtSize(piece.text, size);
    let cache = this.widths.get(piece.font);
    if (!cache) {
      cache = new Map();
      this.widths.set(piece.font, cache);
    }
    const key = `${size}|${piece.text}`;
    let width = cache.get(key);
    if (width === undefined) {
      width = piece.font.widthOfTextAtSize(piece.text, size);
      cache.set(key, width);
    }
    return width;
  }

  /** The text wrapped at word boundaries to `maxWidth`; a word longer than a line is cut. */
  wrap(text: string, size: number, maxWidth: number): Line[] {
    const lines: Line[] = [];
    for (const paragraph of text.split(/\r\n|\r|\n/)) {
      let line: Line = { pieces: [], width: 0 };
      const space = this.width({ font: this.sans, text: ' ' }, size);
      for (const word of paragraph.split(/[ \t]+/)) {
        if (word === '') continue;
        const pieces = this.pieces(word);
        const width = pieces.reduce((sum, piece) => sum + this.width(piece, size), 0);
        const before = line.pieces.length === 0 ? 0 : space;
        if (line.width + before + width <= maxWidth) {
          if (before > 0) append(line, { font: this.sans, text: ' ' });
          for (const piece of pieces) append(line, piece);
          line.width += before + width;
          continue;
        }
        if (line.pieces.length > 0) lines.push(line);
        line = { pieces: [], width: 0 };
        if (width <= maxWidth) {
          line = { pieces: [], width };
          for (const piece of pieces) append(line, piece);
          continue;
        }
        // A word wider than a line (a link, a run of emoji): cut it between characters.
        for (const piece of pieces) {
          for (const char of splitKeepingModifiers(piece.text)) {
            const bit = { font: piece.font, text: char };
            const bitWidth = this.width(bit, size);
            if (line.width + bitWidth > maxWidth && line.pieces.length > 0) {
              lines.push(line);
              line = { pieces: [], width: 0 };
            }
            append(line, bit);
            line.width += bitWidth;
          }
        }
      }
      lines.push(line);
    }
    return lines;
  }
}

/**
 * Adds a piece to a line, joined to the last one when in the same font: one drawing call per run
 * of a font and line, not per word (pdf-lib shapes the text of every call, which is the cost).
 */
function append(line: Line, piece: Piece): void {
  const last = line.pieces[line.pieces.length - 1];
  if (last && last.font === piece.font) last.text += piece.text;
  else line.pieces.push({ ...piece });
}

/** Characters, each with the modifiers after it (an emoji with its skin tone stays whole). */
function splitKeepingModifiers(text: string): string[] {
  const parts: string[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if ((isModifier(cp) || parts[parts.length - 1]?.endsWith('\u200d')) && parts.length > 0)
      parts[parts.length - 1] += char;
    else parts.push(char);
  }
  return parts;
}

/** Draws the pieces of one line from `x` on the baseline `y`. */
function drawLine(
  page: PDFPage,
  fonts: FontSet,
  line: Line,
  x: number,
  y: number,
  size: number,
  color = BLACK,
) {
  let at = x;
  line.pieces.forEach((piece, index) => {
    if (piece.text.trim() !== '') page.drawText(piece.text, { x: at, y, size, font: piece.font, color });
    // Measured only when another piece follows: the last one's width is not needed.
    if (index < line.pieces.length - 1) at += fonts.width(piece, size);
  });
}

/** The transcript as a PDF: A4 portrait, its header on the first page, "Page X of Y" on each. */
export async function writeTranscriptPdf(
  transcript: TranscriptDocument,
  fonts: TranscriptFonts,
  subtitleLines: readonly string[] = [],
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(evenGlyphsFontkit);
  pdf.setTitle(transcript.title);
  pdf.setLanguage(transcript.locale);
  const [regularFont, boldFont, emojiFont] = await Promise.all([
    pdf.embedFont(fonts.regular, { subset: true, features: PLAIN }),
    pdf.embedFont(fonts.bold, { subset: true, features: PLAIN }),
    pdf.embedFont(fonts.emoji, { subset: true }),
  ]);
  const regular = new FontSet(regularFont, emojiFont);
  const bold = new FontSet(boldFont, emojiFont);

  let page = pdf.addPage(PageSizes.A4);
  let y = PAGE_HEIGHT - MARGIN;
  const newPage = () => {
    page = pdf.addPage(PageSizes.A4);
    y = PAGE_HEIGHT - MARGIN;
  };

  // The header: the title, then each label in bold with its value wrapped beside it.
  for (const line of bold.wrap(transcript.title, 16, CONTENT_WIDTH)) {
    y -= 18;
    drawLine(page, bold, line, MARGIN, y, 16);
  }
  y -= 6;
  const labelWidth = Math.max(
    ...transcript.header.map((item) =>
      bold.pieces(`${item.label}:`).reduce((sum, piece) => sum + bold.width(piece, TEXT_SIZE), 0),
    ),
    0,
  );
  for (const item of transcript.header) {
    const [label] = bold.wrap(`${item.label}:`, TEXT_SIZE, CONTENT_WIDTH);
    const values = regular.wrap(item.value, TEXT_SIZE, CONTENT_WIDTH - labelWidth - 8);
    values.forEach((value, index) => {
      if (y - LINE < BOTTOM) newPage();
      y -= LINE;
      if (index === 0 && label) drawLine(page, bold, label, MARGIN, y, TEXT_SIZE);
      drawLine(page, regular, value, MARGIN + labelWidth + 8, y, TEXT_SIZE);
    });
  }
  for (const subtitle of subtitleLines) {
    for (const line of regular.wrap(subtitle, META_SIZE, CONTENT_WIDTH)) {
      if (y - META_LINE < BOTTOM) newPage();
      y -= META_LINE;
      drawLine(page, regular, line, MARGIN, y, META_SIZE, GREY);
    }
  }
  y -= 8;
  page.drawLine({
    start: { x: MARGIN, y },
    end: { x: PAGE_WIDTH - MARGIN, y },
    thickness: 0.5,
    color: GREY,
  });
  y -= GAP;

  if (transcript.messages.length === 0) {
    y -= LINE;
    drawLine(
      page,
      regular,
      regular.wrap(transcript.emptyText, TEXT_SIZE, CONTENT_WIDTH)[0]!,
      MARGIN,
      y,
      TEXT_SIZE,
    );
  }
  for (const message of transcript.messages) {
    const bubble = layOut(message, regular, bold);
    // A bubble is kept whole on one page when it fits one; a longer one continues on the next.
    const height = bubbleHeight(bubble.lines.length, true);
    if (y - height < BOTTOM && height <= PAGE_HEIGHT - MARGIN - BOTTOM) newPage();
    let start = 0;
    let first = true;
    while (start < bubble.lines.length || first) {
      let room = Math.floor((y - BOTTOM - 2 * PAD - (first ? META_LINE : 0)) / LINE);
      if (room < 1) {
        newPage();
        room = Math.floor((y - BOTTOM - 2 * PAD - (first ? META_LINE : 0)) / LINE);
      }
      const lines = bubble.lines.slice(start, start + room);
      const boxHeight = bubbleHeight(lines.length, first);
      const x = message.side === 'contact' ? MARGIN : PAGE_WIDTH - MARGIN - bubble.width;
      page.drawRectangle({
        x,
        y: y - boxHeight,
        width: bubble.width,
        height: boxHeight,
        color: FILL[message.side],
      });
      let baseline = y - PAD;
      if (first) {
        baseline -= META_SIZE + 1;
        drawLine(page, bold, bubble.sender, x + PAD, baseline, META_SIZE, GREY);
        drawLine(page, regular, bubble.time, x + PAD + bubble.sender.width + 6, baseline, META_SIZE, GREY);
        baseline -= META_LINE - META_SIZE - 1;
      }
      for (const line of lines) {
        baseline -= LINE;
        drawLine(page, regular, line, x + PAD, baseline + 3, TEXT_SIZE);
      }
      y -= boxHeight + GAP;
      start += lines.length;
      first = false;
    }
  }

  // The page count is known only now: number every page afterwards.
  const pages = pdf.getPages();
  pages.forEach((each, index) => {
    const [line] = regular.wrap(
      PAGE_OF[transcript.locale](index + 1, pages.length),
      META_SIZE,
      CONTENT_WIDTH,
    );
    if (line) drawLine(each, regular, line, PAGE_WIDTH - MARGIN - line.width, MARGIN - 4, META_SIZE, GREY);
  });
  return pdf.save({ useObjectStreams: true });
}

function bubbleHeight(lines: number, withMeta: boolean): number {
  return 2 * PAD + (withMeta ? META_LINE : 0) + lines * LINE;
}

/** A message's bubble: its sender and time line and its wrapped text, and how wide it is. */
function layOut(message: TranscriptMessage, regular: FontSet, bold: FontSet) {
  const inner = BUBBLE_MAX - 2 * PAD;
  const sender = bold.wrap(message.sender, META_SIZE, inner * 0.6)[0] ?? { pieces: [], width: 0 };
  const time = regular.wrap(message.time, META_SIZE, inner)[0] ?? { pieces: [], width: 0 };
  const lines = regular.wrap(message.text, TEXT_SIZE, inner);
  const widest = Math.max(sender.width + 6 + time.width, ...lines.map((line) => line.width));
  return { sender, time, lines, width: Math.min(BUBBLE_MAX, widest + 2 * PAD) };
}
