import preact from '@preact/preset-vite';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const client = resolve(import.meta.dirname, 'client');

export default defineConfig({
  root: client,
  publicDir: resolve(client, 'public'),
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(client, 'index.html'),
        vote: resolve(client, 'vote.html'),
        admin: resolve(client, 'admin.html'),
        results: resolve(client, 'results.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8787' } },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        // The voter's shell only: the admin console is online-only and stays out of the phone's cache.
        globPatterns: ['**/*.{html,js,css,webmanifest,png,svg}'],
        globIgnores: ['admin.html', 'results.html', 'assets/admin-*', 'assets/results-*', 'sw.js'],
        // Of the assets, only what the voter's pages can load (static and dynamic imports from
        // vote.html and index.html): chunks split off the admin console never reach the phone.
        manifestTransforms: [
          async (entries) => {
            const { existsSync, readFileSync } = await import('node:fs');
            const outDir = resolve(import.meta.dirname, 'dist/client');
            const reachable = new Set<string>();
            const queue = ['vote.html', 'index.html'];
            while (queue.length > 0) {
              const file = queue.pop()!;
              const text = readFileSync(resolve(outDir, file), 'utf8');
              for (const [, ref] of text.matchAll(/["'`(/]((?:\/?assets\/|\.\/)?[\w.-]+\.(?:js|css))["'`)]/g)) {
                const asset = `assets/${ref!.split('/').pop()}`;
                if (!reachable.has(asset) && existsSync(resolve(outDir, asset))) {
                  reachable.add(asset);
                  if (asset.endsWith('.js')) queue.push(asset);
                }
              }
            }
            return { manifest: entries.filter((e) => !e.url.startsWith('assets/') || reachable.has(e.url)), warnings: [] };
          },
        ],
      },
    }),
  ],
});
