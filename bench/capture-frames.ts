import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { WebSocketServer } from 'ws';

/**
 * A platform-like page and its WebSocket on loopback, for the per-frame cost of capture: the page
 * is on `http://127.0.0.1:PORT/` (which the reference adapter matches) and its socket on `/ws`
 * (the adapter's socket pattern), so the extension watches it as it would an attendance screen.
 * After a WELCOME, `runFrames(n)` in the page asks for `n` frames sent back to back: the frames
 * are real, browser-delivered (trusted) ones.
 */
export interface FrameServer {
  url: string;
  close(): Promise<void>;
}

export type FrameKind = 'other' | 'status-same' | 'status-change';

/** The mix of frames: of every 20, one status change, one unchanged STATUS, 18 frames capture ignores. */
export function frameKind(index: number): FrameKind {
  if (index % 20 === 0) return 'status-change';
  if (index % 20 === 10) return 'status-same';
  return 'other';
}

const REASONS = ['Lunch', 'Training', 'Meeting', 'Coffee'];
const WORDS = 'hello could you please check my order it has not arrived yet thanks a lot'.split(' ');

function frames(count: number, start: { status: string; reason: string | undefined }): string[] {
  const out: string[] = [];
  let { status, reason } = start;
  for (let i = 0; i < count; i++) {
    const kind = frameKind(i);
    if (kind === 'status-change') {
      if (status === 'available') {
        status = 'break';
        reason = REASONS[(i / 20) % REASONS.length];
      } else {
        status = 'available';
        reason = undefined;
      }
    }
    if (kind !== 'other') {
      out.push(JSON.stringify({ type: 'STATUS', status, ...(reason === undefined ? {} : { reason }) }));
    } else if (i % 2 === 0) {
      out.push(
        JSON.stringify({
          type: 'QUEUE_STATS',
          seq: i,
          queues: ['sales', 'support', 'billing'].map((id, q) => ({
            id,
            waiting: (i + q) % 9,
            longestWaitSeconds: (i * 7 + q) % 300,
            agentsAvailable: (i + 3 * q) % 14,
          })),
        }),
      );
    } else {
      out.push(
        JSON.stringify({
          type: 'CHAT_MESSAGE',
          conversationId: `c-${i % 37}`,
          from: 'customer',
          sentAt: 1_780_000_000_000 + i * 1000,
          text: Array.from({ length: 14 }, (_, w) => WORDS[(i + w) % WORDS.length]).join(' '),
        }),
      );
    }
  }
  // Keep the status where it ends, so the next run's first change is a change.
  start.status = status;
  start.reason = reason;
  return out;
}

/** The page's own script: a platform's socket handler (parses each frame), named for the trace. */
const PAGE_SCRIPT = `
let received = 0;
let target = -1;
let finished = () => {};
let welcomed;
window.ready = new Promise((resolve) => { welcomed = resolve; });
const socket = new WebSocket('ws://' + location.host + '/ws?token=bench');
function onPlatformFrame(event) {
  const frame = JSON.parse(event.data);
  if (frame.type === 'WELCOME') { welcomed(); return; }
  received++;
  if (received === target) finished();
}
socket.addEventListener('message', onPlatformFrame);
window.runFrames = (n) => new Promise((resolve) => {
  received = 0;
  target = n;
  finished = resolve;
  socket.send('go ' + n);
});
`;

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>Platform frames</title>' +
  '<script src="/frames.js"></script></head><body>platform</body></html>';

