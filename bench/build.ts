import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SCRIPTS = { extension: 'build:extension', pwa: 'build:pwa' } as const;
const built = new Set<keyof typeof SCRIPTS>();

/**
 * Builds what a bench measures from the working tree, once per run: a fresh clone has no dist/,
 * and an old dist/ would measure old code.
 */
export function buildForBench(what: keyof typeof SCRIPTS): void {
  if (built.has(what)) return;
  const run = spawnSync('npm', ['run', '--silent', SCRIPTS[what]], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(
      `npm run ${SCRIPTS[what]} failed (${run.status}):\n${run.stdout}\n${run.stderr}`.slice(-4000),
    );
  built.add(what);
}
