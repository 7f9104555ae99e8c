import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fmt, runNode } from './measure.ts';

const WRITER = join(import.meta.dirname, 'write-file.ts');
const COLUMNS = 8;

/** Issue 2's figures for the file writers; each run in its own process so peak memory is its own. */
export async function benchFiles(): Promise<void> {
  for (const format of ['csv', 'xlsx'] as const) {
    for (const rows of [100_000, 1_000_000]) {
      const run = await runNode(['--import', 'tsx', WRITER, format, String(rows)]);
      const ms = Number(/WRITE_MS (\S+)/.exec(run.stdout)?.[1]);
      // The shared machine's load stretches wall time; CPU time (user + system) much less.
      const cpuMs = Number(/WRITE_CPU_MS (\S+)/.exec(run.stdout)?.[1]);
      const mb = Number(/BYTES (\d+)/.exec(run.stdout)?.[1]) / 1024 / 1024;
      const per = (count: number, unit: string) =>
        `${fmt((count / ms) * 1000)} ${unit}/s (${fmt((count / cpuMs) * 1000)} per CPU second)   target ≥ 1,000,000`;
      const rate = format === 'csv' ? per(rows, 'rows') : per(rows * COLUMNS, 'cells');
      console.log(
        `${format.toUpperCase()} ${fmt(rows)} rows × ${COLUMNS}: ${fmt(ms)} ms, ${fmt(mb, 1)} MB, peak RSS ${fmt(run.peakRssMb)} MB — ${rate}; load ${fmt(loadavg()[0]!, 1)}`,
      );
    }
  }
  const pdf = await runNode(['--import', 'tsx', WRITER, 'pdf', '5000']);
  const ms = Number(/WRITE_MS (\S+)/.exec(pdf.stdout)?.[1]);
  console.log(`PDF 5,000 rows: ${fmt(ms)} ms, peak RSS ${fmt(pdf.peakRssMb)} MB   target < 3,000 ms`);
}
