import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The `pontual` command in its own process, with `env` over this one's (`DATABASE_URL` empty
 * unless given). Killed after `deadlineMs`, so that a command that should have stopped (a server
 * that should have refused to start) fails the test instead of hanging it.
 */
export function pontual(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; deadlineMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: '', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(options.stdin ?? '');
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs ?? 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    }),
  );
}
