import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Answers, BallotForm } from '../../shared/forms';
import { openSqlite } from '../../server/db/sqlite-engine';
import { createAssessment } from '../../server/services/subjects/assessments';
import { addSubjects } from '../../server/services/subjects/subjects';
import { decodeAnswers } from '../../server/services/ballot-box/stored-answers';
import { closeSitting, createSitting, openSitting } from '../../server/services/sittings/sittings';
import { issueBatch } from '../../server/services/slips/slips';

/**
 * The ballot box on a real SQLite file (WAL, synchronous=FULL): how many ballots a second it
 * accepts for a plenary (200 voters x 100 cadres, cadre + political forms), against a baseline
 * of bare durable inserts of the same rows measured in the same run; and how long closing and
 * scoring that sitting takes.
 */
function answersFor(forms: BallotForm[], seed: number): Answers {
  const out: Answers = {};
  for (const form of forms) {
    out[form.id] = Object.fromEntries(
      form.subjects.map((s, i) => [String(s.id), Object.fromEntries(form.questions.map((q, j) => [q.id, q.options[(seed + i + j) % q.options.length]!.value]).filter(([, v]) => v !== 'excellent' || i % 4 === 0))]),
    );
  }
  return out;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-bench-'));
  try {
    const db = openSqlite(join(dir, 'bench.sqlite'));
    const assessmentId = await createAssessment(db, 'bench', 'bench', 2026);
    await addSubjects(db, 'bench', assessmentId, Array.from({ length: 100 }, (_, i) => ({ key: `C${i}`, kind: 'cadre' as const, name: `干部${i}` })));
    const sittingId = await createSitting(db, 'bench', assessmentId, {
      name: 'bench',
      forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'],
      subjectKeys: Array.from({ length: 100 }, (_, i) => `C${i}`),
      voterGroups: [{ name: '委员', weight: 1 }],
    });
    const batch = await issueBatch(db, 'bench', sittingId, '委员', 200, false);
    await openSitting(db, 'bench', sittingId);
    const box = db.$engine.ballotBox({ changed: () => {} });
    const forms = (await box.ballotFor(batch.tokens[0]!)).forms;
    const ballots = batch.tokens.map((token, i) => ({ token, answers: answersFor(forms, i) }));

    let started = performance.now();
    for (const b of ballots) await box.submit(b.token, randomUUID(), b.answers);
    const submitMs = performance.now() - started;

    // Baseline: the same rows written by bare prepared inserts, one durable transaction each.
    const raw = db.$file.$client;
    raw.exec('CREATE TABLE baseline (id TEXT PRIMARY KEY, answers TEXT NOT NULL) WITHOUT ROWID');
    const insert = raw.prepare('INSERT INTO baseline VALUES (?, ?)');
    const once = raw.transaction((id: string, json: string) => insert.run(id, json));
    started = performance.now();
    for (const b of ballots) once.immediate(randomUUID(), JSON.stringify(b.answers));
    const baselineMs = performance.now() - started;

    started = performance.now();
    const results = await closeSitting(db, 'bench', sittingId);
    const closeMs = performance.now() - started;
    started = performance.now();
    for (const row of raw.prepare('SELECT answers FROM ballots').all() as { answers: string }[]) decodeAnswers(forms, row.answers);
    const parseMs = performance.now() - started;
    raw.close();

    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
    console.log(`submit: ${ballots.length} ballots in ${submitMs.toFixed(0)} ms = ${perSecond(ballots.length, submitMs)} ballots/s (a plenary needs ~2/s)`);
    console.log(`baseline bare durable insert: ${perSecond(ballots.length, baselineMs)} rows/s; submit costs ${(submitMs / baselineMs).toFixed(2)}x the baseline`);
    console.log(`close + score ${results.ballots} ballots x 100 cadres: ${closeMs.toFixed(0)} ms (baseline: reading and decoding the ballots alone ${parseMs.toFixed(0)} ms, ratio ${(closeMs / parseMs).toFixed(1)}x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
