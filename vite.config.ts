import preact from '@preact/preset-vite';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const client = resolve(import.meta.dirname, 'client');
// CEPING_BUILD_DIR: a build of one's own (parallel work on one tree must not rebuild another's dist/client mid-test).
const outDir = process.env.CEPING_BUILD_DIR ? resolve(process.env.CEPING_BUILD_DIR) : resolve(import.meta.dirname, 'dist/client');

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

/**
 * jsQR (the kiosk's QR decoder) ships as a webpack UMD file. Read as CommonJS it needs Rolldown's
 * interop helpers in the kiosk chunks, which the voter's lazy chunk needs too: Rolldown then puts
 * them in a chunk of their own, one more request on every phone's first visit. Its factory is
 * called here as an ES module's default export instead: the same code, no CommonJS.
 */
function jsqrAsEsm(): Plugin {
  const UMD_HEAD = /^\(function webpackUniversalModuleDefinition\(root, factory\) \{[\s\S]*?\}\)\(typeof self !== 'undefined' \? self : this, function\(\) \{\n/;
  return {
    name: 'ceping-jsqr-esm',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]jsqr[\\/]dist[\\/]jsQR\.js$/.test(id)) return null;
      if (!UMD_HEAD.test(code) || !/\}\);\s*$/.test(code)) throw new Error('jsqr: not the UMD file this build expects (vite.config.ts jsqrAsEsm)');
      return { code: code.replace(UMD_HEAD, 'export default (function() {\n').replace(/\}\);\s*$/, '})();\n'), map: null };
    },
  };
}

/**
 * The voter page as a build of its own, into the same folder, before the service worker is
 * built from what it wrote. Built with the other pages, vote.html would share chunks with the
 * admin console (preact, the error texts, the contract's schemas): more files per phone, each
 * with its ~1 KB of response headers, code only the console uses inside them, and a new hash
 * for the phone to download whenever the console changes. On its own it is two files, its
 * script and its stylesheet. The shared tablet's code (`/vote?kiosk`) and its QR decoder are
 * two more chunks, loaded only by a kiosk; the worker keeps them out of the phones' precache
 * (client/sw/sw.ts).
 */
function voterPage(): Plugin {
  let mode = 'production';
  return {
    name: 'ceping-voter-page',
    apply: 'build',
    configResolved(config) {
      mode = config.mode;
    },
    closeBundle: {
      order: 'pre',
      sequential: true,
      async handler() {
        await build({
          configFile: false,
          root: client,
          mode,
          publicDir: false,
          logLevel: 'warn',
          plugins: [preact(), jsqrAsEsm()],
          // workbox-window's package points bundlers at its ES5 build (5.8 KB, with transpiled
          // async helpers); its ES2017 build is the same code in 3.3 KB, and every browser the
          // voter page supports runs it (it needs service workers, which came later than ES2017).
          resolve: { alias: { 'workbox-window': resolve(import.meta.dirname, 'node_modules/workbox-window/build/workbox-window.prod.mjs') } },
          build: {
            outDir,
            emptyOutDir: false,
            // No modulepreload polyfill or links: the kiosk's chunks need nothing but the entry, already loaded.
            modulePreload: false,
            // Downloaded by every phone on its first visit: terser with more passes, as for the worker below.
            minify: 'terser',
            terserOptions: { module: true, ecma: 2020, compress: { passes: 3 } },
            rollupOptions: {
              input: { vote: resolve(client, 'vote.html') },
              output: {
                // The shared tablet's code (client/vote/kiosk/kiosk.tsx, /vote?kiosk) and its QR
                // decoder are chunks of their own, loaded only there and kept out of the phones'
                // precache by the worker, which knows them by these names (client/sw/sw.ts).
                chunkFileNames: (chunk) => (/[\\/]node_modules[\\/]jsqr[\\/]/.test(chunk.facadeModuleId ?? '') ? 'assets/kiosk-decoder-[hash].js' : 'assets/[name]-[hash].js'),
              },
            },
          },
        });
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
      // vote.html is built on its own: see voterPage().
      input: {
        index: resolve(client, 'index.html'),
        admin: resolve(client, 'admin.html'),
        results: resolve(client, 'results.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8787' } },
  plugins: [
    preact(),
    voterPage(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      // The worker is downloaded by every phone on its first visit: terser with more passes
      // takes ~3% more off it than the default minifier (measured: 7.66 KB -> 7.43 KB brotli).
      integration: {
        configureCustomSWViteBuild(config) {
          config.build = { ...config.build, minify: 'terser', terserOptions: { module: true, ecma: 2020, compress: { passes: 3 } } };
        },
      },
      injectManifest: {
        // The voter's shell only: vote.html and the assets it can load. Not the admin console
        // (online-only), not the landing page, and not the icons or the web manifest: the
        // browser fetches those itself when it installs the app (online). Precaching them and
        // the landing page sent every phone ~17 KB more on its first visit (measured by
        // tests/bench/wire-bytes.bench.ts). The favicon is inline in vote.html (a data: URL).
        globPatterns: ['vote.html', 'assets/*.{js,css}'],
        // Of the assets, only what the voter page can load (static and dynamic imports from
        // vote.html): chunks of the admin console and the other pages never reach the phone.
        // The kiosk's chunks are listed too, but the worker precaches them only on a kiosk.
        manifestTransforms: [
          async (entries) => {
            const { createHash } = await import('node:crypto');
            const { existsSync, readFileSync } = await import('node:fs');
            const reachable = new Set<string>();
            const queue = ['vote.html'];
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
            const manifest = entries
              .filter((e) => !e.url.startsWith('assets/') || reachable.has(e.url))
              .map((e) => {
                if (e.revision === null) return e; // named by its hash: the URL is the revision
                // A file that keeps its name: the revision is the SHA-256 of its bytes (a prefix),
                // which the worker checks against the copy already in the HTTP cache (client/sw/sw.ts).
                const revision = createHash('sha256').update(readFileSync(resolve(outDir, e.url))).digest('hex').slice(0, 32);
                // vote.html under the address the page is opened at (/vote, served as vote.html):
                // the page's own first load is then the precache's copy, not a second download.
                return { ...e, url: e.url === 'vote.html' ? 'vote' : e.url, revision };
              });
            return { manifest, warnings: [] };
          },
        ],
      },
    }),
    precompress(),
  ],
});
