import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServer } from '../helpers/server';

/**
 * Plenary ingest over HTTP: 3,000 ballots of 100 cadres (cadre + political forms, ~7 KB bodies)
 * sent 40 at a time to the real server, beside the per-ballot durable limit measured in the same
 * run: a bare node:http server that parses the JSON and runs one prepared insert per ballot in
 * its own immediate transaction, WAL and synchronous=FULL.
 */
const BALLOTS = 3000;
const CONCURRENCY = 40;

function answersFor(definition: BallotDefinition, seed: number): Answers {
  const out: Answers = {};
  for (const form of definition.forms) {
    out[form.id] = Object.fromEntries(form.subjects.map((s, i) => [String(s.id), Object.fromEntries(form.questions.map((q, j) => [q.id, q.options[1 + ((seed + i + j) % (q.options.length - 1))]!.value]))]));
  }
  return out;
}

async function load(url: string, bodies: string[]): Promise<{ perSecond: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`ingest: ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: bodies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

function bareLimit(file: string): Promise<Server> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE ballots (id TEXT PRIMARY KEY, answers TEXT NOT NULL) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO ballots VALUES (?, ?)');
  const once = db.transaction((id: string, json: string) => insert.run(id, json));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { answers: Answers };
      once.immediate(randomUUID(), JSON.stringify(body.answers));
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"receipt":"X"}');
    });
  });
  server.on('close', () => db.close());
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-ingest-'));
  const server = await startServer();
  try {
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    const sitting = admin.api.admin.sittings[':id'];
    const param = { id: String(sittingId) };
    const tokens: string[] = [];
    while (tokens.length < BALLOTS) tokens.push(...(await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 1000 } }))).body.tokens);
    await admin.call(sitting.open.$post({ param }));
    const definition: BallotDefinition = (await admin.call(admin.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
    const bodies = tokens.slice(0, BALLOTS).map((token, i) => JSON.stringify({ token, submissionId: randomUUID(), answers: answersFor(definition, i) }));

    const bare = await bareLimit(join(dir, 'bare.sqlite'));
    const limit = await load(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, bodies);
    bare.close();
    const ours = await load(`${server.url}/api/voter/submit`, bodies);
    console.log(`ingest: ${BALLOTS} ballots (${Math.round(bodies[0]!.length / 1024)} KB bodies) at ${CONCURRENCY} concurrent: ${Math.round(ours.perSecond)} ballots/s, p99 ${Math.round(ours.p99)} ms`);
    console.log(`per-ballot durable limit (bare node:http, one immediate transaction each): ${Math.round(limit.perSecond)} /s, p99 ${Math.round(limit.p99)} ms; ratio ${(ours.perSecond / limit.perSecond).toFixed(2)} (goal >= 1.0)`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
