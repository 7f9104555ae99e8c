import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { build } from 'esbuild';

export interface StoreRun {
  signals: number;
  batches: number;
  ms: number;
  batchMsMedian: number;
  batchMsP99: number;
  /** Rows in the table at the end (warm-up batch included; earlier heartbeats of a session are replaced). */
  rows: number;
  /** The same rows written with bare IndexedDB calls, same store and indexes, same batches. */
  floorMs: number;
  /** The same, without the 4 indexes (primary key only). */
  keyOnlyFloorMs: number;
  /** Whether `new Function` worked where the store ran (false: TypeBox interpreted, as in the extension). */
  evalAllowed: boolean;
}

/** The extension's store (Dexie, `storeSignals`) bundled for a plain page, exposed as `PontualStore`. */
async function bundleStore(): Promise<string> {
  const root = join(import.meta.dirname, '..');
  const result = await build({
    stdin: {
      contents: [
        "export { CaptureDatabase, storeSignals } from './extension/capture/store.ts';",
        'export const evalAllowed = (() => { try { new Function("return 1")(); return true; } catch { return false; } })();',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'PontualStore',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/**
 * The extension's `storeSignals` writing into Chromium's own IndexedDB: the store bundled with
 * esbuild and loaded as a script by a page on loopback whose Content Security Policy forbids
 * `eval`, like the extension's (so event validation runs interpreted, as in the service worker).
 * `batches` transactions of `batchSize` signals, one after the other, into a fresh database.
 */
export async function benchStore(
  context: BrowserContext,
  options: { batches: number; batchSize: number; heartbeatShare: number },
): Promise<StoreRun> {
  const script = await bundleStore();
  const server = createServer((req, res) => {
    const js = req.url === '/store.js';
    res.writeHead(200, {
      'content-type': js ? 'text/javascript' : 'text/html; charset=utf-8',
      'content-security-policy': "script-src 'self'; object-src 'none'",
      'cache-control': 'no-store',
    });
    res.end(
      js
        ? script
        : '<!doctype html><meta charset="utf-8"><title>store</title><script src="/store.js"></script>',
    );
  });
  // Not 127.0.0.1 or localhost, which the extension's content scripts match: a page of its own.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  const url = `http://127.0.0.2:${(server.address() as AddressInfo).port}/`;
  const page = await context.newPage();
  try {
    await page.goto(url);
    // tsx keeps function names with a helper the page does not have.
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    return await page.evaluate(async ({ batches, batchSize, heartbeatShare }) => {
      type Signal = {
        key: string;
        observedAt: number;
        type: 'login' | 'status' | 'logout' | 'heartbeat';
        cause?: 'page_load' | 'refresh' | 'token_renewal';
        status?: 'available' | 'break';
        reason?: string;
        agentId: string;
        agentName: string;
        sessionId: string;
      };
      const api = (
        globalThis as unknown as {
          PontualStore: {
            CaptureDatabase: new (
              name: string,
            ) => {
              open(): Promise<unknown>;
              delete(): Promise<void>;
              close(): void;
              events: { count(): Promise<number> };
            };
            storeSignals(db: unknown, signals: Signal[], context: { ip: string }): Promise<string[]>;
            evalAllowed: boolean;
          };
        }
      ).PontualStore;
      // A seeded mix: sessions of 50 signals; logins, status changes (half of them breaks with a
      // reason), logouts, and a share of heartbeats (each replaces its session's earlier one).
      let seed = 42;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const reasons = ['Lunch', 'Training', 'Meeting', 'Coffee'];
      const start = Date.now() - 3_600_000;
      const all: Signal[][] = [];
      let n = 0;
      for (let b = 0; b <= batches; b++) {
        const batch: Signal[] = [];
        for (let i = 0; i < batchSize; i++, n++) {
          const session = Math.floor(n / 50);
          const base = {
            key: `bench-${b}-${i}-${Math.floor(random() * 1e9)}`,
            observedAt: start + n * 20,
            agentId: `agent.${session % 40}`,
            agentName: `Agent ${session % 40}`,
            sessionId: `session-${session}`,
          };
          const roll = random();
          if (n % 50 === 0) batch.push({ ...base, type: 'login', cause: 'page_load' });
          else if (n % 50 === 49) batch.push({ ...base, type: 'logout' });
          else if (roll < heartbeatShare) batch.push({ ...base, type: 'heartbeat' });
          else if (roll < heartbeatShare + 0.05)
            batch.push({ ...base, type: 'login', cause: 'token_renewal' });
          else if (random() < 0.5) batch.push({ ...base, type: 'status', status: 'available' });
          else
            batch.push({
              ...base,
              type: 'status',
              status: 'break',
              reason: reasons[Math.floor(random() * reasons.length)]!,
            });
        }
        all.push(batch);
      }
      const db = new api.CaptureDatabase(`pontual-bench-store-${Date.now()}`);
      await db.open();
      // The first batch warms up (compilation, the database's creation) and is not counted.
      await api.storeSignals(db, all[0]!, { ip: '10.0.0.7' });
      const times: number[] = [];
      const began = performance.now();
      for (const batch of all.slice(1)) {
        const t = performance.now();
        await api.storeSignals(db, batch, { ip: '10.0.0.7' });
        times.push(performance.now() - t);
      }
      const ms = performance.now() - began;
      const rows = await db.events.count();
      db.close();
      await db.delete();

      // The floor: the same number of rows, as the store writes them (same object store and key,
      // with or without its 4 indexes), written with bare IndexedDB calls: one transaction per
      // batch, nothing read, nothing validated.
      const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
      const floor = async (indexes: boolean) => {
        const name = `pontual-bench-floor-${Date.now()}`;
        const raw = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name, 1);
          request.onupgradeneeded = () => {
            const events = request.result.createObjectStore('events', { keyPath: 'id' });
            if (!indexes) return;
            events.createIndex('at', 'at');
            events.createIndex('captureKey', 'captureKey', { unique: true });
            events.createIndex('synced', 'synced');
            events.createIndex('sessionId', 'sessionId');
          };
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        let seq = 0;
        const began = performance.now();
        for (const batch of all.slice(1)) {
          await new Promise<void>((resolve, reject) => {
            const tx = raw.transaction('events', 'readwrite');
            const store = tx.objectStore('events');
            for (const signal of batch) {
              const { key, observedAt, ...rest } = signal;
              const time = hex(observedAt, 12);
              store.add({
                id: `${time.slice(0, 8)}-${time.slice(8)}-7${hex(seq % 4096, 3)}-8${hex(Math.floor(random() * 4096), 3)}-${hex(Math.floor(random() * 2 ** 48), 12)}`,
                ...rest,
                at: new Date(observedAt).toISOString(),
                ip: '10.0.0.7',
                deviceId: '0190f3a1-0000-7000-8000-000000000001',
                seq: seq++,
                captureKey: key,
                synced: 0,
              });
            }
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          });
        }
        const ms = performance.now() - began;
        raw.close();
        await new Promise((resolve) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = request.onerror = resolve;
        });
        return ms;
      };
      const floorMs = await floor(true);
      const keyOnlyFloorMs = await floor(false);
      times.sort((a, b) => a - b);
      return {
        signals: batches * batchSize,
        batches,
        ms,
        batchMsMedian: times[Math.floor(times.length / 2)]!,
        batchMsP99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!,
        rows,
        floorMs,
        keyOnlyFloorMs,
        evalAllowed: api.evalAllowed,
      };
    }, options);
  } finally {
    await page.close();
    server.close();
    server.closeAllConnections();
  }
}
