import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { type ActivityEvent, parseEventLine } from '../../shared/events/schema.ts';
import { activity } from '../../shared/reports/activity.ts';

/**
 * The captured events, taken out the way an office without network does: the options page's
 * "Export captured events" button, a JSON Lines download.
 */
export async function exportCapturedEvents(
  context: BrowserContext,
  extensionId: string,
): Promise<ActivityEvent[]> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-events')]);
    const text = readFileSync((await download.path())!, 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const parsed = parseEventLine(line);
        if (!parsed.ok) throw new Error(`exported line is not a valid event: ${parsed.error}\n${line}`);
        return parsed.event;
      });
  } finally {
    await page.close();
  }
}

/**
 * Waits until the extension has stored at least `count` events of a type. Reads IndexedDB from an
 * extension page (the background service worker may be stopped and restarted at any moment).
 */
export async function waitForStored(
  context: BrowserContext,
  extensionId: string,
  predicate: { type: string; count: number },
  timeoutMs = 10_000,
): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await page.evaluate(
        (type) =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('pontual-capture');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction('events').objectStore('events').getAll();
              request.onsuccess = () => {
                resolve((request.result as { type: string }[]).filter((event) => event.type === type).length);
                open.result.close();
              };
              request.onerror = () => reject(request.error);
            };
          }),
        predicate.type,
      );
      if (stored >= predicate.count) return;
      if (Date.now() > deadline)
        throw new Error(`only ${stored} ${predicate.type} events stored, expected ${predicate.count}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await page.close();
  }
}

export interface ActivityLine {
  type: string;
  /** Seconds. */
  duration: number;
  ongoing: boolean;
}

/** The Activity Report of the captured events, as the DESIGN tables read (type and duration). */
export function activityLines(events: ActivityEvent[], now = Date.now()): ActivityLine[] {
  const result = activity.compute(events, { timeZone: 'UTC', locale: 'en', now, splitDays: false });
  return result.rows.map((row) => ({
    type: String(row[1]),
    duration: Number(row[6]) / 1000,
    ongoing: row[4] === null,
  }));
}
