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
        globIgnores: ['admin.html', 'assets/admin-*', 'sw.js'],
      },
    }),
  ],
});
