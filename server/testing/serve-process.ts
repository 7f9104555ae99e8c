import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');

/** `pontual serve` in a process of its own, on a loopback port it picked. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr so far (JSON log lines). */
  log(): string;
  /** Resolves with its exit code once it exited (null if a signal ended it). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `pontual serve --port 0` and resolves once it logged the port it listens on: with
 * `databaseUrl` on that PostgreSQL, else on the embedded database in `data`.
 */
export function spawnServe(options: { databaseUrl?: string; data?: string }): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', ...(options.data ? ['--data', options.data] : [])],
    {
      env: { ...process.env, DATABASE_URL: options.databaseUrl ?? '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"port":(\d+)[^\n]*"msg":"pontual server listening"/.exec(output);
      if (!listening) return;
      child.stdout.off('data', onOutput);
      child.stdout.on('data', (more: Buffer) => {
        output += more.toString();
      });
      resolve({ url: `http://127.0.0.1:${listening[1]}`, child, log: () => output, exited });
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) =>
      reject(new Error(`pontual serve exited (${code}) before listening:\n${output}`)),
    );
  });
}
