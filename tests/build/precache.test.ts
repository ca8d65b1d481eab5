import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, precacheUrls, voterInitialAssets } from './voter-assets';

/** The service worker of the built client, read without a browser (run after `npm run build`; builds if missing). */
describe('the service worker precaches the voter shell', () => {
  beforeAll(() => {
    if (!existsSync(`${DIST}sw.js`)) execFileSync('npx', ['vite', 'build'], { cwd: new URL('../..', import.meta.url).pathname, stdio: 'inherit' });
  });

  it('lists vote.html, the manifest, the icons and every file the voter page loads', () => {
    const urls = precacheUrls();
    expect(urls).toContain('vote.html');
    expect(urls).toContain('manifest.webmanifest');
    expect(urls).toContain('icon-192.png');
    const { js, css } = voterInitialAssets();
    expect(js.length).toBeGreaterThan(0);
    expect(css.length).toBeGreaterThan(0);
    for (const file of [...js, ...css]) expect(urls).toContain(file);
  });

  it('also precaches the lazy voter chunks, so a ballot can be checked and queued offline', () => {
    const urls = precacheUrls();
    expect(urls.some((u) => /^assets\/validate-.*\.js$/.test(u))).toBe(true);
  });

  it('keeps the admin console, the public results page and the worker itself out of the phone', () => {
    const urls = precacheUrls();
    expect(urls).not.toContain('admin.html');
    expect(urls).not.toContain('results.html');
    expect(urls.filter((u) => u.startsWith('assets/results-'))).toEqual([]);
    expect(urls.filter((u) => u.startsWith('assets/admin-'))).toEqual([]);
    expect(urls).not.toContain('sw.js');
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
