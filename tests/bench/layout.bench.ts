import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Answers, BallotDefinition } from '../../shared/forms';
import type { Db } from '../../server/db/database';
import { openSqlite } from '../../server/db/sqlite-engine';
import { sittings } from '../../server/db/tables';
import { createAssessment } from '../../server/services/subjects/assessments';
import { addSubjects } from '../../server/services/subjects/subjects';
import { appendAudit } from '../../server/services/audit/audit';
import { checkpointTruncate } from '../../server/db/sqlite-layout';
import { closeSitting, computeResults, createSitting, getSitting, openSitting, sittingForms } from '../../server/services/sittings/sittings';
import { decodeAnswers } from '../../server/services/ballot-box/stored-answers';
import { issueBatch } from '../../server/services/slips/slips';
import { ApiClient } from '../helpers/api-client';
import { arrivalRho, canonical, locate, markedAnswers } from '../helpers/raw-file';
import { startServer } from '../helpers/server';

/**
 * Closing a 200 x 100 plenary on a database that already holds a province's year (100,000
 * ballots over 500 sittings), with the layout rewrite of services/layout.ts, beside a plain
 * close (tally, status, audit, checkpoint: no rewrite) of a twin sitting in the same file, three
 * of each, alternated; the layout figure: Spearman's ρ between arrival and where each ballot's
 * bytes lie after close; and reading the closed plenary's results over HTTP from the server
 * started on the province file, beside a bare node:http server answering the same bytes.
 *
 * Where a close's time went when a ballot was stored as ~15 KB of JSON (3 MB for the plenary;
 * 2-core VM, shared): the tally 30-45 ms with its garbage collections; the commit 31-39 ms
 * (~1,080 WAL frames, past the autocheckpoint, so three WAL fsyncs and one of the file); finding
 * the sitting's slips 17-24 ms (a scan of the province's 100,000: tokens had no index on
 * sitting_id); the rewrite and parse 21-38 ms. Since ballots are stored as one byte per answer
 * (600 bytes, server/services/ballot-box/stored-answers.ts) and slips are indexed by sitting,
 * the whole close measures 45-55 ms here, and the province file 56 MiB instead of 465 MiB.
 */
const FILLER_SITTINGS = 500;
const FILLER_BALLOTS = 200;
const FILLER_SUBJECTS = 20;
const VOTERS = 200;
const CADRES = 100;
const READS = 200;
const ROUNDS = 3;

type SqliteDb = ReturnType<typeof openSqlite>;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A province's year of closed sittings, written straight into the tables (a fixture, not the product). */
function fillProvince(db: SqliteDb, assessmentId: number): void {
  const raw = db.$file.$client;
  raw.pragma('synchronous = OFF');
  const insertSitting = raw.prepare(`INSERT INTO sittings (assessment_id, name, status, forms, created_at, released_ballots) VALUES (?, ?, 'closed', '[]', 0, ?)`);
  const insertBallot = raw.prepare('INSERT INTO ballots (sitting_id, id, voter_group, dry_run, answers) VALUES (?, ?, ?, 0, ?)');
  const insertReceipt = raw.prepare('INSERT INTO receipts (sitting_id, receipt, dry_run) VALUES (?, ?, 0)');
  const insertToken = raw.prepare(`INSERT INTO tokens (token_hash, sitting_id, voter_group, batch_id, dry_run, spent, dedupe_hash) VALUES (?, ?, '委员', 0, 0, 1, ?)`);
  raw.transaction(() => {
    for (let s = 0; s < FILLER_SITTINGS; s++) {
      const sittingId = Number(insertSitting.run(assessmentId, `filler ${s}`, FILLER_BALLOTS).lastInsertRowid);
      for (let b = 0; b < FILLER_BALLOTS; b++) {
        // As the ballot box stores a ballot (stored-answers.ts): one option digit per cell, here a
        // cadre form of 5 questions and a political form of 6 for each subject.
        const cells = Array.from({ length: FILLER_SUBJECTS * 11 }, (_, i) => String((b + i * s) % 4)).join('');
        insertBallot.run(sittingId, randomBytes(16).toString('hex'), '委员', cells);
        insertReceipt.run(sittingId, randomBytes(7).toString('hex'));
        insertToken.run(randomBytes(32).toString('hex'), sittingId, randomBytes(32).toString('hex'));
      }
    }
  })();
  raw.pragma('synchronous = FULL');
  checkpointTruncate(db.$file);
}

/** A plenary voted on; `marks` offsets the ballots' marks, so that no two plenaries store the same bytes. */
async function plenary(db: Db, assessmentId: number, name: string, marks: number): Promise<{ sittingId: number; sent: Answers[] }> {
  const sittingId = await createSitting(db, 'bench', assessmentId, {
    name,
    forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'],
    subjectKeys: Array.from({ length: CADRES }, (_, i) => `C${i}`),
    voterGroups: [{ name: '委员', weight: 1 }],
  });
  const batch = await issueBatch(db, 'bench', sittingId, '委员', VOTERS, false);
  await openSitting(db, 'bench', sittingId);
  const box = db.$engine.ballotBox({ changed: () => {} });
  const definition: BallotDefinition = await box.ballotFor(batch.tokens[0]!);
  const sent: Answers[] = [];
  for (const [i, token] of batch.tokens.entries()) {
    const answers = markedAnswers(definition, marks + i);
    await box.submit(token, randomUUID(), answers);
    sent.push(answers);
  }
  return { sittingId, sent };
}

