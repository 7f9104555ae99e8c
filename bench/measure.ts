import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Wall time of a child process and its peak resident memory. */
export interface ChildRun {
  ms: number;
  peakRssMb: number;
  stdout: string;
}

/**
 * Runs `node <args>` and reports its wall time and peak RSS. The child prints its own peak (from
 * `process.resourceUsage().maxRSS`) as the last line `PEAK_RSS_KB <n>` when it can; otherwise
 * the figure is read from /proc while it runs.
 */
export function runNode(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
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
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code}`));
      const reported = /PEAK_RSS_KB (\d+)\s*$/.exec(stdout);
      if (reported) peakKb = Math.max(peakKb, Number(reported[1]));
      resolve({ ms: performance.now() - started, peakRssMb: peakKb / 1024, stdout });
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
