import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { BUILT_CLIENT, startServer } from '../helpers/server';

/** One HTTP/1.1 exchange as the socket carried it: the response's head and body bytes. */
export interface WireResponse {
  method: string;
  path: string;
  /** Who asked (Sec-Fetch-Dest; `serviceworker` for the worker script, `empty` for fetch()). */
  dest: string;
  status: number;
  encoding: string;
  head: number;
  body: number;
}

/**
 * Splits the two directions of one keep-alive connection into exchanges: request heads (and
 * bodies, by Content-Length) on the way up, response heads and bodies (Content-Length or
 * chunked) on the way down. Bytes are counted as they arrive, framing included.
 */
class Http1Tap {
  private up = Buffer.alloc(0);
  private down = Buffer.alloc(0);
  private pending: { method: string; path: string; dest: string }[] = [];
  private upSkip = 0;

  constructor(private readonly out: WireResponse[]) {}

  fromClient(chunk: Buffer): void {
    this.up = Buffer.concat([this.up, chunk]);
    for (;;) {
      if (this.upSkip > 0) {
        const n = Math.min(this.upSkip, this.up.length);
        this.up = this.up.subarray(n);
        this.upSkip -= n;
        if (this.upSkip > 0) return;
      }
      const end = this.up.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.up.subarray(0, end).toString('latin1').split('\r\n');
      this.up = this.up.subarray(end + 4);
      const [method = '?', target = '?'] = lines[0]!.split(' ');
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      this.pending.push({ method, path: target, dest: header('sec-fetch-dest') ?? (header('service-worker') ? 'serviceworker' : '-') });
      this.upSkip = Number(header('content-length') ?? 0);
    }
  }

  fromServer(chunk: Buffer): void {
    this.down = Buffer.concat([this.down, chunk]);
    for (;;) {
      const end = this.down.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.down.subarray(0, end).toString('latin1').split('\r\n');
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      const status = Number(lines[0]!.split(' ')[1]);
      const request = this.pending[0] ?? { method: '?', path: '?', dest: '-' };
      let body: number;
      if (status === 304 || status === 204 || request.method === 'HEAD') body = 0;
      else if (header('transfer-encoding')?.includes('chunked')) {
        const size = this.chunkedLength(end + 4);
        if (size < 0) return;
        body = size;
      } else body = Number(header('content-length') ?? 0);
      if (this.down.length < end + 4 + body) return;
      this.down = this.down.subarray(end + 4 + body);
      this.pending.shift();
      this.out.push({ ...request, status, encoding: header('content-encoding') ?? '-', head: end + 4, body });
    }
  }

  /** Bytes of a complete chunked body starting at `from` (framing included), or -1 if not all here yet. */
  private chunkedLength(from: number): number {
    let at = from;
    for (;;) {
      const eol = this.down.indexOf('\r\n', at);
      if (eol < 0) return -1;
      const size = parseInt(this.down.subarray(at, eol).toString('latin1'), 16);
      at = eol + 2 + size + 2;
      if (at > this.down.length) return -1;
      if (size === 0) return at - from;
    }
  }
}

/**
 * Bytes on the wire for a voter's first visit (the page, its assets, the service worker and its
 * precache, the 100-subject ballot) and a repeat visit, counted at the socket between Chromium
 * and the server, with each response listed (who asked, status, encoding, head and body bytes).
 * Baseline in the same run: the same responses' bodies uncompressed. The server serves a copy of
 * dist/client taken at the start, so a build running meanwhile cannot pull files from under it.
 * Needs `npm run build` and Debian's Chromium.
 */
export async function run(): Promise<void> {
  if (!existsSync(join(BUILT_CLIENT, 'vote.html')) || !existsSync('/usr/bin/chromium')) {
    console.log('wire bytes: skipped (needs `npm run build` and Debian\'s chromium)');
    return;
  }
  const dist = mkdtempSync(join(tmpdir(), 'ceping-wire-'));
  cpSync(BUILT_CLIENT, dist, { recursive: true });
  const server = await startServer({ clientDir: dist });
  let bytes = 0;
  let responses: WireResponse[] = [];
  const proxy = createServer((client) => {
    const tap = new Http1Tap(responses);
    const upstream = connect(Number(new URL(server.url).port), '127.0.0.1');
    client.on('data', (chunk: Buffer) => {
      tap.fromClient(chunk);
      upstream.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      tap.fromServer(chunk);
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'] });
  try {
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    const sitting = admin.api.admin.sittings[':id'];
    const param = { id: String(sittingId) };
    const token = (await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 5 } }))).body.tokens[0]!;
    await admin.call(sitting.open.$post({ param }));
    const ballotJson = JSON.stringify((await admin.call(admin.api.voter.ballot.$post({ json: { token } }))).body).length;

    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const settle = () => new Promise((r) => setTimeout(r, 800));
    bytes = 0;
    responses.length = 0;
    const page = await context.newPage();
    await page.goto(`${origin}/vote#${token}`);
    await page.locator('.cards').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await settle();
    const firstVisit = bytes;
    const first = responses;
    responses = [];

    // Baseline: what the same responses weigh uncompressed (the files as built, the ballot's JSON).
    const fileOf = (path: string) => {
      const pathname = new URL(path, origin).pathname;
      const file = pathname === '/vote' || pathname === '/vote/' ? 'vote.html' : pathname === '/' ? 'index.html' : pathname.replace(/^\//, '');
      try {
        return statSync(join(dist, file)).isFile() ? readFileSync(join(dist, file)).length : undefined;
      } catch {
        return undefined; // an API call: not a file
      }
    };
    let uncompressed = 0;
    for (const r of first) if (r.status === 200) uncompressed += r.path === '/api/voter/ballot' ? ballotJson : (fileOf(r.path) ?? r.body);

    bytes = 0;
    const again = await context.newPage();
    await again.goto(`${origin}/vote`);
    await again.locator('.cards').waitFor();
    await settle();
    const repeatVisit = bytes;

    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const table = (list: WireResponse[]) => {
      const rows = list.map((r) => `  ${r.method.padEnd(4)} ${r.path.slice(0, 52).padEnd(52)} ${r.dest.padEnd(14)} ${String(r.status).padEnd(3)} ${r.encoding.padEnd(4)} head ${String(r.head).padStart(4)} + body ${String(r.body).padStart(6)} = ${String(r.head + r.body).padStart(6)}`);
      const heads = list.reduce((s, r) => s + r.head, 0);
      const bodies = list.reduce((s, r) => s + r.body, 0);
      return [...rows, `  ${list.length} responses: heads ${heads} + bodies ${bodies} = ${heads + bodies} bytes`].join('\n');
    };
    console.log(`first visit, each response at the socket:\n${table(first)}`);
    if (first.reduce((s, r) => s + r.head + r.body, 0) !== firstVisit) console.log(`  (the socket carried ${firstVisit} bytes in all: some exchange was not parsed)`);
    console.log(`first visit: ${kb(firstVisit)} on the wire, headers included (goal ≤ 28 KB; issue baseline 69.6 KB); the same ${first.filter((r) => r.status === 200).length} responses uncompressed: ${kb(uncompressed)} (ratio ${(firstVisit / uncompressed).toFixed(2)})`);
    if (responses.length > 0) console.log(`repeat visit, each response at the socket:\n${table(responses)}`);
    console.log(`repeat visit: ${kb(repeatVisit)} on the wire (goal: near zero)`);
  } finally {
    await browser.close();
    proxy.close();
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
