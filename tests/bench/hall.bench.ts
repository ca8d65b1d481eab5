import autocannon from 'autocannon';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { voterInitialAssets, voterLazyAssets } from '../build/voter-assets';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { BUILT_CLIENT, startServer } from '../helpers/server';

/**
 * A hall's first minute (issue 11): 1,000 phones each open the voter page — /vote, every file
 * it loads (its script and stylesheet), /sw.js and the web manifest — and then
 * fetch their 100-subject ballot (POST /api/voter/ballot, each phone its own slip), all with
 * `Accept-Encoding: br, gzip`. Driven by autocannon (a request sequence per connection, one
 * phone after another on each, 100 phones loading at once), against the real server with the
 * built client and SQLite. Reports p99 latency per request and overall, the wall time for all
 * 1,000 phones and the bytes per phone on the wire (headers included), beside a baseline in the
 * same run: a bare node:http server answering the very same bytes from memory. The load runs in
 * a worker thread (this file again), so that it does not share the server's event loop; each
 * target gets a warm-up round first. The server serves a copy of dist/client taken at the
 * start, so a build running meanwhile cannot pull files from under it.
 * Needs `npm run build`.
 */
const PHONES = 1000;
const AT_ONCE = 100;
const GOAL_P99_MS = 300;
const GOAL_WALL_S = 10;

interface Step {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
}

interface Recorded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Run {
  wallMs: number;
  latencies: number[][];
  bytes: number[];
  failures: string[];
}

/** What one phone asks for, in order, as the browser would (the page's own loads, then the worker's and the ballot). */
function phone(dist: string): Step[] {
  const encoding = { 'accept-encoding': 'br, gzip' };
  const { js, css } = voterInitialAssets(dist);
  return [
    { name: 'page /vote', method: 'GET', path: '/vote', headers: { ...encoding, accept: 'text/html' } },
    // Not the kiosk's chunks: a phone never loads them (tests/voter/kiosk.test.ts shows it).
    ...[...js, ...css, ...voterLazyAssets(dist).filter((file) => !/\/kiosk/.test(file))].map((file): Step => ({ name: `asset ${file.replace(/^assets\//, '')}`, method: 'GET', path: `/${file}`, headers: encoding })),
    { name: 'worker /sw.js', method: 'GET', path: '/sw.js', headers: { ...encoding, 'service-worker': 'script' } },
    { name: 'manifest', method: 'GET', path: '/manifest.webmanifest', headers: encoding },
    { name: 'ballot (POST)', method: 'POST', path: '/api/voter/ballot', headers: { ...encoding, 'content-type': 'application/json' } },
  ];
}

