import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { BUILT_CLIENT, startServer } from '../helpers/server';

/**
 * Bytes on the wire for a voter's first visit (the page, its assets, the service worker and its
 * precache, the 100-subject ballot) and a repeat visit, counted at the socket between Chromium
 * and the server. Baseline in the same run: the same responses' bodies uncompressed.
 * Needs `npm run build` and Debian's Chromium.
 */
export async function run(): Promise<void> {
  if (!existsSync(join(BUILT_CLIENT, 'vote.html')) || !existsSync('/usr/bin/chromium')) {
    console.log('wire bytes: skipped (needs `npm run build` and Debian\'s chromium)');
    return;
  }
  const server = await startServer({ withClient: true });
  let bytes = 0;
  const proxy = createServer((client) => {
    const upstream = connect(Number(new URL(server.url).port), '127.0.0.1');
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
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
    const logStart = server.logs.length;
    bytes = 0;
    const page = await context.newPage();
    await page.goto(`${origin}/vote#${token}`);
    await page.locator('.cards').waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await settle();
    const firstVisit = bytes;
    // Baseline: what the same responses weigh uncompressed (the files as built, the ballot's JSON).
    const served = server.logs.slice(logStart).map((line) => line.split(' ')).filter(([method, , status]) => method === 'GET' && status === '200');
    let uncompressed = ballotJson;
    for (const [, path] of served) {
      const file = path === '/vote' ? 'vote.html' : path!.replace(/^\//, '');
      try {
        if (statSync(join(BUILT_CLIENT, file)).isFile()) uncompressed += readFileSync(join(BUILT_CLIENT, file)).length;
      } catch {
        // an API GET: not a file
      }
    }

    bytes = 0;
    const again = await context.newPage();
    await again.goto(`${origin}/vote`);
    await again.locator('.cards').waitFor();
    await settle();
    const repeatVisit = bytes;
    if (process.env.WIRE_DEBUG) console.log(served.map((x) => x[1]).join('\n'));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`first visit: ${kb(firstVisit)} on the wire, headers included (goal ≤ 28 KB; issue baseline 69.6 KB); the same ${served.length + 1} responses uncompressed: ${kb(uncompressed)} (ratio ${(firstVisit / uncompressed).toFixed(2)})`);
    console.log(`repeat visit: ${kb(repeatVisit)} on the wire (goal: near zero)`);
  } finally {
    await browser.close();
    proxy.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
