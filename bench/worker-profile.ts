import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

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
  /**
   * By process kind and thread name (`renderer/Compositor`, `chromium/ThreadPoolForeg`): where the time
   * that is not the workers' goes.
   */
  threads: Map<string, number>;
}

/**
 * CPU time so far of every process this one started (the browser, its renderers, its GPU and
 * utility processes), read from /proc: unlike wall time it hardly moves with the neighbours'
 * load. Linux only; undefined elsewhere.
 */
export function browserCpu(): BrowserCpu | undefined {
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
  let total = 0;
  let workers = 0;
  const threads = new Map<string, number>();
  for (const pid of pids) {
    if (!ours(pid)) continue;
    const process = processKind(pid);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // it exited meanwhile
    }
    for (const task of tasks) {
      const stat = readStat(`/proc/${pid}/task/${task}/stat`);
      if (!stat) continue;
      // Fields after the name: state is [0], so utime (14th in all) is [11] and stime [12].
      const cpu = (Number(stat.fields[11]) + Number(stat.fields[12])) / ticks;
      total += cpu;
      if (stat.name.startsWith('DedicatedWorker')) workers += cpu;
      const thread = `${process}/${stat.name}`;
      threads.set(thread, (threads.get(thread) ?? 0) + cpu);
    }
  }
  return { totalS: total, workersS: workers, threads };
}

/** Chromium's `--type=` of a process (`renderer`, `gpu-process`, a utility's service), or its program. */
function processKind(pid: string): string {
  let command: string;
  try {
    // Chromium rewrites its children's command lines into one space-separated text.
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return pid;
  }
  const type = /--type=(\S+)/.exec(command)?.[1];
  if (type === 'utility') return /--utility-sub-type=\S*?([^.\s]+)(\s|$)/.exec(command)?.[1] ?? type;
  // No type: the browser process itself, or another program (the bench's server).
  return type ?? command.split(' ', 1)[0]!.split('/').pop()!;
}

/** The threads whose CPU time grew most between two readings, largest first. */
export function busiestThreads(before: BrowserCpu, after: BrowserCpu, top = 6): [string, number][] {
  return [...after.threads]
    .map(([name, seconds]): [string, number] => [name, seconds - (before.threads.get(name) ?? 0)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
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
