import { signIn, sleep } from '../tests/e2e/browser.ts';
import { startAttendanceServer } from '../tests/fixtures/attendance/server.ts';
import {
  type BenchBrowser,
  type PageMemory,
  pageMemory,
  serviceWorkerHeap,
  setHeartbeatSeconds,
  type WorkerHeapSample,
} from './capture-browser.ts';
import { type SeenEvent, seenEvents, startStoreMonitor } from './capture-latency.ts';

export interface ShiftPlan {
  /** Wall time of one compressed hour. */
  hourMs: number;
  hours: number;
  renewTokenMs: number;
  heartbeatSeconds: number;
  statusEveryMs: number;
  /** An unchanged STATUS frame (the page re-sends its status) every this many ms. */
  frameEveryMs: number;
  dropEveryMs: number;
}

export interface ShiftSample {
  hour: number;
  tab: PageMemory;
  worker: WorkerHeapSample | undefined;
}

export interface ShiftRun {
  samples: ShiftSample[];
  /** Events the extension stored during the shift (monitor's view), by type. */
  stored: Record<string, number>;
  /** Rows in the table at the end (earlier heartbeats of a session are replaced). */
  events: SeenEvent[];
  drops: number;
}

/**
 * An agent's shift compressed in time on the reference attendance screen: token renewals, status
 * changes, unchanged STATUS frames, heartbeats and connection drops, with the attendance tab's
 * and the service worker's heaps sampled every compressed hour after a full garbage collection.
 */
export async function runShift(browser: BenchBrowser, plan: ShiftPlan): Promise<ShiftRun> {
  await setHeartbeatSeconds(browser, plan.heartbeatSeconds);
  const server = await startAttendanceServer({ port: 0, renewTokenMs: plan.renewTokenMs });
  const monitor = await startStoreMonitor(browser);
  const page = await browser.context.newPage();
  try {
    const signedInAt = Date.now();
    await signIn(page, server.url, 'bench.shift');
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    await page.evaluate(
      ({ statusEveryMs, frameEveryMs }) => {
        const select = document.querySelector('select#status') as HTMLSelectElement;
        const values = [
          'break:Training',
          'available',
          'break:Lunch',
          'available',
          'break:Coffee',
          'available',
        ];
        let next = 0;
        const statuses = setInterval(() => {
          select.value = values[next++ % values.length]!;
          select.dispatchEvent(new Event('change'));
        }, statusEveryMs);
        const frames = setInterval(() => select.dispatchEvent(new Event('change')), frameEveryMs);
        Object.assign(globalThis, {
          __stopShift: () => {
            clearInterval(statuses);
            clearInterval(frames);
          },
        });
      },
      { statusEveryMs: plan.statusEveryMs, frameEveryMs: plan.frameEveryMs },
    );
    let drops = 0;
    const dropper = setInterval(() => {
      server.dropConnections();
      drops++;
    }, plan.dropEveryMs);
    const samples: ShiftSample[] = [];
    const sample = async (hour: number) => {
      samples.push({ hour, tab: await pageMemory(page), worker: await serviceWorkerHeap(browser) });
    };
    let startedAt = 0;
    try {
      // A little traffic first, so the start is a working page, not a page still loading.
      await sleep(2000);
      await sample(0);
      startedAt = Date.now();
      for (let hour = 1; hour <= plan.hours; hour++) {
        await sleep(Math.max(0, startedAt + hour * plan.hourMs - Date.now()));
        if (hour === plan.hours) await page.evaluate('__stopShift()');
        await sample(hour);
      }
    } finally {
      clearInterval(dropper);
    }
    await sleep(1000);
    const events = (await seenEvents(monitor)).filter((event) => event.at >= signedInAt);
    const stored: Record<string, number> = {};
    for (const event of events) stored[event.type] = (stored[event.type] ?? 0) + 1;
    return { samples, stored, events, drops };
  } finally {
    await page.close();
    await monitor.close();
    await server.close();
  }
}