/** One raw exchange with the real server, nothing decoded: what the baseline will send back byte for byte. */
function record(base: string, step: Step, body?: string): Promise<Recorded> {
  return new Promise((done, fail) => {
    const req = request(base + step.path, { method: step.method, headers: step.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** The baseline: node:http answering every step with the recorded status, headers and body, from memory. */
async function bareServer(answers: Map<string, Recorded>): Promise<Server> {
  const hop = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  const server = createServer((req, res) => {
    const answer = answers.get(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !hop.has(k)));
      res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length }).end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

interface Job {
  url: string;
  steps: Step[];
  tokens: string[];
  phones: number;
}

/**
 * The load generator's thread: this file again, loaded through tsx's API (a worker does not
 * inherit the parent's loader). `run(job)` sends it one hall and waits for its figures.
 */
function loadGenerator(): { run(job: Job): Promise<Run>; close(): Promise<number> } {
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((api) => api.register()).then(() => import(${JSON.stringify(import.meta.url)}));`, { eval: true, workerData: { hallWorker: true } });
  return {
    run: (job) =>
      new Promise((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
        worker.postMessage(job);
      }),
    close: () => worker.terminate(),
  };
}

/** In the worker: autocannon with the phone's sequence, every answer's latency and bytes recorded by step. */
function generate(url: string, steps: Step[], tokens: string[], phones: number): Promise<Run> {
  const latencies = steps.map((): number[] => []);
  const bytes = steps.map(() => 0);
  const failures: string[] = [];
  let next = 0;
  // autocannon calls a request's onResponse just before it emits 'response' for that same
  // response: that tells which step of the sequence each latency belongs to.
  let step = -1;
  const started = performance.now();
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections: AT_ONCE,
        pipelining: 1,
        amount: phones * steps.length,
        timeout: 20,
        requests: steps.map((s, i) => ({
          method: s.method,
          path: s.path,
          headers: s.headers,
          ...(s.method === 'POST' ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ token: tokens[next++ % tokens.length] }) }) } : {}),
          onResponse: () => {
            step = i;
          },
        })),
      },
      (error, result) => {
        if (error) return fail(error);
        if (result.errors > 0 || result.timeouts > 0) failures.push(`${result.errors} errors, ${result.timeouts} timeouts`);
        done({ wallMs: performance.now() - started, latencies, bytes, failures });
      },
    );
    instance.on('response', (_client, status, resBytes, ms) => {
      latencies[step]!.push(ms);
      bytes[step]! += resBytes;
      if (status !== 200 && failures.length < 5) failures.push(`${steps[step]!.name}: HTTP ${status}`);
    });
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
};
const p99 = (values: number[]) => quantile(values, 0.99);

if (!isMainThread && (workerData as { hallWorker?: boolean } | null)?.hallWorker) {
  parentPort!.on('message', (job: Job) => void generate(job.url, job.steps, job.tokens, job.phones).then((run) => parentPort!.postMessage(run)));
}

export async function run(): Promise<void> {
  if (!existsSync(join(BUILT_CLIENT, 'vote.html'))) {
    console.log('hall: skipped (needs `npm run build`)');
    return;
  }
  const dist = `${mkdtempSync(join(tmpdir(), 'ceping-hall-'))}/`;
  cpSync(BUILT_CLIENT, dist, { recursive: true });
  const server = await startServer({ clientDir: dist });
  let bare: Server | undefined;
  let generator: ReturnType<typeof loadGenerator> | undefined;
  try {
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    const param = { id: String(sittingId) };
    const issued = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ param, json: { voterGroup: '委员', count: PHONES + 1 } }));
    if (issued.status !== 201) throw new Error(`tokens: ${issued.status}`);
    const opened = await admin.call(admin.api.admin.sittings[':id'].open.$post({ param }));
    if (opened.status !== 200) throw new Error(`open: ${opened.status}`);
    const [spare, ...tokens] = issued.body.tokens as [string, ...string[]];

    const steps = phone(dist);
    const answers = new Map<string, Recorded>();
    for (const s of steps) {
      const answer = await record(server.url, s, s.method === 'POST' ? JSON.stringify({ token: spare }) : undefined);
      if (answer.status !== 200) throw new Error(`${s.name}: HTTP ${answer.status}`);
      answers.set(`${s.method} ${s.path}`, answer);
    }
    bare = await bareServer(answers);

    // Warm-up rounds (not counted), then the baseline and the real server: the same sequence, connections and amount.
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    generator = loadGenerator();
    await generator.run({ url: bareUrl, steps, tokens, phones: AT_ONCE });
    await generator.run({ url: server.url, steps, tokens, phones: AT_ONCE });
    const baseline = await generator.run({ url: bareUrl, steps, tokens, phones: PHONES });
    const real = await generator.run({ url: server.url, steps, tokens, phones: PHONES });

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(`${PHONES} phones, ${AT_ONCE} loading at once, ${steps.length} requests each (Accept-Encoding: br, gzip); p99 latency, server vs baseline (bare node:http, same bytes from memory):`);
    for (const [i, s] of steps.entries()) {
      const [r, b] = [real.latencies[i]!, baseline.latencies[i]!];
      console.log(`  ${s.name.padEnd(30)} p99 ${ms(p99(r)).padStart(9)} (p50 ${ms(quantile(r, 0.5)).padStart(8)})  baseline p99 ${ms(p99(b)).padStart(8)} (p50 ${ms(quantile(b, 0.5)).padStart(7)})  ${String(Math.round(real.bytes[i]! / PHONES)).padStart(6)} B/phone, ${r.length} answers`);
    }
    const all = (r: Run) => r.latencies.flat();
    const perPhone = (r: Run) => r.bytes.reduce((a, b) => a + b, 0) / PHONES;
    console.log(`overall p99: ${ms(p99(all(real)))} (goal < ${GOAL_P99_MS} ms: ${p99(all(real)) < GOAL_P99_MS ? 'OK' : 'OVER'}); baseline ${ms(p99(all(baseline)))}`);
    console.log(`wall time for all ${PHONES} phones: ${(real.wallMs / 1000).toFixed(2)} s (goal ≤ ${GOAL_WALL_S} s: ${real.wallMs <= GOAL_WALL_S * 1000 ? 'OK' : 'OVER'}); baseline ${(baseline.wallMs / 1000).toFixed(2)} s; ${Math.round((all(real).length / real.wallMs) * 1000)} req/s vs ${Math.round((all(baseline).length / baseline.wallMs) * 1000)} req/s`);
    console.log(`bytes per phone on the wire (headers included): ${(perPhone(real) / 1024).toFixed(1)} KB; baseline ${(perPhone(baseline) / 1024).toFixed(1)} KB (the same bytes by construction)`);
    for (const [name, r] of [['server', real], ['baseline', baseline]] as const) if (r.failures.length > 0) console.log(`  ${name} FAILURES: ${r.failures.join('; ')}`);
  } finally {
    await generator?.close();
    await new Promise((done) => (bare ? bare.close(done) : done(undefined)));
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

if (isMainThread && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
