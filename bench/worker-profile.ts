import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { fmt } from './measure.ts';

/** What V8's sampling profiler says of a worker over a stretch of time. */
export interface WorkerProfile {
  /** Time in samples that were not idle: the worker's CPU time, give or take a sample. */
  busyMs: number;
  /** The functions with most self time (garbage collection included), largest first. */
  top: [string, number][];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Starts V8's profiler in the page's dedicated worker whose URL matches `url`. Playwright gives
 * no CDP session on a dedicated worker, so this auto-attaches the page's session to its workers
 * (unflattened) and talks to the worker through `Target.sendMessageToTarget`. `stop(path)` ends
 * the profile and, given a path, writes it as a .cpuprofile (Chrome DevTools opens it).
 */
export async function profileWorker(
  page: Page,
  url: RegExp,
): Promise<{ stop(path?: string): Promise<WorkerProfile> }> {
  const cdp = await page.context().newCDPSession(page);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let sessionId: string | undefined;
  const attached = new Promise<string>((resolve) => {
    cdp.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type === 'worker' && url.test(event.targetInfo.url)) resolve(event.sessionId);
    });
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(`worker CDP: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  const send = (method: string, params: object = {}): Promise<unknown> => {
    const id = nextId++;
    const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    void cdp.send('Target.sendMessageToTarget', {
      sessionId: sessionId!,
      message: JSON.stringify({ id, method, params }),
    });
    return answer;
  };
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  sessionId = await withTimeout(attached, 10_000, `no worker matching ${url} in the page`);
  await send('Profiler.enable');
  // 1 ms samples: fine enough to name the costs, coarse enough to cost the worker little.
  await send('Profiler.setSamplingInterval', { interval: 1000 });
  await send('Profiler.start');
  return {
    async stop(path) {
      const { profile } = (await send('Profiler.stop')) as { profile: CpuProfile };
      await cdp.detach();
      if (path) writeFileSync(path, JSON.stringify(profile));
      return summarize(profile);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}

/** Busy time and the top self-time functions of a profile. */
export function summarize(profile: CpuProfile, top = 6): WorkerProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let busyUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    const node = byId.get(id)!;
    const us = profile.timeDeltas[index] ?? 0;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    busyUs += us;
    self.set(name, (self.get(name) ?? 0) + us);
  }
  return {
    busyMs: busyUs / 1000,
    top: [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [name, us / 1000]),
  };
}

/** CPU seconds of this process's descendants (a browser it launched): all threads, and its workers. */
export interface BrowserCpu {
  totalS: number;
  /** Threads Chromium names `DedicatedWorker …`: the page's workers. */
  workersS: number;
}

/**
 * CPU time so far of every process this one started (the browser, its renderers, its GPU and
 * utility processes), read from /proc: unlike wall time it hardly moves with the neighbours'
 * load. Linux only; undefined elsewhere.
 */
export function browserCpu(): BrowserCpu | undefined {
  const threads = browserThreadsCpu();
  if (!threads) return undefined;
  let total = 0;
  let workers = 0;
  for (const [key, seconds] of threads) {
    total += seconds;
    if (key.thread.startsWith('DedicatedWorker')) workers += seconds;
  }
  return { totalS: total, workersS: workers };
}

/** A Chromium thread's place: its process's type (`browser`, `renderer`, `utility`, …) and its name. */
export interface ThreadKey {
  process: string;
  thread: string;
}

/**
 * CPU seconds so far of the descendants' threads, summed per process type and thread name (a
 * name's trailing number dropped, so the pool's threads add up; each worker apart): where in Chromium the time goes
 * (the browser process's IndexedDB and LevelDB threads, the renderer's workers, the network
 * service). Keys are shared objects, one per place, so two calls' maps compare by `placeKey`.
 */
export function browserThreadsCpu(): Map<ThreadKey, number> | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const parentOf = new Map<string, string>();
  for (const pid of pids) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat) parentOf.set(pid, stat.fields[1]!);
  }
  const ours = (pid: string) => {
    for (let at = parentOf.get(pid); at !== undefined && at !== '0'; at = parentOf.get(at))
      if (at === String(process.pid)) return true;
    return false;
  };
  const ticks = 100; // USER_HZ on Linux, whatever the kernel's own tick
  const cpu = new Map<ThreadKey, number>();
  for (const pid of pids) {
    if (!ours(pid)) continue;
    let tasks: string[];
    let type: string;
    try {
      // Chromium's processes only, not a server the caller started.
      if (!/^(chrom|headless)/.test(readStat(`/proc/${pid}/stat`)?.name ?? '')) continue;
      tasks = readdirSync(`/proc/${pid}/task`);
      type = /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    } catch {
      continue; // it exited meanwhile
    }
    for (const task of tasks) {
      const stat = readStat(`/proc/${pid}/task/${task}/stat`);
      if (!stat) continue;
      // Fields after the name: state is [0], so utime (14th in all) is [11] and stime [12].
      const seconds = (Number(stat.fields[11]) + Number(stat.fields[12])) / ticks;
      // Each worker apart (the data worker from the report workers), by its thread id.
      const thread = stat.name.startsWith('DedicatedWorker')
        ? `DedicatedWorker ${task}`
        : stat.name.replace(/[\s#:]*\d*$/, '');
      const key = placeKey(type, thread);
      cpu.set(key, (cpu.get(key) ?? 0) + seconds);
    }
  }
  return cpu;
}

const places = new Map<string, ThreadKey>();
/** The one key object for a process type and thread name. */
function placeKey(process: string, thread: string): ThreadKey {
  const name = `${process}\u0000${thread}`;
  let key = places.get(name);
  if (!key) {
    key = { process, thread };
    places.set(name, key);
  }
  return key;
}

function readStat(path: string): { name: string; fields: string[] } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // The name is in parentheses and may hold spaces or parentheses itself: split at the last one.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  return {
    name: text.slice(open + 1, close),
    fields: text
      .slice(close + 2)
      .trim()
      .split(' '),
  };
}

/**
 * CPU seconds by Chromium process type between two `browserThreadsCpu()`, their sum, and the
 * busiest threads (process type / thread name), to tell where in Chromium a pull's time goes.
 */
export function chromiumDelta(
  before: Map<ThreadKey, number> | undefined,
  after: Map<ThreadKey, number> | undefined,
): { total: number; text: string; threads: string } {
  const byType = new Map<string, number>();
  const byThread: [ThreadKey, number][] = [];
  let total = 0;
  for (const [key, seconds] of after ?? []) {
    const used = seconds - (before?.get(key) ?? 0);
    total += used;
    byType.set(key.process, (byType.get(key.process) ?? 0) + used);
    byThread.push([key, used]);
  }
  return {
    total,
    text: [...byType].map(([type, used]) => `${type} ${fmt(used, 1)}`).join(', '),
    threads: byThread
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([key, used]) => `${key.process}/${key.thread} ${fmt(used, 1)}`)
      .join(', '),
  };
}
