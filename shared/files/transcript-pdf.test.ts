import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { loadTranscriptFonts } from '../../server/cli/transcript-fonts.ts';
import { evenGlyphsFontkit } from './transcript-pdf.ts';

/** The outlines of `text`'s glyphs in a subset made by this fontkit, read back from the subset's bytes. */
async function subsetOutlines(kit: typeof fontkit, text: string): Promise<number[]> {
  const { regular } = await loadTranscriptFonts();
  const font = kit.create(regular);
  const subset = font.createSubset();
  for (const glyph of font.layout(text).glyphs) subset.includeGlyph(glyph);
  const bytes = await new Promise<Uint8Array>((resolve) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream();
    stream.on('data', (part: Uint8Array) => parts.push(part));
    stream.on('end', () => resolve(Buffer.concat(parts)));
  });
  const back = fontkit.create(bytes);
  // Glyph 0 is .notdef; each glyph after it: the length of its outline as SVG path data, or -1 when it cannot be read.
  return Array.from({ length: back.numGlyphs - 1 }, (_, index) => {
    try {
      return back.getGlyph(index + 1).path.toSVG().length;
    } catch {
      return -1;
    }
  });
}

describe('the transcript writer’s fontkit', () => {
  it('writes TrueType subsets whose glyphs keep their outlines (the short-loca bug of @pdf-lib/fontkit)', async () => {
    const text = 'Olá, ação não é fácil';
    const fixed = await subsetOutlines(evenGlyphsFontkit as unknown as typeof fontkit, text);
    expect(fixed.length).toBeGreaterThan(10);
    // Every glyph has its outline but the space's.
    expect(fixed.filter((commands) => commands <= 0)).toEqual([0]);
    // Without the fix, glyphs after an odd-length record lose theirs: the test would catch a fontkit without it.
    const broken = await subsetOutlines(fontkit, text);
    expect(broken.filter((commands) => commands <= 0).length).toBeGreaterThan(1);
  });
});
