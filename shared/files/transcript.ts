import type { Locale } from '../i18n.ts';

/**
 * A conversation laid out as a chat transcript (the `ticket-detail` PDF): everything in it is
 * already text in the run's locale and time zone, so the writer only lays it out. Kept apart
 * from the writer so that reports and edges name it without loading pdf-lib.
 */
export interface TranscriptDocument {
  locale: Locale;
  /** The first line, large: "Ticket T-1042". */
  title: string;
  /** Label and value pairs under the title: the contact, the queue, the status… */
  header: readonly { label: string; value: string }[];
  /** Every message, in the order it was said. */
  messages: readonly TranscriptMessage[];
  /** Shown instead of the messages when there are none. */
  emptyText: string;
}

export interface TranscriptMessage {
  /** When it was sent, as shown ("2026-03-10 14:05:09"). */
  time: string;
  /** Who sent it: the contact's name, the agent's, "Bot". */
  sender: string;
  text: string;
  /** The contact's messages on the left; the business's (agents, bot) on the right. */
  side: 'contact' | 'business';
}

/**
 * The fonts a transcript is written with, as the font files' bytes: Noto Sans (regular and bold)
 * for text in every Latin script, Noto Emoji (monochrome) for what Noto Sans lacks. The edges
 * load them (the CLI from node_modules, the PWA as assets fetched only for this PDF).
 */
export interface TranscriptFonts {
  regular: Uint8Array;
  bold: Uint8Array;
  emoji: Uint8Array;
}

/** Where the fonts come from, called only when a transcript PDF is written. */
export type TranscriptFontLoader = () => Promise<TranscriptFonts>;

/** The font files, as paths inside node_modules and as the PWA imports them. */
export const TRANSCRIPT_FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  emoji: '@expo-google-fonts/noto-emoji/400Regular/NotoEmoji_400Regular.ttf',
} as const satisfies Record<keyof TranscriptFonts, string>;
