import { defineConfig } from '@playwright/test';

// End-to-end tests: real Chromium (Debian's, never a downloaded one) with the built extension.
export default defineConfig({
  testDir: 'tests/e2e',
  // Two cores: one browser at a time keeps timings (compressed agent days) honest.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'off' },
});
