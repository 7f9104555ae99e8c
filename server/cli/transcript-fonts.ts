import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { TRANSCRIPT_FONT_FILES, type TranscriptFonts } from '../../shared/files/transcript.ts';

const require = createRequire(import.meta.url);

/** The transcript PDF's fonts, read from the packages in node_modules (the CLI's edge). */
export async function loadTranscriptFonts(): Promise<TranscriptFonts> {
  const read = (file: string) => readFile(require.resolve(file)).then((bytes) => new Uint8Array(bytes));
  const [regular, bold, emoji] = await Promise.all([
    read(TRANSCRIPT_FONT_FILES.regular),
    read(TRANSCRIPT_FONT_FILES.bold),
    read(TRANSCRIPT_FONT_FILES.emoji),
  ]);
  return { regular, bold, emoji };
}
