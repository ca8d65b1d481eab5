import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { BUILT_CLIENT, startServer, type TestServer } from '../helpers/server';

/**
 * Bytes on a hall's Wi-Fi (issue 11, acceptance 3): files are served precompressed by
 * Accept-Encoding, hashed assets are cached for a year, pages revalidate with an ETag (304),
 * and the voter's JSON over 1 KB is compressed. Raw HTTP, so nothing decompresses behind our back.
 */
let server: TestServer;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET', payload?: string): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = request(server.url + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

const voterScript = () => readdirSync(`${BUILT_CLIENT}/assets`).find((f) => /^vote-.*\.js$/.test(f))!;

beforeAll(async () => {
  server = await startServer({ withClient: true });
});
afterAll(() => server.close());

describe('serving the voter page over a weak Wi-Fi', () => {
  it('sends brotli or gzip by Accept-Encoding, the same bytes once decoded, and plain bytes otherwise', async () => {
    const file = `/assets/${voterScript()}`;
    const original = readFileSync(`${BUILT_CLIENT}${file}`);
    const br = await get(file, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
    expect(br.body.length).toBeLessThan(original.length / 2);
    const gz = await get(file, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(original)).toBe(true);
    const plain = await get(file);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it('lets a phone keep hashed assets for a year, and revalidates pages and the worker with a 304', async () => {
    const asset = await get(`/assets/${voterScript()}`, { 'Accept-Encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/vote', '/sw.js', '/manifest.webmanifest']) {
      const first = await get(path, { 'Accept-Encoding': 'br' });
      expect(first.status, path).toBe(200);
      expect(first.headers['cache-control'], path).toBe('no-cache');
      const tag = first.headers.etag as string;
      expect(tag, path).toBeTruthy();
      const again = await get(path, { 'Accept-Encoding': 'br', 'If-None-Match': tag });
      expect(again.status, path).toBe(304);
      expect(again.body.length, path).toBe(0);
    }
  });

  it('lets only the voter page use the camera (a venue tablet scans slips with it), under every address it is served at', async () => {
    for (const path of ['/vote', '/vote/', '/vote.html', '/vote?kiosk']) expect((await get(path)).headers['permissions-policy'], path).toBe('camera=(self), microphone=(), geolocation=()');
    for (const path of ['/', '/admin', '/results']) expect((await get(path)).headers['permissions-policy'], path).toMatch(/^camera=\(\)/);
    // Not the page (a JSON 404): no camera either.
    expect((await get('/vote/x')).headers['permissions-policy'] ?? '').not.toContain('camera=(self)');
  });

  it('sends a page\'s headers with pages only: scripts, stylesheets and JSON answers carry what applies to them', async () => {
    const page = await get('/vote', { 'Accept-Encoding': 'br' });
    const css = readdirSync(`${BUILT_CLIENT}/assets`).find((f) => /^vote-.*\.css$/.test(f))!;
    const subresources = [
      await get(`/assets/${voterScript()}`, { 'Accept-Encoding': 'br' }),
      await get(`/assets/${css}`, { 'Accept-Encoding': 'br' }),
      await get('/api/voter/ballot', { 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ token: 'x' })),
      await get('/api/openapi.json'),
    ];
    const windowOnly = ['x-frame-options', 'permissions-policy', 'cross-origin-opener-policy', 'referrer-policy', 'x-xss-protection'];
    for (const name of [...windowOnly, 'content-security-policy']) expect(page.headers[name], name).toBeTruthy();
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    for (const res of subresources) {
      for (const name of windowOnly) expect(res.headers[name], name).toBeUndefined();
      // Nothing runs in them or frames them if one is ever opened as a page; never sniffed as another type.
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeTruthy();
    }
    // The page's head is several times the script's, which carries its caching and type only.
    const headBytes = (res: Raw) => Object.entries(res.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    expect(headBytes(subresources[0]!)).toBeLessThan(headBytes(page) / 2);
    // The service worker's script runs under its own CSP, and keeps it.
    const worker = await get('/sw.js', { 'Accept-Encoding': 'br' });
    expect(worker.headers['content-security-policy']).toContain("script-src 'self'");
    expect(worker.headers['x-frame-options']).toBeUndefined();
  });

  it('compresses the ballot definition of a 100-subject sitting', async () => {
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    const param = { id: String(sittingId) };
    const token = (await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens[0];
    await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
    const body = JSON.stringify({ token });
    const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    const plain = await get('/api/voter/ballot', headers, 'POST', body);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await get('/api/voter/ballot', { ...headers, 'Accept-Encoding': 'gzip' }, 'POST', body);
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    // A browser offers brotli too, and gets it: smaller still.
    const br = await get('/api/voter/ballot', { ...headers, 'Accept-Encoding': 'gzip, deflate, br, zstd' }, 'POST', body);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    // Refused by q=0, brotli is not sent.
    expect((await get('/api/voter/ballot', { ...headers, 'Accept-Encoding': 'br;q=0, gzip' }, 'POST', body)).headers['content-encoding']).toBe('gzip');
    console.log(`ballot definition (100 cadres, 2 forms): ${plain.body.length} bytes plain, ${zipped.body.length} gzip, ${br.body.length} brotli`);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(br.body.length).toBeLessThan(zipped.body.length * 0.85);
  });

  it('does not compress a small answer (a refusal, a receipt)', async () => {
    const refused = await get('/api/voter/ballot', { 'Content-Type': 'application/json', 'Accept-Encoding': 'br' }, 'POST', JSON.stringify({ token: 'x' }));
    expect(refused.status).toBe(400);
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString()).error.code).toBe('invalid_request');
  });
});
