import { defineConfig } from 'wxt';

// The capture extension (extension/): Manifest V3 for Chromium, and Firefox with `--mv3`.
export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: 'dist/extension',
  modules: ['@wxt-dev/module-react'],
  // Explicit imports only: a newcomer can follow every name to its file.
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'scripting'],
    // Sites beyond the built-in patterns are asked for when an admin configures them.
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    storage: { managed_schema: 'managed_schema.json' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'capture@pontual.app', strict_min_version: '128.0' } } }
      : {}),
  }),
});
