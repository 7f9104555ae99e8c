import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type ChildRun, CPU_TIME_IMPORT, fmt, runNode } from './measure.ts';

const RUNS = 3;

/** The median wall time and, apart, the median CPU time of `RUNS` runs (each with its CPU time). */
export async function medianRun(args: string[]): Promise<ChildRun & { cpuMs: number }> {
  const runs: ChildRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runNode(['--import', CPU_TIME_IMPORT, ...args]));
  const cpu = runs.map((run) => run.cpuMs ?? Number.NaN).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return { ...runs.sort((a, b) => a.ms - b.ms)[Math.floor(RUNS / 2)]!, cpuMs: cpu };
}

/** The load average over the last minute, printed beside each figure: the machine is shared. */
export const load = () => `load ${fmt(loadavg()[0]!, 1)}`;

type Run = ChildRun & { cpuMs: number };

/**
 * Issue 11's floors for a JSON Lines file (bench/parse-floor.mjs): reading and JSON.parse-ing
 * each line with whole lines decoded at once, as the CLI reads, and the streaming-decode floor the
 * earlier figures were taken against.
 */
export async function parseFloors(file: string): Promise<{ floor: Run; streaming: Run }> {
  const script = join(import.meta.dirname, 'parse-floor.mjs');
  return {
    floor: await medianRun([script, file]),
    streaming: await medianRun([script, file, '--streaming']),
  };
}

/** The CLI's run against both floors, by wall and by CPU time. */
export function againstFloors(cli: Run, { floor, streaming }: { floor: Run; streaming: Run }): string {
  return (
    `read + JSON.parse floor ${fmt(floor.ms)} ms wall, ${fmt(floor.cpuMs)} ms CPU → ` +
    `${fmt(cli.ms / floor.ms, 2)}× the floor by wall, ${fmt(cli.cpuMs / floor.cpuMs, 2)}× by CPU; ` +
    `against the streaming-decode floor (${fmt(streaming.ms)} ms wall, ${fmt(streaming.cpuMs)} ms CPU) ` +
    `${fmt(cli.ms / streaming.ms, 2)}× / ${fmt(cli.cpuMs / streaming.cpuMs, 2)}× ` +
    `(medians of ${RUNS}, ${load()})`
  );
}
