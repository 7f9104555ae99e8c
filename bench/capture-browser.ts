import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { CHROMIUM, CHROMIUM_ARGS, EXTENSION_PATH, sleep } from '../tests/e2e/browser.ts';

/** Debian's Chromium as the e2e tests launch it, with or without the built extension. */
export interface BenchBrowser {
  context: BrowserContext;
  /** Empty without the extension. */
  extensionId: string;
  /** The browser's DevTools HTTP endpoint on loopback, for targets Playwright does not attach to. */
  devtoolsUrl: string;
  close(): Promise<void>;
}

export async function launchBenchBrowser(withExtension: boolean): Promise<BenchBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'pontual-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: CHROMIUM,
    args: [
      ...(withExtension
        ? [`--disable-extensions-except=${EXTENSION_PATH}`, `--load-extension=${EXTENSION_PATH}`]
        : []),
      ...CHROMIUM_ARGS,
      // Loopback only: the endpoint through which the service worker's heap is read.
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
    ],
  });
  let extensionId = '';
  if (withExtension) {
    const background = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    extensionId = new URL(background.url()).host;
  }
  const portFile = join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await sleep(50);
  const port = readFileSync(portFile, 'utf8').split('\n')[0];
  return {
    context,
    extensionId,
    devtoolsUrl: `http://127.0.0.1:${port}`,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface TargetInfo {
  type: string;
  url: string;
  webSocketDebuggerUrl?: string;
}

/** Sends DevTools Protocol commands over a raw WebSocket to one target (here: a service worker). */
async function withTarget<T>(
  debuggerUrl: string,
  use: (send: (method: string, params?: object) => Promise<Record<string, unknown>>) => Promise<T>,
): Promise<T> {
  const socket = new WebSocket(debuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      id?: number;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    if (message.id === undefined) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) pending?.reject(new Error(message.error.message));
    else pending?.resolve(message.result ?? {});
  });
  const send = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await use(send);
  } finally {
    socket.close();
  }
}

export interface HeapSample {
  usedMb: number;
  totalMb: number;
}

/** What a heap is made of after a full garbage collection. */
export interface WorkerHeapSample extends HeapSample {
  /** A mark the bench leaves in the worker's global scope: a new value means the worker restarted. */
  startedAt: number;
}

/**
 * The extension's service worker heap after a full garbage collection, read through the browser's
 * DevTools endpoint (Playwright gives no CDP session on workers). Undefined while no worker runs.
 */
export async function serviceWorkerHeap(browser: BenchBrowser): Promise<WorkerHeapSample | undefined> {
  const targets = (await (await fetch(`${browser.devtoolsUrl}/json/list`)).json()) as TargetInfo[];
  const worker = targets.find(
    (target) =>
      target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${browser.extensionId}/`),
  );
  if (!worker?.webSocketDebuggerUrl) return undefined;
  return withTarget(worker.webSocketDebuggerUrl, async (send) => {
    await send('HeapProfiler.collectGarbage');
    const usage = await send('Runtime.getHeapUsage');
    const mark = await send('Runtime.evaluate', {
      expression: 'globalThis.__pontualBenchStartedAt ??= Date.now()',
      returnByValue: true,
    });
    return {
      usedMb: Number(usage.usedSize) / 2 ** 20,
      totalMb: Number(usage.totalSize) / 2 ** 20,
      startedAt: Number((mark.result as { value: unknown }).value),
    };
  });
}

export interface PageMemory extends HeapSample {
  /** DOM nodes and event listeners of the page (both worlds), as DevTools' performance monitor counts them. */
  nodes: number;
  listeners: number;
}

/** A page's JS heap after a full garbage collection: its isolate, so the extension's content scripts too. */
export async function pageMemory(page: Page): Promise<PageMemory> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    return {
      usedMb: usage.usedSize / 2 ** 20,
      totalMb: usage.totalSize / 2 ** 20,
      nodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
    };
  } finally {
    await cdp.detach();
  }
}

/** Sets the adapter's heartbeat period on the options page, as an admin would. */
export async function setHeartbeatSeconds(browser: BenchBrowser, seconds: number): Promise<void> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.fill('#adapter-heartbeat-seconds', String(seconds));
    await page.click('#save-settings');
    await page.waitForSelector('#settings-message');
    const published = async () =>
      page.evaluate(async () => {
        const api = (
          globalThis as unknown as {
            chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
          }
        ).chrome;
        const stored = await api.storage.local.get('effectiveSettings');
        return (stored.effectiveSettings as { adapter?: { heartbeatSeconds?: number } } | undefined)?.adapter
          ?.heartbeatSeconds;
      });
    // The background publishes the settings in force for the content scripts.
    for (let i = 0; i < 100 && (await published()) !== seconds; i++) await sleep(50);
    if ((await published()) !== seconds) throw new Error('the heartbeat setting was not published');
  } finally {
    await page.close();
  }
}
