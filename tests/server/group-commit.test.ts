import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { openSqlite } from '../../server/db/sqlite-engine';
import type { BallotBox, Db } from '../../server/db/database';
import { createAssessment } from '../../server/services/subjects/assessments';
import { addSubjects } from '../../server/services/subjects/subjects';
import { createSitting, openSitting } from '../../server/services/sittings/sittings';
import { issueBatch } from '../../server/services/slips/slips';

/**
 * Group commit (issue 11, acceptance 1), seen by a second connection to the same SQLite file:
 * ballots that arrive together land in one commit, each is still checked on its own, and each
 * promise settles only once its ballot is committed.
 */
let dir: string;
let db: Db;
let reader: Database.Database;
let tokens: string[];
let definition: BallotDefinition;
let submit: BallotBox['submit'];

const commitsSeen = () => reader.pragma('data_version', { simple: true }) as number;
const ballotsSeen = () => (reader.prepare('SELECT count(*) AS n FROM ballots').get() as { n: number }).n;
const answers = (): Answers => Object.fromEntries(definition.forms.map((f) => [f.id, Object.fromEntries(f.subjects.map((s) => [String(s.id), { overall: 'competent' }]))]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ceping-group-'));
  const file = join(dir, 'db.sqlite');
  db = openSqlite(file);
  const assessmentId = await createAssessment(db, 'test', 'group commit', 2026);
  await addSubjects(db, 'test', assessmentId, [{ key: 'C1', kind: 'cadre', name: '干部1' }, { key: 'C2', kind: 'cadre', name: '干部2' }]);
  const sittingId = await createSitting(db, 'test', assessmentId, { name: 's', forms: ['cadre'], subjectKeys: ['C1', 'C2'], voterGroups: [{ name: '委员', weight: 1 }] });
  tokens = (await issueBatch(db, 'test', sittingId, '委员', 40, false)).tokens;
  await openSitting(db, 'test', sittingId);
  const box = db.$engine.ballotBox({ changed: () => {} });
  definition = await box.ballotFor(tokens[0]!);
  submit = box.submit;
  reader = new Database(file, { readonly: true });
});

afterAll(async () => {
  reader.close();
  await db.$engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('commits ballots that arrive together in one durable transaction', async () => {
    const before = commitsSeen();
    const outcomes = await Promise.all(tokens.slice(0, 20).map((token) => submit(token, randomUUID(), answers())));
    expect(outcomes.every((o) => !o.duplicate)).toBe(true);
    expect(ballotsSeen()).toBe(20);
    expect(commitsSeen() - before).toBe(1);
  });

  it('checks each ballot on its own: a refused one fails alone, the others are cast', async () => {
    const spent = tokens[0]!;
    const attempts = [
      submit(tokens[20]!, randomUUID(), answers()),
      submit(spent, randomUUID(), answers()), // a second ballot on a spent slip
      submit(tokens[21]!, randomUUID(), { cadre: { '999999': { overall: 'competent' } } }), // invalid
      submit('a'.repeat(26), randomUUID(), answers()), // unknown slip
      submit(tokens[22]!, randomUUID(), answers()),
    ];
    const settled = await Promise.allSettled(attempts);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    const codes = settled.map((s) => (s.status === 'rejected' ? (s.reason as { code: string }).code : 'cast'));
    expect(codes).toEqual(['cast', 'token_used', 'invalid_answers', 'unknown_token', 'cast']);
    expect(ballotsSeen()).toBe(22);
    // The refused invalid ballot left its slip unspent: it can still vote.
    await expect(submit(tokens[21]!, randomUUID(), answers())).resolves.toMatchObject({ duplicate: false });
  });

  it('settles each promise only once its ballot is committed, as another connection sees it', async () => {
    const seenAtResolve: number[] = [];
    const before = ballotsSeen();
    await Promise.all(tokens.slice(30, 38).map((token) => submit(token, randomUUID(), answers()).then(() => seenAtResolve.push(ballotsSeen()))));
    expect(seenAtResolve.every((n) => n === before + 8)).toBe(true);
  });

  it('keeps spend-once within a batch: 10 ballots on one slip at once give one cast', async () => {
    const token = tokens[39]!;
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => submit(token, randomUUID(), answers())));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => ((s as PromiseRejectedResult).reason as { code: string }).code)).toEqual(Array(9).fill('token_used'));
  });
});
