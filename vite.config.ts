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
    testTimeout: 60_000,
    // Starting PGlite takes seconds, more while the machine is busy.
    hookTimeout: 60_000,
    globalSetup: ['server/testing/global-setup.ts'],
  },
});
