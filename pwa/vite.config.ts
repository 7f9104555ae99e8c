import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const OUT_DIR = join(import.meta.dirname, '../dist/pwa');

/**
 * Writes `.br` and `.gz` beside each text asset once, at build: the server sends them as they are
 * (`preCompressed`), so the first load transfers a fraction of the bytes at no cost per request.
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|webmanifest|json|ttf)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'pontual-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      handler() {
        for (const path of walk(OUT_DIR).filter((file) => compressible.test(file))) {
          const content = readFileSync(path);
          writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
          writeFileSync(
            `${path}.br`,
            brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          );
        }
      },
    },
  };
}

/** The supervisors' app, built into `dist/pwa`, which `pontual serve` serves on its own origin. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [
    react(),
    precompress(),
    VitePWA({
      // The page asks before a new version takes over (workbox-window, see `pwa/src/app/update.ts`).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Pontual — reports',
        short_name: 'Pontual',
        description: 'Contact-center activity reports, computed on your own machine.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f8fa',
        theme_color: '#0b5c8a',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Every chunk, the workers and exporters included: a report must run offline.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz/],
        cleanupOutdatedCaches: true,
        // The transcript PDF's fonts (workers/transcript-fonts.ts) are not precached with the app:
        // fetched the first time a ticket-detail PDF is written, then kept for offline runs.
        runtimeCaching: [
          {
            urlPattern: /\.ttf$/,
            handler: 'CacheFirst',
            options: { cacheName: 'pdf-fonts', expiration: { maxEntries: 8 } },
          },
        ],
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': process.env.PONTUAL_API ?? 'http://127.0.0.1:8787' },
  },
});
