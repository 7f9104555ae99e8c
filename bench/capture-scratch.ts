import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { CHROMIUM, EXTENSION_PATH } from '../tests/e2e/browser.ts';

const PAGE = `<!doctype html><meta charset="utf-8"><title>frames</title><script src="/page.js"></script>`;
const SCRIPT = `
window.runFrames = (n) => new Promise((resolve) => {
  const deltas = new Float64Array(n);
  let i = -1;
  let t0 = 0;
  const ws = new WebSocket('ws://' + location.host + '/ws?token=x');
  ws.addEventListener('message', () => { t0 = performance.now(); }, { capture: true });
  ws.addEventListener('message', (event) => { JSON.parse(event.data); });
  ws.addEventListener('message', () => {
    const t1 = performance.now();
    if (i >= 0) deltas[i] = t1 - t0;
    i++;
    if (i === 0) ws.send('go ' + n);
    if (i === n) { ws.close(); resolve(Array.from(deltas)); }
  });
});
`;

async function main() {
  const server = createServer((req, res) => {
    const h = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...h });
      res.end(SCRIPT);
    } else {
      res.writeHead(200, { 'content-type': 'text/html', ...h });
      res.end(PAGE);
    }
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'WELCOME', agent: { id: 'a', name: 'A' }, status: 'available' }));
    ws.on('message', (data) => {
      const n = Number(String(data).split(' ')[1]);
      let s = 'available';
      for (let i = 0; i < n; i++) {
        if (i % 20 === 0) {
          s = s === 'available' ? 'break' : 'available';
          ws.send(JSON.stringify({ type: 'STATUS', status: s, reason: s === 'break' ? 'Lunch' : undefined }));
        } else if (i % 20 === 10) ws.send(JSON.stringify({ type: 'STATUS', status: s }));
        else
          ws.send(
            JSON.stringify({
              type: 'QUEUE_UPDATE',
              seq: i,
              queues: [
                { id: 'sales', waiting: i % 7, agents: 12 },
                { id: 'support', waiting: i % 5, agents: 9 },
              ],
            }),
          );
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const ext of [false, true]) {
    const profile = mkdtempSync(join(tmpdir(), 'pontual-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      headless: true,
      executablePath: CHROMIUM,
      args: [
        ...(ext ? [`--disable-extensions-except=${EXTENSION_PATH}`, `--load-extension=${EXTENSION_PATH}`] : []),
        '--no-sandbox',
        '--disable-gpu',
      ],
    });
    if (ext) context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const page = await context.newPage();
    await page.goto(url);
    console.log('isolated', await page.evaluate(() => crossOriginIsolated));
    console.log(await page.evaluate(() => WebSocket.name));
    const cdp = await context.newCDPSession(page);
    const chunks: string[] = [];
    cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => { chunks.push(...e.value.map((v) => JSON.stringify(v))); });
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline'] }, transferMode: 'ReportEvents' } as never);
    await page.evaluate('runFrames(2000)');
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    const evs = chunks.map((c) => JSON.parse(c)).filter((e) => e.ph === 'X' || e.ph === 'B' || e.ph === 'E');
    const names = new Map<string, number>();
    for (const e of evs) names.set(e.name, (names.get(e.name) ?? 0) + 1);
    console.log([...names].sort((a, b) => b[1] - a[1]).slice(0, 25));
    const dispatch = evs.filter((e) => e.name === 'FunctionCall');
    console.log(dispatch.length, dispatch.slice(100, 103));
    const d0 = dispatch[1000];
    const task = evs.find((e) => e.name === 'RunTask' && e.tid === d0.tid && e.ts <= d0.ts && e.ts + e.dur >= d0.ts);
    for (const e of evs.filter((e) => e.tid === d0.tid && e.ts >= task.ts && e.ts <= task.ts + task.dur)) console.log(e.name, e.ts - task.ts, e.dur, e.tdur, JSON.stringify(e.args?.data ?? {}).slice(0, 200));
    const durs = dispatch.map((e) => e.dur).sort((a, b) => a - b);
    console.log('dispatch p50', durs[durs.length >> 1], 'mean', durs.reduce((a, b) => a + b, 0) / durs.length);
    for (let round = 0; round < 3; round++) {
      const d = (await page.evaluate('runFrames(5000)')) as number[];
      const sorted = [...d].sort((a, b) => a - b);
      const q = (p: number) => (sorted[Math.floor(p * (sorted.length - 1))]! * 1000).toFixed(1);
      const mean = (d.reduce((a, b) => a + b, 0) / d.length) * 1000;
      const kinds = [0, 10, 1].map((k) => {
        const sel = d.filter((_, i) => (k === 1 ? i % 10 !== 0 : i % 20 === k)).sort((a, b) => a - b);
        return (sel[Math.floor(sel.length / 2)]! * 1000).toFixed(1);
      });
      console.log(ext ? 'ext' : 'none', 'p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'mean', mean.toFixed(1), 'kinds', kinds);
      console.log(new Set(d.slice(0, 200).map((x) => (x * 1000).toFixed(1))).size);
    }
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  wss.close();
  server.close();
}
await main();
