import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suggestMapping } from '../shared/import/csv-mapping.ts';
import { startServerProcess, tenantWithSupervisor } from '../tests/e2e/server-process.ts';
import { launchSupervisorBrowser, signInToApp, supervisorContext } from '../tests/e2e/supervisor.ts';
import { importCsvStream } from '../workers/import-csv.ts';
import { buildForBench } from './build.ts';
import { fmt } from './measure.ts';
import { browserCpu, browserThreadsCpu, chromiumDelta, profileWorker } from './worker-profile.ts';

const LINES = Number(process.env.CSV_BENCH_LINES ?? 1_000_000);
/** What `file.stream()` hands out in Chromium: 64 KiB chunks. */
const CHUNK = 64 * 1024;
const STATUSES = ['Entregue', 'Lida', 'Enviada', 'Não entregue', 'Número de destino inválido'];

/**
 * A pt-BR broadcast export as the platform writes it: `;`, Windows-1252 with accents, Brazilian
 * dates, decimal commas, one line in a thousand broken (a date that does not exist).
 */
function generateExport(lines: number): Buffer[] {
  const header = 'Número;Data de envio;Status;Campanha;Template;Custo;Mensagem\r\n';
  const parts: string[] = [header];
  for (let i = 0; i < lines; i++) {
    const minute = i % 60;
    const day = i % 1000 === 999 ? 30 : 1 + (i % 28);
    parts.push(
      `+55 (11) 9${String(i).padStart(8, '0')};${String(day).padStart(2, '0')}/${i % 1000 === 999 ? '02' : '03'}/2026 10:${String(minute).padStart(2, '0')};` +
        `${STATUSES[i % STATUSES.length]};Campanha ${i % 7};promoção_${i % 3};0,0625;"Olá, cliente ${i}; sua fatura vence amanhã"\r\n`,
    );
  }
  const bytes = Buffer.from(parts.join(''), 'latin1');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(bytes.subarray(at, at + CHUNK));
  return chunks;
}

/**
 * CSV import of 1M lines through the worker's path (`importCsvStream`: decoding with encoding
 * detection, papaparse, the mapping, `validateRecord`, batching), in Node. The local store's
 * writes (IndexedDB) are left out: `keep` only counts. Issue 10's target: ≤ 20 s in a worker.
 */
export async function benchCsvImport(): Promise<void> {
  await benchCsvImportNode();
  await benchCsvImportBrowser();
}

