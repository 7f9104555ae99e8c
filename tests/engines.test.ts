import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The README promises Node 20. A dependency that wants a newer Node installs with EBADENGINE
// warnings on the very machine we promise to support, and may fail there at run time.
const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));

describe('the Node versions we promise', () => {
  const promised = semver.minVersion(manifest.engines.node);

  it('names a minimum Node version the README repeats', () => {
    expect(promised?.major).toBe(20);
    const minimum = `${promised?.major}.${promised?.minor}`;
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).toContain(`Node.js ${minimum} or newer`);
  });

  it('every installed package accepts the oldest Node we promise', () => {
    const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([path, entry]) => path !== '' && typeof entry.engines?.node === 'string')
      .filter(([, entry]) => !semver.satisfies(promised ?? '', entry.engines?.node ?? '*'))
      .map(([path, entry]) => `${path} wants node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('the lockfile holds every platform build, so a fresh install leaves it unchanged', () => {
    // npm adds the optional packages of other platforms on install when they are missing.
    const paths = Object.keys(lock.packages);
    for (const name of ['@esbuild/darwin-arm64', '@esbuild/win32-x64', '@rollup/rollup-win32-x64-msvc']) {
      expect(
        paths.some((path) => path.endsWith(`node_modules/${name}`)),
        name,
      ).toBe(true);
    }
  });
});
