import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fmt, runNode } from './measure.ts';

const RUN = join(import.meta.dirname, 'attendance-run.ts');

/**
 * Issue 12's attendance figures, each in its own process: `attendance-history` over 200k tickets
 * and 4M messages to CSV, and `ticket-detail` of a 2,000-message ticket to PDF. Measured on the
 * shared core in Node, the records made as they are fed (the report worker runs the same code;
 * `attendance-pwa` runs it there, bench/attendance-pwa.ts).
 */
export async function benchAttendance(): Promise<void> {
  console.log(
    `(${cpus().length} cores, load average ${fmt(loadavg()[0]!, 1)} at the start: figures move with other work on the machine)`,
  );
  const history = await runNode(['--max-old-space-size=8192', '--import', 'tsx', RUN, 'history', '200000']);
  const value = (run: { stdout: string }, key: string) =>
    Number(new RegExp(`${key} (\\S+)`).exec(run.stdout)?.[1]);
  const add = value(history, 'ADD_MS');
  const compute = value(history, 'COMPUTE_MS');
  const write = value(history, 'WRITE_MS');
  const cpu = (key: string) => fmt(value(history, `${key}_CPU_MS`));
  console.log(
    `attendance-history ${fmt(value(history, 'TICKETS'))} tickets, ${fmt(value(history, 'MESSAGES'))} messages → ${fmt(value(history, 'ROWS'))} CSV rows (${fmt(value(history, 'BYTES') / 1024 / 1024)} MB): ` +
      `records taken ${fmt(add)} ms + compute ${fmt(compute)} ms + CSV ${fmt(write)} ms = ${fmt(add + compute + write)} ms ` +
      `(CPU: making and taking the records ${cpu('READ')} ms, compute ${cpu('COMPUTE')} ms, CSV ${cpu('WRITE')} ms), peak RSS ${fmt(history.peakRssMb)} MB   target ≤ 15,000 ms`,
  );
  const detail = await runNode(['--import', 'tsx', RUN, 'detail', '2000']);
  console.log(
    `ticket-detail 2,000 messages → PDF (${fmt(value(detail, 'BYTES') / 1024)} kB): first run ${fmt(value(detail, 'FIRST_MS'))} ms (CPU ${fmt(value(detail, 'FIRST_CPU_MS'))} ms; pdf-lib loaded, fonts read), then ${fmt(value(detail, 'WARM_MS'))} ms (CPU ${fmt(value(detail, 'WARM_CPU_MS'))} ms), peak RSS ${fmt(detail.peakRssMb)} MB   target ≤ 2,000 ms`,
  );
  console.log(`(load average ${fmt(loadavg()[0]!, 1)} at the end)`);
}
