import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'server/**/*.test.ts',
      'workers/**/*.test.ts',
      'extension/**/*.test.ts',
      'pwa/**/*.test.ts',
      'tests/*.test.ts',
    ],
    // Most tests wait on a database or a child process, so two files at a time on two cores
    // use the machine (one at a time left a core idle: the unit tests took 10 min, not 7).
    maxWorkers: 2,
    testTimeout: 60_000,
    // Starting PGlite takes seconds, more while the machine is busy.
    hookTimeout: 60_000,
    globalSetup: ['server/testing/global-setup.ts'],
  },
});
