import type { Page } from '@playwright/test';
import { signIn, sleep } from '../tests/e2e/browser.ts';
import { startAttendanceServer } from '../tests/fixtures/attendance/server.ts';
import type { BenchBrowser } from './capture-browser.ts';

/** One stored event as the monitor saw it arrive. */
export interface SeenEvent {
  id: string;
  type: string;
  seq: number;
  /** The event's time: when its frame reached the content script (ms since the epoch). */
  at: number;
  /** When the monitor learnt the transaction holding it had committed (ms since the epoch). */
  storedAt: number;
  /** False when a periodic read found it (no commit notice): `storedAt` is then an upper bound. */
  notified: boolean;
}

/**
 * Watches the extension's database from one of its own pages (same origin): Dexie announces each
 * committed read-write transaction on a BroadcastChannel of the origin, and the page then reads
 * the table and stamps the rows it had not seen. A read every `pollMs` catches anything missed.
 */
export async function startStoreMonitor(browser: BenchBrowser, pollMs = 250): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/managed_schema.json`);
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  await page.evaluate((pollMs) => {
    type Row = { id: string; type: string; seq: number; at: string };
    const seen = new Map<string, unknown>();
    let reading = false;
    /** A read was asked for while one ran: 0 none, 1 by the timer, 2 by a commit notice. */
    let again = 0;
    // Each row is stamped with the time the read that first found it was asked for: a commit
    // notice, or the timer (then the row is only known to be stored by that time).
    const read = (notified: boolean, stamp: number) => {
      if (reading) {
        again = Math.max(again, notified ? 2 : 1);
        return;
      }
      reading = true;
      const done = () => {
        reading = false;
        if (again > 0) {
          const notice = again === 2;
          again = 0;
          read(notice, Date.now());
        }
      };
      const open = indexedDB.open('pontual-capture');
      // Not created yet by the extension: leave it to the extension to create.
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onsuccess = () => {
        const db = open.result;
        try {
          const request = db.transaction('events').objectStore('events').getAll();
          request.onsuccess = () => {
            for (const row of request.result as Row[]) {
              if (seen.has(row.id)) continue;
              seen.set(row.id, {
                id: row.id,
                type: row.type,
                seq: row.seq,
                at: Date.parse(row.at),
                storedAt: stamp,
                notified,
              });
            }
            db.close();
            done();
          };
          request.onerror = () => {
            db.close();
            done();
          };
        } catch {
          db.close();
          done();
        }
      };
      open.onerror = done;
    };
    // Dexie's cross-context "storage mutated" channel (dexie.mjs: STORAGE_MUTATED_DOM_EVENT_NAME).
    new BroadcastChannel('x-storagemutated-1').onmessage = () => read(true, Date.now());
    setInterval(() => read(false, Date.now()), pollMs);
    Object.assign(globalThis, { __seen: seen });
  }, pollMs);
  return page;
}

export async function seenEvents(monitor: Page): Promise<SeenEvent[]> {
  return monitor.evaluate(() => [
    ...(globalThis as unknown as { __seen: Map<string, SeenEvent> }).__seen.values(),
  ]);
}

export interface LatencyRun {
  actions: number;
  /** Per status event, in order: action → stored, observed (`at`) → stored, and whether in a burst. */
  samples: { fromAction: number; fromAt: number; burst: boolean; notified: boolean }[];
  missing: number;
}

/**
 * Status changes on the reference attendance screen: `spaced` changes 20–50 ms apart (seeded),
 * with `bursts` bursts of `burstSize` changes sent at once among them. Each change is the page's
 * own select#status `change` (the page sends SET_STATUS; the server's STATUS echo is the frame
 * the extension captures as a status event).
 */
export async function measureLatency(
  browser: BenchBrowser,
  options: { spaced: number; bursts: number; burstSize: number },
): Promise<LatencyRun> {
  const server = await startAttendanceServer({ port: 0 });
  const monitor = await startStoreMonitor(browser);
  const page = await browser.context.newPage();
  try {
    await signIn(page, server.url, 'bench.latency');
    await sleep(500);
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    const schedule = await page.evaluate(async ({ spaced, bursts, burstSize }) => {
      const select = document.querySelector('select#status') as HTMLSelectElement;
      const values = ['break:Training', 'break:Meeting', 'break:Lunch', 'break:Coffee', 'available'];
      let next = values[0] === select.value ? 1 : 0;
      let seed = 7;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const actions: { at: number; burst: boolean }[] = [];
      const change = (burst: boolean) => {
        select.value = values[next % values.length]!;
        next++;
        actions.push({ at: Date.now(), burst });
        select.dispatchEvent(new Event('change'));
      };
      const startedAt = Date.now();
      const burstEvery = Math.floor(spaced / (bursts + 1));
      for (let i = 0; i < spaced; i++) {
        if (i > 0 && i % burstEvery === 0 && i / burstEvery <= bursts) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          for (let j = 0; j < burstSize; j++) change(true);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        change(false);
        await new Promise((resolve) => setTimeout(resolve, 20 + random() * 30));
      }
      return { startedAt, actions };
    }, options);
    const expected = schedule.actions.length;
    const statusEvents = async () =>
      (await seenEvents(monitor))
        .filter((event) => event.type === 'status' && event.at >= schedule.startedAt)
        .sort((a, b) => a.seq - b.seq);
    for (let i = 0; i < 300 && (await statusEvents()).length < expected; i++) await sleep(100);
    const events = await statusEvents();
    return {
      actions: expected,
      samples: events.slice(0, expected).map((event, i) => ({
        fromAction: event.storedAt - schedule.actions[i]!.at,
        fromAt: event.storedAt - event.at,
        burst: schedule.actions[i]!.burst,
        notified: event.notified,
      })),
      missing: Math.max(0, expected - events.length),
    };
  } finally {
    await page.close();
    await monitor.close();
    await server.close();
  }
}
