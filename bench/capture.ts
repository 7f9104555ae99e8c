import { cpus, loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { buildForBench } from './build.ts';
import { type BenchBrowser, launchBenchBrowser } from './capture-browser.ts';
import {
  type FrameCost,
  frameKind,
  startFrameServer,
  traceFrames,
  untracedFrames,
} from './capture-frames.ts';
import { measureLatency } from './capture-latency.ts';
import { runShift, type ShiftPlan } from './capture-shift.ts';
import { benchStore } from './capture-store.ts';
import { fmt } from './measure.ts';

/** Frames per untraced round and rounds; frames per traced round and rounds (per browser). */
const UNTRACED_FRAMES = 10_000;
const UNTRACED_ROUNDS = 3;
const TRACED_FRAMES = 2_500;
const TRACED_ROUNDS = 4;

/** 10 hours in 80 s (450×). */
const SHIFT: ShiftPlan = {
  hourMs: 8_000,
  hours: 10,
  renewTokenMs: 2_000,
  heartbeatSeconds: 1,
  statusEveryMs: 300,
  frameEveryMs: 10,
  dropEveryMs: 10_000,
};

/** Nearest-rank quantile. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
const median = (values: number[]) => quantile(values, 0.5);

async function chromiumVersion(browser: BenchBrowser): Promise<string> {
  const version = (await (await fetch(`${browser.devtoolsUrl}/json/version`)).json()) as { Browser?: string };
  return version.Browser?.replace(/^[^/]*\//, '') ?? 'unknown';
}

async function framePage(browser: BenchBrowser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.evaluate('ready');
  await page.evaluate('runFrames(2000)'); // warm-up: compilation, the extension's settings read
  return page;
}

/** Issue's figure 1: what capture costs the page per WebSocket frame. */
async function benchFrames(withExtension: BenchBrowser): Promise<void> {
  const server = await startFrameServer();
  const without = await launchBenchBrowser(false);
  try {
    const pages = {
      without: await framePage(without, server.url),
      with: await framePage(withExtension, server.url),
    };
    // Rounds alternate between the two browsers so that both see the same machine.
    const untraced = {
      without: [] as { cpu: number; task: number }[],
      with: [] as { cpu: number; task: number }[],
    };
    for (let round = 0; round < UNTRACED_ROUNDS; round++) {
      untraced.without.push(await untracedFrames(pages.without, UNTRACED_FRAMES));
      untraced.with.push(await untracedFrames(pages.with, UNTRACED_FRAMES));
    }
    const traced = { without: [] as FrameCost[], with: [] as FrameCost[] };
    for (let round = 0; round < TRACED_ROUNDS; round++) {
      for (const which of ['without', 'with'] as const) {
        const costs = await traceFrames(pages[which], TRACED_FRAMES);
        if (typeof costs === 'string') throw new Error(`frame trace ${which} the extension: ${costs}`);
        traced[which].push(...costs);
      }
    }
    const frames = traced.with.length;
    const hook = traced.with.map((cost) => cost.hookCpu);
    const byKind = (kind: string) =>
      median(traced.with.filter((_, i) => frameKind(i % TRACED_FRAMES) === kind).map((cost) => cost.hookCpu));
    const taskWithout = median(traced.without.map((cost) => cost.taskCpu));
    const taskWith = median(traced.with.map((cost) => cost.taskCpu));
    const cpuWithout = median(untraced.without.map((run) => run.cpu));
    const cpuWith = median(untraced.with.map((run) => run.cpu));
    console.log(
      `capture per WebSocket frame on the page: ${fmt(median(hook))} µs median in the extension's hook ` +
        `(p90 ${fmt(quantile(hook, 0.9))}, p99 ${fmt(quantile(hook, 0.99))} µs; main-thread CPU, ${fmt(frames)} frames traced)   target < 20 µs at the median`,
    );
    console.log(
      `  median by frame: ignored by capture (90%) ${fmt(byKind('other'))} µs, STATUS unchanged (5%) ${fmt(byKind('status-same'))} µs, ` +
        `status change → event sent to the background (5%) ${fmt(byKind('status-change'))} µs`,
    );
    console.log(
      `  whole frame task, median main-thread CPU, traced: ${fmt(taskWithout, 1)} µs without the extension → ${fmt(taskWith, 1)} µs with it ` +
        `(+${fmt(taskWith - taskWithout, 1)} µs); untraced mean (DevTools ThreadTime over ${UNTRACED_ROUNDS}×${fmt(UNTRACED_FRAMES)} frames, median round): ` +
        `${fmt(cpuWithout, 1)} → ${fmt(cpuWith, 1)} µs (+${fmt(cpuWith - cpuWithout, 1)} µs)`,
    );
    await pages.with.close();
  } finally {
    await without.close();
    await server.close();
  }
}

/** Issue's figure 2: from the moment an event happens until it is in IndexedDB. */
async function benchLatency(browser: BenchBrowser): Promise<void> {
  const options = { spaced: 300, bursts: 5, burstSize: 20 };
  const run = await measureLatency(browser, options);
  const fromAt = run.samples.map((sample) => sample.fromAt);
  const fromAction = run.samples.map((sample) => sample.fromAction);
  const burst = run.samples.filter((sample) => sample.burst).map((sample) => sample.fromAt);
  console.log(
    `per event end to end, observed → stored in IndexedDB: p50 ${fmt(median(fromAt))} ms, p99 ${fmt(quantile(fromAt, 0.99))} ms, ` +
      `max ${fmt(Math.max(...fromAt))} ms (${fmt(run.samples.length)} status events: ${options.spaced} spaced 20–50 ms apart, ` +
      `${options.bursts} bursts of ${options.burstSize}; bursts alone p99 ${fmt(quantile(burst, 0.99))} ms)   target p99 < 300 ms`,
  );
  console.log(
    `  from the page's action (select#status change → SET_STATUS → STATUS echo → stored): p50 ${fmt(median(fromAction))} ms, ` +
      `p99 ${fmt(quantile(fromAction, 0.99))} ms` +
      (run.missing > 0 ? `; ${run.missing} events NOT stored within 30 s` : ''),
  );
}

/** Issue's figure 3: memory over a shift. */
async function benchShift(browser: BenchBrowser): Promise<void> {
  const run = await runShift(browser, SHIFT);
  const first = run.samples[0]!;
  const middle = run.samples[Math.floor(run.samples.length / 2)]!;
  const last = run.samples[run.samples.length - 1]!;
  const mb = (n: number | undefined) => (n === undefined ? 'n/a' : `${fmt(n, 2)} MB`);
  const kb = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? 'n/a' : `${b >= a ? '+' : '−'}${fmt(Math.abs(b - a) * 1024)} KB`;
  const tabMax = Math.max(...run.samples.map((sample) => sample.tab.usedMb));
  const workers = run.samples.map((sample) => sample.worker);
  const workerMax = Math.max(...workers.map((worker) => worker?.usedMb ?? 0));
  const restarts = new Set(workers.map((worker) => worker?.startedAt)).size - 1;
  const seconds = (SHIFT.hourMs * SHIFT.hours) / 1000;
  const stored = Object.entries(run.stored)
    .map(([type, count]) => `${fmt(count)} ${type}`)
    .join(', ');
  const delays = run.events.map((event) => event.storedAt - event.at);
  console.log(
    `shift of ${SHIFT.hours} h compressed into ${seconds} s (${fmt((SHIFT.hourMs * SHIFT.hours) / 1000 / 60, 1)} min), JS heap after a full GC, hour 0 → ${SHIFT.hours / 2} → ${SHIFT.hours}:   target no growth beyond a bounded buffer`,
  );
  console.log(
    `  attendance tab (page + content scripts, one isolate): ${mb(first.tab.usedMb)} → ${mb(middle.tab.usedMb)} → ${mb(last.tab.usedMb)} ` +
      `(${kb(first.tab.usedMb, last.tab.usedMb)} over the shift, ${kb(run.samples[2]?.tab.usedMb, last.tab.usedMb)} from hour 2; max ${mb(tabMax)}); ` +
      `DOM nodes ${first.tab.nodes} → ${last.tab.nodes}, event listeners ${first.tab.listeners} → ${last.tab.listeners}`,
  );
  console.log(
    `  extension service worker: ${mb(first.worker?.usedMb)} → ${mb(middle.worker?.usedMb)} → ${mb(last.worker?.usedMb)} ` +
      `(${kb(first.worker?.usedMb, last.worker?.usedMb)} over the shift, ${kb(workers[2]?.usedMb, last.worker?.usedMb)} from hour 2; max ${mb(workerMax)}; ` +
      `${restarts > 0 ? `RESTARTED ${restarts}×, figures not comparable` : 'no restart'})`,
  );
  const series = (values: (number | undefined)[]) =>
    values.map((value) => (value === undefined ? 'n/a' : fmt(value, 2))).join(' ');
  console.log(`  tab MB per hour:    ${series(run.samples.map((sample) => sample.tab.usedMb))}`);
  console.log(`  worker MB per hour: ${series(workers.map((worker) => worker?.usedMb))}`);
  console.log(
    `  the shift: token renewal every ${SHIFT.renewTokenMs / 1000} s, heartbeat every ${SHIFT.heartbeatSeconds} s, status change every ${SHIFT.statusEveryMs} ms, ` +
      `an unchanged STATUS frame every ${SHIFT.frameEveryMs} ms, ${run.drops} connection drops; events seen stored: ${stored}; ` +
      `observed → stored under this load p50 ${fmt(median(delays))} ms, p99 ${fmt(quantile(delays, 0.99))} ms`,
  );
}

/** Issue's figure 4: the store's write throughput. */
async function benchStoreThroughput(browser: BenchBrowser): Promise<void> {
  const run = await benchStore(browser.context, { batches: 100, batchSize: 500, heartbeatShare: 0.1 });
  console.log(
    `Dexie write throughput, storeSignals into Chromium's IndexedDB, ${fmt(run.signals)} signals in batches of ${fmt(run.signals / run.batches)}: ` +
      `${fmt((run.signals / run.ms) * 1000)} events/s (batch median ${fmt(run.batchMsMedian)} ms, p99 ${fmt(run.batchMsP99)} ms)   target ≥ 25,000`,
  );
  console.log(
    `  floor, the same rows with bare IndexedDB calls (same batches, nothing read or validated): ${fmt((run.signals / run.floorMs) * 1000)} rows/s ` +
      `with the store's 4 indexes, ${fmt((run.signals / run.keyOnlyFloorMs) * 1000)} rows/s with its primary key only; ` +
      `validation ${run.evalAllowed ? 'compiled' : 'interpreted (eval forbidden, as in the extension)'}; 10% heartbeats, ${fmt(run.rows)} rows kept`,
  );
}

const PAINT_ROUNDS = 7;

/**
 * The popup's and the options page's first contentful paint, from a fresh tab each time (issue 13
 * target: under 300 ms). What the admin and the agent wait for when they open them.
 */
async function benchPageFirstPaint(browser: BenchBrowser): Promise<void> {
  for (const name of ['popup', 'options']) {
    const paints: number[] = [];
    for (let round = 0; round < PAINT_ROUNDS; round++) {
      const page = await browser.context.newPage();
      await page.goto(`chrome-extension://${browser.extensionId}/${name}.html`);
      paints.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => {
                const paint = list.getEntriesByName('first-contentful-paint')[0];
                if (paint) resolve(paint.startTime);
              }).observe({ type: 'paint', buffered: true });
            }),
        ),
      );
      await page.close();
    }
    console.log(
      `${name} page first contentful paint: median ${fmt(median(paints), 0)} ms, worst ${fmt(Math.max(...paints), 0)} ms of ${PAINT_ROUNDS} (target < 300 ms)`,
    );
  }
}

