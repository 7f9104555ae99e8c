import { defineConfig } from 'wxt';

// The capture extension (extension/): Manifest V3 for Chromium, and Firefox with `--mv3`.
export default defineConfig({
  srcDir: 'extension',
  outDir: 'dist/extension',
  modules: ['@wxt-dev/module-react'],
  // Explicit imports only: a newcomer can follow every name to its file.
  imports: false,
  manifestVersion: 3,
  manifest: {
    name: 'Pontual',
    description: 'Records agents’ logins, breaks and logouts on the attendance screen for Pontual reports.',
    default_locale: 'en',
  },
});
