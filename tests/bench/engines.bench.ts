import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BallotDefinition } from '../../shared/forms';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { startServerProcess, type ServerProcess } from '../helpers/process';
import { ADMIN_PASSWORD } from '../helpers/server';
import { startBareIngest } from './memory-bare-ingest';
import { answersFor, figures, load, type Load } from './ingest.bench';

/**
 * SQLite and PostgreSQL side by side (issue 14): the same server, as `npm start` runs it, once
 * on the embedded file and once with DATABASE_URL on a Debian PostgreSQL server (a fresh
 * cluster in a temp directory, fsync and synchronous_commit on), measured in one run:
 * - ingest: the same ballot bodies (100 cadres, two forms) at 40 concurrent, after a warm-up,
 *   beside the same bare-limit baseline (bare node:http, one durable SQLite insert per ballot);
 * - close: closing that sitting (tally, scores, layout rewrite) over HTTP;
 * - grading: the demo province loaded, then graded, over HTTP.
 */
const BALLOTS = 2000;
const WARMUP = 300;

interface EngineFigures {
  ingest: Load;
  closeMs: number;
  provinceMs: number;
  gradingMs: number;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Sets a plenary up on `server`, then ingests, closes and grades; `bodies` are built once, on the first engine, and sent to both. */
async function measure(server: ServerProcess, bodies: { warm: string[]; measured: string[] } | null): Promise<{ figures: EngineFigures; bodies: { warm: string[]; measured: string[] } }> {
  const admin = await new ApiClient(server.url).login();
  const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
  const sitting = admin.api.admin.sittings[':id'];
  const param = { id: String(sittingId) };
  const tokens: string[] = [];
  while (tokens.length < BALLOTS + WARMUP) tokens.push(...(await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 1000 } }))).body.tokens);
  await admin.call(sitting.open.$post({ param }));
  const definition: BallotDefinition = (await admin.call(admin.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
  // The same answers on both engines; the tokens are each server's own.
  const answers = bodies ? bodies.measured.map((b) => JSON.parse(b).answers) : tokens.map((_, i) => answersFor(definition, i));
  const bodyOf = (token: string, i: number) => JSON.stringify({ token, submissionId: randomUUID(), answers: answers[i % answers.length] });
  const warm = tokens.slice(BALLOTS).map(bodyOf);
  const measured = tokens.slice(0, BALLOTS).map(bodyOf);
  await load(`${server.url}/api/voter/submit`, warm);
  const ingest = await load(`${server.url}/api/voter/submit`, measured);
  const closeMs = await timed(async () => {
    const res = await admin.call(sitting.close.$post({ param }));
    if (res.status !== 200) throw new Error(`close: ${res.status}`);
  });
  let currentId = 0;
  const provinceMs = await timed(async () => {
    currentId = (await admin.call(admin.api.admin['demo-province'].$post())).body.currentId;
  });
  const gradingMs = await timed(async () => {
    const res = await admin.call(admin.api.admin.assessments[':id'].grading.$post({ param: { id: String(currentId) }, json: {} }));
    if (res.status !== 201 && res.status !== 200) throw new Error(`grading: ${res.status}`);
  });
  return { figures: { ingest, closeMs, provinceMs, gradingMs }, bodies: bodies ?? { warm, measured } };
}

export async function run(): Promise<void> {
  if (!postgresAvailable()) {
    console.log('SQLite beside PostgreSQL: skipped, PostgreSQL is not installed (apt-get install postgresql; .ci/run does)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ceping-engines-'));
  let postgres: TestPostgres | undefined;
  const common = { ADMIN_PASSWORD, CEPING_DEMO: '0' };
  try {
    const onSqlite = await startServerProcess({ ...common, DB_FILE: join(dir, 'ceping.sqlite') });
    let sqlite: Awaited<ReturnType<typeof measure>>;
    try {
      sqlite = await measure(onSqlite, null);
    } finally {
      await onSqlite.stop();
    }
    const bare = await startBareIngest(join(dir, 'bare.sqlite'));
    let limit: Load;
    try {
      await load(bare.url, sqlite.bodies.warm);
      limit = await load(bare.url, sqlite.bodies.measured);
    } finally {
      await bare.stop();
    }
    postgres = await startPostgres();
    const onPostgres = await startServerProcess({ ...common, DATABASE_URL: postgres.url });
    let pg: Awaited<ReturnType<typeof measure>>;
    try {
      pg = await measure(onPostgres, sqlite.bodies);
    } finally {
      await onPostgres.stop();
    }

    const ingest = (l: Load) => {
      const f = figures([l]);
      return `${Math.round(f.perSecond)} ballots/s, p99 ${Math.round(f.p99)} ms`;
    };
    const bareRate = figures([limit]).perSecond;
    const ratio = (l: Load) => (figures([l]).perSecond / bareRate).toFixed(2);
    console.log(`engines, ${BALLOTS} ballots of 100 cadres after ${WARMUP} to warm up, 40 concurrent; the same bare-limit baseline (bare node:http, one durable SQLite insert each): ${ingest(limit)}`);
    console.log(`  ingest   SQLite ${ingest(sqlite.figures.ingest)} (${ratio(sqlite.figures.ingest)}x the bare limit) | PostgreSQL ${ingest(pg.figures.ingest)} (${ratio(pg.figures.ingest)}x)`);
    console.log(`  close    (tally, scores, layout rewrite of ${BALLOTS + WARMUP} ballots) SQLite ${sqlite.figures.closeMs.toFixed(0)} ms | PostgreSQL ${pg.figures.closeMs.toFixed(0)} ms`);
    console.log(`  province (load the demo province over HTTP) SQLite ${(sqlite.figures.provinceMs / 1000).toFixed(1)} s | PostgreSQL ${(pg.figures.provinceMs / 1000).toFixed(1)} s`);
    console.log(`  grading  (grade the demo province over HTTP) SQLite ${sqlite.figures.gradingMs.toFixed(0)} ms | PostgreSQL ${pg.figures.gradingMs.toFixed(0)} ms`);
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