/**
 * The capture extension's figures, in Debian's Chromium with the extension built now: per-frame
 * cost on the page, end-to-end latency until stored, memory over a compressed shift, and the
 * store's write throughput.
 */
export async function benchCapture(): Promise<void> {
  buildForBench('extension');
  const browser = await launchBenchBrowser(true);
  console.log(
    `(Chromium ${await chromiumVersion(browser)}, extension built now; ` +
      `${cpus().length} cores, load average ${fmt(loadavg()[0]!, 1)} at the start: figures move with other work on the machine)`,
  );
  try {
    await benchFrames(browser);
    await benchStoreThroughput(browser);
    await benchLatency(browser);
    await benchShift(browser);
    await benchPageFirstPaint(browser);
  } finally {
    await browser.close();
  }
}

/** `npm run bench -- paint`: only the popup's and the options page's first paint (quick). */
export async function benchPaint(): Promise<void> {
  buildForBench('extension');
  const browser = await launchBenchBrowser(true);
  console.log(
    `(Chromium ${await chromiumVersion(browser)}, extension built now; ${cpus().length} cores, load average ${fmt(loadavg()[0]!, 1)} at the start)`,
  );
  try {
    await benchPageFirstPaint(browser);
  } finally {
    await browser.close();
  }
  console.log(`(load average ${fmt(loadavg()[0]!, 1)} at the end)`);
}
