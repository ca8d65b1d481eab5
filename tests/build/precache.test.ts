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

  it('also precaches the lazy voter chunk (the submission check, workbox-window), so a ballot can be checked and queued offline', () => {
    const urls = precacheUrls();
    const lazy = voterLazyAssets();
    expect(lazy.length).toBeGreaterThan(0);
    for (const file of lazy) expect(urls).toContain(file);
    const lazyCode = lazy.map((f) => readFileSync(DIST + f, 'utf8')).join('\n');
    expect(lazyCode).toContain('$ZodType');
    expect(lazyCode).toContain('workbox:window');
    // zod stays off the first paint.
    for (const file of voterInitialAssets().js) expect(readFileSync(DIST + file, 'utf8'), file).not.toContain('$ZodType');
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
