import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { openDb, type Db } from '../../server/db/open';
import { sittings } from '../../server/db/schema';
import { createAssessment } from '../../server/services/subjects/assessments';
import { addSubjects } from '../../server/services/subjects/subjects';
import { appendAudit } from '../../server/services/audit/audit';
import { createBallotBox } from '../../server/services/ballot-box/ballot-box';
import { checkpointTruncate } from '../../server/services/sittings/layout';
import { closeSitting, computeResults, createSitting, openSitting } from '../../server/services/sittings/sittings';
import { issueBatch } from '../../server/services/slips/slips';
import { arrivalRho, canonical, locate, markedAnswers } from '../helpers/raw-file';

/**
 * Closing a 200 x 100 plenary on a database that already holds a province's year (100,000
 * ballots over 500 sittings), with the layout rewrite of services/layout.ts, beside a plain
 * close (tally, status, audit, checkpoint: no rewrite) of a twin sitting in the same file; and
 * the layout figure: Spearman's ρ between arrival and where each ballot's bytes lie after close.
 */
const FILLER_SITTINGS = 500;
const FILLER_BALLOTS = 200;
const FILLER_SUBJECTS = 20;
const VOTERS = 200;
const CADRES = 100;

/** A province's year of closed sittings, written straight into the tables (a fixture, not the product). */
function fillProvince(db: Db, assessmentId: number): void {
  const raw = db.$client;
  raw.pragma('synchronous = OFF');
  const insertSitting = raw.prepare(`INSERT INTO sittings (assessment_id, name, status, forms, created_at, released_ballots) VALUES (?, ?, 'closed', '[]', 0, ?)`);
  const insertBallot = raw.prepare('INSERT INTO ballots (sitting_id, id, voter_group, dry_run, answers) VALUES (?, ?, ?, 0, ?)');
  const insertReceipt = raw.prepare('INSERT INTO receipts (sitting_id, receipt, dry_run) VALUES (?, ?, 0)');
  const insertToken = raw.prepare(`INSERT INTO tokens (token_hash, sitting_id, voter_group, batch_id, dry_run, spent, dedupe_hash) VALUES (?, ?, '委员', 0, 0, 1, ?)`);
  const grades = ['excellent', 'competent', 'basic', 'incompetent'];
  raw.transaction(() => {
    for (let s = 0; s < FILLER_SITTINGS; s++) {
      const sittingId = Number(insertSitting.run(assessmentId, `filler ${s}`, FILLER_BALLOTS).lastInsertRowid);
      for (let b = 0; b < FILLER_BALLOTS; b++) {
        const subjects = Object.fromEntries(Array.from({ length: FILLER_SUBJECTS }, (_, i) => [String(100000 + i), { overall: grades[(b + i * s) % 4], loyalty: 'good', integrity: 'no' }]));
        insertBallot.run(sittingId, randomBytes(16).toString('hex'), '委员', JSON.stringify({ cadre: subjects }));
        insertReceipt.run(sittingId, randomBytes(7).toString('hex'));
        insertToken.run(randomBytes(32).toString('hex'), sittingId, randomBytes(32).toString('hex'));
      }
    }
  })();
  raw.pragma('synchronous = FULL');
  checkpointTruncate(db);
}

function plenary(db: Db, assessmentId: number, name: string): { sittingId: number; sent: Answers[] } {
  const sittingId = createSitting(db, 'bench', assessmentId, {
    name,
    forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'],
    subjectKeys: Array.from({ length: CADRES }, (_, i) => `C${i}`),
    voterGroups: [{ name: '委员', weight: 1 }],
  });
  const batch = issueBatch(db, 'bench', sittingId, '委员', VOTERS, false);
  openSitting(db, 'bench', sittingId);
  const box = createBallotBox(db);
  const definition: BallotDefinition = box.ballotFor(batch.tokens[0]!);
  const sent = batch.tokens.map((token, i) => {
    const answers = markedAnswers(definition, i);
    box.submit(token, randomUUID(), answers);
    return answers;
  });
  return { sittingId, sent };
}

/** The close as it was before the layout rewrite: tally, status, audit entry, checkpoint. */
function plainClose(db: Db, id: number): void {
  db.transaction(
    (tx) => {
      const computed = computeResults(db, id, 'closed');
      tx.update(sittings).set({ status: 'closed', closedAt: Date.now(), results: JSON.stringify(computed), flags: JSON.stringify(computed.flags) }).where(eq(sittings.id, id)).run();
      appendAudit(tx, 'bench', 'sitting.close', `sitting:${id}`, {});
    },
    { behavior: 'immediate' },
  );
  checkpointTruncate(db);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-bench-layout-'));
  try {
    const file = join(dir, 'province.sqlite');
    const db = openDb(file);
    const assessmentId = createAssessment(db, 'bench', 'province', 2026);
    addSubjects(db, 'bench', assessmentId, Array.from({ length: CADRES }, (_, i) => ({ key: `C${i}`, kind: 'cadre' as const, name: `干部${i}` })));
    let started = performance.now();
    fillProvince(db, assessmentId);
    const fillMs = performance.now() - started;
    const provinceBytes = statSync(file).size;

    const twin = plenary(db, assessmentId, 'plain close');
    started = performance.now();
    plainClose(db, twin.sittingId);
    const plainMs = performance.now() - started;

    const before = statSync(file).size;
    const measured = plenary(db, assessmentId, 'close with layout');
    started = performance.now();
    closeSitting(db, 'bench', measured.sittingId);
    const closeMs = performance.now() - started;

    const texts = (db.$client.prepare('SELECT answers FROM ballots WHERE sitting_id = ?').all(measured.sittingId) as { answers: string }[]).map((r) => r.answers);
    const byContent = new Map(texts.map((t) => [canonical(JSON.parse(t) as Answers), t]));
    const inArrival = measured.sent.map((a, i) => {
      const text = byContent.get(canonical(a));
      if (!text) throw new Error(`ballot ${i} is not stored`);
      return text;
    });
    db.$client.close();
    // The measured plenary was written after the province and its twin (whose ballots, left in
    // arrival order by the plain close, hold the same answers): its bytes lie past them, search there.
    const bytes = readFileSync(file).subarray(before);
    const rho = arrivalRho(locate(bytes, inArrival));

    console.log(`province fixture: ${FILLER_SITTINGS * FILLER_BALLOTS} ballots over ${FILLER_SITTINGS} sittings, ${(provinceBytes / 2 ** 20).toFixed(0)} MiB, built in ${(fillMs / 1000).toFixed(1)} s`);
    console.log(`close ${VOTERS} x ${CADRES} plenary on it: ${closeMs.toFixed(0)} ms with the layout rewrite (goal < 1000 ms); plain close of its twin: ${plainMs.toFixed(0)} ms; ratio ${(closeMs / plainMs).toFixed(2)}x`);
    console.log(`layout after close: Spearman rho arrival vs byte offset: head ${rho.head.toFixed(3)}, tail ${rho.tail.toFixed(3)} (goal |rho| < 0.3; before this store: 1.000)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