async function benchCsvImportNode(): Promise<void> {
  const chunks = generateExport(LINES);
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const mapping = suggestMapping(
    ['Número', 'Data de envio', 'Status', 'Campanha', 'Template', 'Custo', 'Mensagem'],
    { timeZone: 'America/Sao_Paulo' },
  );
  mapping.fields.business = { source: 'constant', value: '551133334444', transform: 'phone' };
  let progressCalls = 0;
  async function* stream() {
    for (const chunk of chunks) {
      progressCalls++;
      yield chunk;
    }
  }
  let kept = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await importCsvStream(stream(), 'bench.csv', mapping, async (records) => {
    kept += records.length;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time too: on a shared machine the wall time says as much about the neighbours.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `CSV import, ${fmt(LINES)} lines (${fmt(Math.round(size / 1e6))} MB, ${summary.encoding}, "${summary.delimiter}"): ` +
      `${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU), ${fmt(Math.round(LINES / seconds))} lines/s; ` +
      `${fmt(kept)} records kept ` +
      `(message + status per line), ${fmt(summary.invalidCount)} invalid lines, ${fmt(progressCalls)} chunks; ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} ` +
      `(target ≤ 20 s in a worker)`,
  );
}

/**
 * The same export imported in real Chromium through the Import screen's mapping step, parsed
 * and kept by the data worker into the local store (IndexedDB included): how long from the click
 * to the result, how often the progress bar moved, and the longest main-thread task (a
 * PerformanceObserver 'longtask' installed before the page's scripts). Issue 10's target: ≤ 20 s
 * with progress, and no main-thread task ≥ 50 ms.
 */
export async function benchCsvImportBrowser(): Promise<void> {
  buildForBench('pwa');
  const dir = mkdtempSync(join(tmpdir(), 'pontual-csv-bench-'));
  const file = join(dir, 'disparos.csv');
  writeFileSync(file, Buffer.concat(generateExport(LINES)));
  const server = await startServerProcess();
  const browser = await launchSupervisorBrowser();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const context = await supervisorContext(browser);
    await context.addInitScript(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number };
      state.longestTaskMs = 0;
      state.longTasks = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          state.longTasks++;
          state.longestTaskMs = Math.max(state.longestTaskMs, entry.duration);
        }
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    await signInToApp(page, server.url, supervisor.email, supervisor.password);
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByLabel('Choose a .csv file').setInputFiles(file);
    await page.getByLabel('business', { exact: true }).selectOption({ label: 'A constant…' });
    await page.getByLabel('Constant for business').fill('55 11 3333-4444');
    // Tasks before this (the app, the preview of the file's head) are not the import's.
    await page.evaluate(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number };
      state.longestTaskMs = 0;
      state.longTasks = 0;
    });
    // CPU time of the browser's threads over the import: on a shared machine the wall time says
    // as much about the neighbours as about the code. CSV_BENCH_PROFILE=file.cpuprofile also
    // samples the data worker with V8's profiler (it ran the preview, so it exists) and names
    // where its time went; the profiler costs some time itself, so only when asked.
    const profilePath = process.env.CSV_BENCH_PROFILE;
    const profiler = profilePath ? await profileWorker(page, /data\.worker/) : undefined;
    const cpuBefore = browserCpu();
    const threadsBefore = browserThreadsCpu();
    const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const started = Date.now();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // The progress bar's values as the page shows them, polled from a plain selector (slowly, so
    // that the polling does not itself load the page's thread).
    const seen = new Set<number>();
    for (;;) {
      const state = await page.evaluate(() => ({
        progress: (document.querySelector('progress') as HTMLProgressElement | null)?.value,
        done: document.querySelector('[data-testid="csv-import-result"]') !== null,
      }));
      if (state.progress !== undefined) seen.add(state.progress);
      if (state.done) break;
      await page.waitForTimeout(250);
    }
    const ms = Date.now() - started;
    const cpuAfter = browserCpu();
    const threads = chromiumDelta(threadsBefore, browserThreadsCpu()).threads;
    const profile = await profiler?.stop(profilePath);
    const result = await page.getByTestId('csv-import-result').getByRole('status').textContent();
    const { longestTaskMs, longTasks } = await page.evaluate(() => {
      const state = window as unknown as { longestTaskMs: number; longTasks: number };
      return { longestTaskMs: state.longestTaskMs, longTasks: state.longTasks };
    });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `CSV import in Chromium (Import screen, data worker, IndexedDB), ${fmt(LINES)} lines: ${fmt(ms / 1000, 1)} s from the click to the result, ` +
        `${fmt(Math.round(LINES / (ms / 1000)))} lines/s ("${result}"); ` +
        (cpuBefore && cpuAfter
          ? `CPU: the workers' threads ${fmt(cpuAfter.workersS - cpuBefore.workersS, 1)} s, all of Chromium ` +
            `${fmt(cpuAfter.totalS - cpuBefore.totalS, 1)} s (busiest threads: ` +
            `${threads}); `
          : '') +
        (profile
          ? `profiled worker busy ${fmt(profile.busyMs / 1000, 1)} s (${profile.top.map(([name, ms]) => `${name} ${fmt(ms / 1000, 1)} s`).join(', ')}; ${profilePath}); `
          : '') +
        `the progress bar showed ${fmt(seen.size)} values; longest main-thread task ` +
        `${longestTaskMs === 0 ? 'under 50 ms (no long task)' : `${longestTaskMs.toFixed(0)} ms (${longTasks} tasks ≥ 50 ms)`}; ` +
        `load average ${loadBefore} before, ${load} after   target ≤ 20 s, progress, no task ≥ 50 ms`,
    );
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
