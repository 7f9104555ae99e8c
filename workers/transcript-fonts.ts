import emojiUrl from '@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf?url';
import regularUrl from '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf?url';
import boldUrl from '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf?url';
import type { TranscriptFonts } from '../shared/files/transcript.ts';

/**
 * The transcript PDF's fonts in the PWA: assets of the build (TRANSCRIPT_FONT_FILES), fetched
 * only when a `ticket-detail` PDF is written (~1.8 MB, kept by the service worker's cache like
 * the other assets once fetched), not with the app.
 */
export async function fetchTranscriptFonts(): Promise<TranscriptFonts> {
  const get = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not fetch the PDF font ${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [regular, bold, emoji] = await Promise.all([get(regularUrl), get(boldUrl), get(emojiUrl)]);
  return { regular, bold, emoji };
}
