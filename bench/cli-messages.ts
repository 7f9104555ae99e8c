import { mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateMessaging } from './generate-messaging.ts';
import { writeJsonLines } from './jsonl-file.ts';
import { type ChildRun, CPU_TIME_IMPORT, cliBundle, fmt, runNode } from './measure.ts';

const MESSAGES = 300_000;
/** The issue's 1M records: the 300k messages' records, cut at this many. */
const RECORDS = 1_000_000;
const RUNS = 3;

function writeRecordsFile(file: string): Promise<number> {
  return writeJsonLines(
    file,
    generateMessaging({ messages: MESSAGES, days: 30, seed: 3, contacts: 100_000 }),
    RECORDS,
  );
}

/** The median wall time and, apart, the median CPU time of `RUNS` runs (each with its CPU time). */
async function medianRun(args: string[]): Promise<ChildRun & { cpuMs: number }> {
  const runs: ChildRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runNode(['--import', CPU_TIME_IMPORT, ...args]));
  const cpu = runs.map((run) => run.cpuMs ?? Number.NaN).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return { ...runs.sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!, cpuMs: cpu };
}

/** The load average over the last minute, printed beside each figure: the machine is shared. */
const load = () => `load ${fmt(loadavg()[0]!, 1)}`;

/**
 * Issue 11's figure: `broadcast-detailed` through the CLI over 1M records (300k messages, their
 * statuses, replies, tickets), against reading and JSON.parse-ing the same file.
 */
export async function benchCliMessages(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'messaging-1m.jsonl');
  const records = await writeRecordsFile(file);
  const sizeMb = statSync(file).size / 1024 / 1024;
  const floor = await medianRun([join(import.meta.dirname, 'parse-floor.mjs'), file]);
  const cli = await medianRun([
    cliBundle(),
    ...['report', 'broadcast-detailed', '--input', file, '--out', join(outDir, 'broadcast-detailed-1m.csv')],
    ...['--tz', 'America/Sao_Paulo', '--from', '2026-03-02', '--to', '2026-04-01'],
  ]);
  console.log(
    `broadcast-detailed through the CLI, ${fmt(records)} records (${fmt(MESSAGES)} messages), ${fmt(sizeMb)} MB JSONL → CSV: ` +
      `${fmt(cli.ms)} ms, peak RSS ${fmt(cli.peakRssMb)} MB; read + JSON.parse floor ${fmt(floor.ms)} ms → ` +
      `${fmt(cli.ms / floor.ms, 2)}× the floor; CPU time ${fmt(cli.cpuMs)} ms against ${fmt(floor.cpuMs)} ms → ` +
      `${fmt(cli.cpuMs / floor.cpuMs, 2)}× (medians of ${RUNS}, ${load()})   target ≤ 2.5×`,
  );
}
