import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Wall time of a child process and its peak resident memory. */
export interface ChildRun {
  ms: number;
  peakRssMb: number;
  /**
   * CPU time (user + system) of the child's own process, when it was run with `CPU_TIME_IMPORT`
   * preloaded; on a shared machine this moves far less than the wall time with the load.
   */
  cpuMs?: number;
  stdout: string;
}

/**
 * `--import` this into a child (`['--import', CPU_TIME_IMPORT, …]`) and it reports its CPU time on
 * stderr as it exits (`CPU_MS <n>`), whatever it writes to stdout. `runNode` reads it.
 */
export const CPU_TIME_IMPORT = new URL('./cpu-time.mjs', import.meta.url).href;

/**
 * Runs `node <args>` and reports its wall time and peak RSS. The child prints its own peak (from
 * `process.resourceUsage().maxRSS`) as the last line `PEAK_RSS_KB <n>` when it can; otherwise
 * the figure is read from /proc while it runs.
 */
export function runNode(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let cpuMs: number | undefined;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // Passed on as it comes, but for the CPU time line the preload adds.
      const lines = stderr.split('\n');
      stderr = lines.pop() ?? '';
      for (const line of lines) {
        const cpu = /^CPU_MS (\S+)$/.exec(line);
        if (cpu) cpuMs = Number(cpu[1]);
        else process.stderr.write(`${line}\n`);
      }
    });
    let peakKb = 0;
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // The child has already exited.
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      const cpu = /^CPU_MS (\S+)$/.exec(stderr);
      if (cpu) cpuMs = Number(cpu[1]);
      else if (stderr !== '') process.stderr.write(stderr);
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}`));
      const reported = /PEAK_RSS_KB (\d+)\s*$/.exec(stdout);
      if (reported) peakKb = Math.max(peakKb, Number(reported[1]));
      resolve({
        ms: performance.now() - started,
        peakRssMb: peakKb / 1024,
        ...(cpuMs === undefined ? {} : { cpuMs }),
        stdout,
      });
    });
  });
}

/** Median of several timings of `run`, after one warm-up run. */
export function medianMs(run: () => void, times = 5): { medianMs: number; firstMs: number } {
  const samples: number[] = [];
  let firstMs = 0;
  for (let i = 0; i <= times; i++) {
    const started = performance.now();
    run();
    const ms = performance.now() - started;
    if (i === 0) firstMs = ms;
    else samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, firstMs };
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The CLI's bundle, built now: `bin/pontual.mjs` runs it only while it is newer than every source
 * (tests included) and otherwise runs the sources through tsx, whose start alone costs about a
 * second of CPU — more than a third of the activity floor. A bench measures the bundle, always.
 */
export function cliBundle(): string {
  const root = join(import.meta.dirname, '..');
  const built = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`npm run build:cli exited with ${built.status}`);
  return join(root, 'dist/cli/main.mjs');
}
