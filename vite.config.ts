import preact from '@preact/preset-vite';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const client = resolve(import.meta.dirname, 'client');
const outDir = resolve(import.meta.dirname, 'dist/client');

/**
 * Every text file of the build also as .br and .gz (the server picks one by Accept-Encoding):
 * a hall's Wi-Fi carries the voter page compressed at the highest levels, at no cost per request.
 * Node's own zlib: no dependency. Runs last, after the service worker is written.
 */
function precompress(): Plugin {
  const compressible = /\.(html|js|css|svg|webmanifest|json)$/;
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return {
    name: 'ceping-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir).filter((f) => compressible.test(f))) {
          const bytes = readFileSync(file);
          writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
          writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        }
      },
    },
  };
}

export default defineConfig({
  root: client,
  publicDir: resolve(client, 'public'),
  build: {
    outDir,
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
    precompress(),
  ],
});