/** The close as it was before the layout rewrite: tally, status, audit entry, checkpoint. */
async function plainClose(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const computed = await computeResults(tx, id, 'closed');
    await tx.update(sittings).set({ status: 'closed', closedAt: Date.now(), results: JSON.stringify(computed), flags: JSON.stringify(computed.flags) }).where(eq(sittings.id, id));
    await appendAudit(tx, 'bench', 'sitting.close', `sitting:${id}`, {});
  });
  db.$engine.afterClose();
}

/** `reads` sequential GETs of `url` after a warm-up: median and p99 latency in ms, and the body. */
async function timedReads(url: string, headers: Record<string, string>, reads: number): Promise<{ median: number; p99: number; body: string }> {
  let body = '';
  const read = async () => {
    const res = await fetch(url, { headers });
    body = await res.text();
    if (res.status !== 200) throw new Error(`results: ${res.status} ${body.slice(0, 200)}`);
  };
  for (let i = 0; i < 20; i++) await read();
  const ms: number[] = [];
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    await read();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(reads / 2)]!, p99: ms[Math.ceil(reads * 0.99) - 1]!, body };
}

/**
 * GET /api/admin/sittings/:id/results of the closed plenary, over HTTP from the real server
 * started on (a copy of) the province file, beside a bare node:http server answering the same
 * bytes from memory, measured in the same run.
 */
async function resultsReads(file: string, sittingId: number) {
  const server = await startServer({ restoreFrom: file });
  try {
    const admin = await new ApiClient(server.url).login();
    const ours = await timedReads(`${server.url}/api/admin/sittings/${sittingId}/results`, { Cookie: admin.cookie! }, READS);
    const bytes = Buffer.from(ours.body);
    const bare = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length }).end(bytes));
    await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
    try {
      const limit = await timedReads(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`, {}, READS);
      return { ours, limit, bytes: bytes.length };
    } finally {
      await new Promise((done) => bare.close(done));
    }
  } finally {
    await server.close();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-bench-layout-'));
  try {
    const file = join(dir, 'province.sqlite');
    const db = openSqlite(file);
    const assessmentId = await createAssessment(db, 'bench', 'province', 2026);
    await addSubjects(db, 'bench', assessmentId, Array.from({ length: CADRES }, (_, i) => ({ key: `C${i}`, kind: 'cadre' as const, name: `干部${i}` })));
    const started = performance.now();
    fillProvince(db, assessmentId);
    const fillMs = performance.now() - started;
    const provinceBytes = statSync(file).size;

    // Round 1: a plain close of a twin, then the close with the layout rewrite whose layout is
    // probed; further rounds alternate the two again, for medians on a busy machine.
    const plainMs: number[] = [];
    const closeMs: number[] = [];
    const timed = async (into: number[], close: () => Promise<unknown>) => {
      const started = performance.now();
      await close();
      into.push(performance.now() - started);
    };
    const twin = await plenary(db, assessmentId, 'plain close 1', VOTERS);
    await timed(plainMs, () => plainClose(db, twin.sittingId));
    const measured = await plenary(db, assessmentId, 'close with layout 1', 0);
    await timed(closeMs, () => closeSitting(db, 'bench', measured.sittingId));

    const texts = (db.$file.$client.prepare('SELECT answers FROM ballots WHERE sitting_id = ?').all(measured.sittingId) as { answers: string }[]).map((r) => r.answers);
    const forms = sittingForms(await getSitting(db, measured.sittingId));
    const byContent = new Map(texts.map((t) => [canonical(decodeAnswers(forms, t)), t]));
    const inArrival = measured.sent.map((a, i) => {
      const text = byContent.get(canonical(a));
      if (!text) throw new Error(`ballot ${i} is not stored`);
      return text;
    });
    // The close checkpointed and truncated the WAL: the main file is all there is.
    const rho = arrivalRho(locate(readFileSync(file), inArrival));

    for (let round = 2; round <= ROUNDS; round++) {
      const plain = await plenary(db, assessmentId, `plain close ${round}`, 2 * round * VOTERS);
      await timed(plainMs, () => plainClose(db, plain.sittingId));
      const rewritten = await plenary(db, assessmentId, `close with layout ${round}`, (2 * round + 1) * VOTERS);
      await timed(closeMs, () => closeSitting(db, 'bench', rewritten.sittingId));
    }
    const fileBytes = statSync(file).size;
    await db.$engine.close();
    const reads = await resultsReads(file, measured.sittingId);

    console.log(`province fixture: ${FILLER_SITTINGS * FILLER_BALLOTS} ballots over ${FILLER_SITTINGS} sittings, ${(provinceBytes / 2 ** 20).toFixed(0)} MiB, built in ${(fillMs / 1000).toFixed(1)} s`);
    const list = (ms: number[]) => ms.map((x) => x.toFixed(0)).join(', ');
    console.log(
      `close ${VOTERS} x ${CADRES} plenary on it: median ${median(closeMs).toFixed(0)} ms with the layout rewrite (${list(closeMs)}; goal < 100 ms); plain close of its twin (tally, status, audit, checkpoint): median ${median(plainMs).toFixed(0)} ms (${list(plainMs)}); ratio ${(median(closeMs) / median(plainMs)).toFixed(2)}x; file after the closes ${(fileBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    console.log(
      `read results of the closed plenary (${(reads.bytes / 1024).toFixed(0)} KB JSON), ${READS} GETs over HTTP: median ${reads.ours.median.toFixed(1)} ms, p99 ${reads.ours.p99.toFixed(1)} ms (goal < 20 ms); bare node:http serving the same bytes from memory: median ${reads.limit.median.toFixed(1)} ms, p99 ${reads.limit.p99.toFixed(1)} ms`,
    );
    console.log(`layout after close: Spearman rho arrival vs byte offset: head ${rho.head.toFixed(3)}, tail ${rho.tail.toFixed(3)} (goal |rho| < 0.3; before this store: 1.000)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