export async function startFrameServer(): Promise<FrameServer> {
  const server: Server = createServer((req, res) => {
    const script = req.url === '/frames.js';
    res.writeHead(200, {
      'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(script ? PAGE_SCRIPT : PAGE_HTML);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) => {
    const state = { status: 'available', reason: undefined as string | undefined };
    ws.send(
      JSON.stringify({
        type: 'WELCOME',
        agent: { id: 'bench.agent', name: 'Bench Agent' },
        status: 'available',
      }),
    );
    ws.on('message', (data) => {
      const count = Number(String(data).split(' ')[1]);
      if (!(count > 0 && count <= 100_000)) return;
      for (const frame of frames(count, state)) ws.send(frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string; functionName?: string } };
}

/** Per frame, in µs: the whole task that delivered it, and the part spent in the extension's hook. */
export interface FrameCost {
  taskWall: number;
  taskCpu: number;
  hookWall: number;
  hookCpu: number;
}

/**
 * Runs `count` frames in the page with Chromium's tracing on (the DevTools Performance panel's
 * `devtools.timeline` category) and returns, for each frame, its task's duration and the time in
 * the extension's code during it: the MAIN-world hook's listener (which dispatches to the isolated
 * content script synchronously, so that work is inside it) plus the microtasks that follow it (the
 * delivery of a new event to the background).
 */
export async function traceFrames(page: Page, count: number): Promise<FrameCost[] | string> {
  const cdp = await page.context().newCDPSession(page);
  const collected: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (event) => {
    for (const value of event.value as unknown as TraceEvent[]) collected.push(value);
  });
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'],
    },
    transferMode: 'ReportEvents',
  });
  await page.evaluate(`runFrames(${count})`);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();

  const isPageListener = (event: TraceEvent) =>
    event.name === 'FunctionCall' && event.args?.data?.functionName === 'onPlatformFrame';
  const first = collected.find(isPageListener);
  if (!first) return 'no frame seen in the trace';
  const events = collected
    .filter((event) => event.pid === first.pid && event.tid === first.tid && event.ph === 'X')
    .sort((a, b) => a.ts - b.ts);
  const costs: FrameCost[] = [];
  let taskEnd = -1;
  let task: TraceEvent | undefined;
  /** The task's frames, and the extension's work before each (assigned to the frame it preceded). */
  let inTask: FrameCost[] = [];
  let hook = { wall: 0, cpu: 0 };
  let nestedEnd = -1;
  const finish = () => {
    if (!task || inTask.length === 0) return;
    const last = inTask[inTask.length - 1]!;
    last.hookWall += hook.wall;
    last.hookCpu += hook.cpu;
    // Several frames may arrive in one task (one IPC read): they share its time.
    for (const frame of inTask) {
      frame.taskWall = (task.dur ?? 0) / inTask.length;
      frame.taskCpu = (task.tdur ?? 0) / inTask.length;
      costs.push(frame);
    }
  };
  for (const event of events) {
    const end = event.ts + (event.dur ?? 0);
    if (event.name === 'RunTask' && event.ts >= taskEnd) {
      finish();
      task = event;
      taskEnd = end;
      inTask = [];
      hook = { wall: 0, cpu: 0 };
      nestedEnd = -1;
      continue;
    }
    if (!task || event.ts >= taskEnd || event.ts < nestedEnd) continue;
    if (isPageListener(event)) {
      inTask.push({ taskWall: 0, taskCpu: 0, hookWall: hook.wall, hookCpu: hook.cpu });
      hook = { wall: 0, cpu: 0 };
      nestedEnd = end;
      continue;
    }
    const fromExtension =
      event.name === 'FunctionCall' && (event.args?.data?.url ?? '').startsWith('chrome-extension://');
    // Calls into the extension's hook, and the microtasks around them (in this page, the page's
    // own listener queues none): the delivery of a new event to the background.
    if (fromExtension || event.name === 'RunMicrotasks') {
      hook.wall += event.dur ?? 0;
      hook.cpu += event.tdur ?? 0;
      nestedEnd = end;
    }
  }
  finish();
  if (costs.length !== count) return `${costs.length} frames in the trace for ${count} frames`;
  return costs;
}

/**
 * The same frames without tracing (so without its overhead): the main thread's CPU time and its
 * tasks' duration (DevTools' `ThreadTime` and `TaskDuration` metrics) over `count` frames, per
 * frame in µs. A mean, not a median: these are totals.
 */
export async function untracedFrames(page: Page, count: number): Promise<{ cpu: number; task: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    return { cpu: metric('ThreadTime'), task: metric('TaskDuration') };
  };
  const before = await read();
  await page.evaluate(`runFrames(${count})`);
  const after = await read();
  await cdp.detach();
  return { cpu: ((after.cpu - before.cpu) * 1e6) / count, task: ((after.task - before.task) * 1e6) / count };
}
