import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, precacheEntries, precacheUrls, voterInitialAssets, voterLazyAssets } from './voter-assets';

/** The service worker of the built client, read without a browser (run after `npm run build`; builds if missing). */
describe('the service worker precaches the voter shell', () => {
  beforeAll(() => {
    if (!existsSync(`${DIST}sw.js`)) execFileSync('npx', ['vite', 'build'], { cwd: new URL('../..', import.meta.url).pathname, stdio: 'inherit' });
  });

  it('lists the voter page under the address it is opened at, and every file the page loads', () => {
    const urls = precacheUrls();
    // /vote, not vote.html: the worker then reuses the page's own first load from the HTTP cache.
    expect(urls).toContain('vote');
    const { js, css } = voterInitialAssets();
    expect(js.length).toBeGreaterThan(0);
    expect(css.length).toBeGreaterThan(0);
    for (const file of [...js, ...css]) expect(urls).toContain(file);
  });

  it('revisions the page by the SHA-256 of its bytes, which the worker checks against the HTTP cache', () => {
    const page = precacheEntries().find((e) => e.url === 'vote')!;
    expect(page.revision).toBe(createHash('sha256').update(readFileSync(`${DIST}vote.html`)).digest('hex').slice(0, 32));
    const sw = readFileSync(`${DIST}sw.js`, 'utf8');
    expect(sw).toContain('force-cache');
    expect(sw).toContain('SHA-256');
  });

  it('keeps zod and hono\'s client off the phone: the submission check and workbox-window are in the page itself', () => {
    const initial = voterInitialAssets().js.map((f) => readFileSync(DIST + f, 'utf8')).join('\n');
    // The contract's check, written by hand (shared/submission-check.ts), and workbox-window arrive with the first paint.
    expect(initial).toContain('ffffffff-ffff-ffff-ffff-ffffffffffff');
    expect(initial).toContain('workbox:window');
    // Nothing a phone downloads (the page, its lazy chunks but the kiosk's, the worker) holds zod or hono's client.
    const phone = [...voterInitialAssets().js, ...voterLazyAssets().filter((f) => !/kiosk/.test(f)), 'sw.js'];
    for (const file of phone) {
      const code = readFileSync(DIST + file, 'utf8');
      expect(code, file).not.toContain('$ZodType');
      expect(code, file).not.toContain('WebSocket'); // hono's client (its $ws); the voter never opens one
    }
  });

  it('precaches nothing else: no icon, no web manifest (the browser fetches those itself), no other page, not the worker', () => {
    const urls = precacheUrls();
    const { js, css } = voterInitialAssets();
    expect(urls.sort()).toEqual(['vote', ...js, ...css, ...voterLazyAssets()].sort());
    for (const other of ['vote.html', 'index.html', 'admin.html', 'results.html', 'sw.js', 'manifest.webmanifest', 'icon.svg', 'icon-192.png']) expect(urls).not.toContain(other);
  });

  it('builds the voter page apart from the admin console: no chunk is shared', () => {
    const voter = new Set([...Object.values(voterInitialAssets()).flat(), ...voterLazyAssets()]);
    for (const page of ['admin.html', 'results.html', 'index.html']) {
      const { js, css } = voterInitialAssets(DIST, page);
      for (const file of [...js, ...css]) expect(voter.has(file), `${page}: ${file}`).toBe(false);
    }
  });

  it('keeps delivering the outbox from the worker (Background Sync) and lets the page decide when to update', () => {
    const sw = readFileSync(`${DIST}sw.js`, 'utf8');
    expect(sw).toContain('ceping-outbox');
    expect(sw).toContain('SKIP_WAITING');
  });

  it('ships a manifest that makes the ballot installable', () => {
    const manifest = JSON.parse(readFileSync(`${DIST}manifest.webmanifest`, 'utf8'));
    expect(manifest.start_url).toBe('/vote');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) expect(existsSync(DIST + icon.src.replace(/^\//, ''))).toBe(true);
    expect(readFileSync(`${DIST}vote.html`, 'utf8')).toContain('rel="manifest"');
  });
});
