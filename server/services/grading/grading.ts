import { SITTING_ACTS } from '../../../shared/sitting-life';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { SubjectInputs } from '../../../shared/grading-api';
import {
  applyOverride,
  buildReport,
  DEFAULT_POLICY,
  gradeAssessment,
  validatePolicy,
  type Grade,
  type GradingPolicy,
  type GradingReport,
  type GradingResult,
} from '../../../shared/grading';
import type { Db, Queryable } from '../../db/database';
import { assessments, gradingPolicies, gradingRuns, sittings, subjectInputs, subjects } from '../../db/tables';
import { ApiError } from '../../http/errors';
import { getAssessment } from '../subjects/assessments';
import { publishSittingIn } from '../sittings/sittings';
import { appendAudit } from '../audit/audit';
import { assessmentInput } from './inputs';

/** Publishing freezes an assessment: no more inputs, grading runs or overrides. */
function assertNotPublished(assessment: { publishedRunId: number | null }): void {
  if (assessment.publishedRunId !== null) throw new ApiError(409, 'assessment_published');
}

/**
 * Upserts the entered inputs by key. The checks run inside the transaction that writes, so
 * nothing (a publication, say) comes in between: one transaction runs at a time.
 */
export async function saveSubjectInputs(db: Db, actor: string, assessmentId: number, rows: SubjectInputs[]): Promise<{ saved: number }> {
  await db.transaction(async (tx) => {
    assertNotPublished(await getAssessment(tx, assessmentId));
    const keys = [...new Set(rows.map((r) => r.key))];
    const known = new Set(
      (
        await tx
          .select({ key: subjects.key })
          .from(subjects)
          .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)))
      ).map((r) => r.key),
    );
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length > 0) throw new ApiError(400, 'unknown_subjects', { keys: missing.slice(0, 50) });
    const now = Date.now();
    for (const row of rows) {
      const inputs = JSON.stringify(row);
      await tx
        .insert(subjectInputs)
        .values({ assessmentId, subjectKey: row.key, inputs, updatedAt: now })
        .onConflictDoUpdate({ target: [subjectInputs.assessmentId, subjectInputs.subjectKey], set: { inputs, updatedAt: now } });
    }
    await appendAudit(tx, actor, 'grading.inputs', `assessment:${assessmentId}`, { subjects: rows.length });
  });
  return { saved: rows.length };
}

export async function listSubjectInputs(db: Queryable, assessmentId: number): Promise<SubjectInputs[]> {
  await getAssessment(db, assessmentId);
  // In key order, as SQLite listed them (through the primary key's index).
  const rows = await db.select().from(subjectInputs).where(eq(subjectInputs.assessmentId, assessmentId)).orderBy(asc(subjectInputs.subjectKey));
  return rows.map((r) => JSON.parse(r.inputs) as SubjectInputs);
}

/** The policy in force: the newest saved version, or the defaults of GRADING.md. */
export async function policyInForce(db: Queryable): Promise<GradingPolicy> {
  const [row] = await db.select().from(gradingPolicies).orderBy(desc(gradingPolicies.id)).limit(1);
  return row ? (JSON.parse(row.policy) as GradingPolicy) : DEFAULT_POLICY;
}

function assertValidPolicy(policy: GradingPolicy): void {
  const errors = validatePolicy(policy);
  if (errors.length > 0) throw new ApiError(400, 'invalid_policy', { errors });
}

/** Saves a new version of the policy; earlier runs keep the version they were graded under. */
export async function savePolicy(db: Db, actor: string, policy: GradingPolicy): Promise<GradingPolicy> {
  assertValidPolicy(policy);
  // The version in force is read in the transaction that saves the next one: one transaction runs at a time.
  return db.transaction(async (tx) => {
    const current = await policyInForce(tx);
    const saved = { ...policy, version: Math.max(policy.version, current.version + (current.id === policy.id ? 1 : 0)) };
    await tx.insert(gradingPolicies).values({ policy: JSON.stringify(saved), createdAt: Date.now(), createdBy: actor });
    await appendAudit(tx, actor, 'grading.policy', `policy:${saved.id}`, { version: saved.version });
    return saved;
  });
}

export interface GradingRun {
  id: number;
  assessmentId: number;
  createdAt: number;
  createdBy: string;
  policy: GradingPolicy;
  result: GradingResult;
}

function toRun(row: typeof gradingRuns.$inferSelect): GradingRun {
  return { id: row.id, assessmentId: row.assessmentId, createdAt: row.createdAt, createdBy: row.createdBy, policy: JSON.parse(row.policy), result: JSON.parse(row.result) };
}

/**
 * The committee's decisions outlive a regrade: every override of the newest run is applied
 * again to the new result (with the engine's new proposal beside it); one that no longer
 * fits (the subject is gone, or the grade is not allowed) is dropped and named.
 */
async function carryOverrides(db: Queryable, assessmentId: number, result: GradingResult): Promise<{ result: GradingResult; carried: string[]; dropped: string[] }> {
  const [previous] = await db.select({ result: gradingRuns.result }).from(gradingRuns).where(eq(gradingRuns.assessmentId, assessmentId)).orderBy(desc(gradingRuns.id)).limit(1);
  const carried: string[] = [];
  const dropped: string[] = [];
  if (!previous) return { result, carried, dropped };
  for (const subject of (JSON.parse(previous.result) as GradingResult).subjects) {
    if (!subject.override) continue;
    const outcome = applyOverride(result, subject.key, subject.override.grade, subject.override.reason);
    if (outcome.ok) {
      result = outcome.result;
      carried.push(subject.key);
    } else dropped.push(subject.key);
  }
  return { result, carried, dropped };
}

export interface GradingRunOutcome extends GradingRun {
  carriedOverrides: string[];
  droppedOverrides: string[];
}

/**
 * Runs the grading model over the assessment and stores the run with its policy and inputs.
 * Inputs, the previous run's overrides and the new run are read and written in one
 * transaction (one runs at a time), so no override or publication falls in between.
 */
export async function runGrading(db: Db, actor: string, assessmentId: number, given?: GradingPolicy): Promise<GradingRunOutcome> {
  return db.transaction(async (tx) => {
    const policy = given ?? (await policyInForce(tx));
    const assessment = await getAssessment(tx, assessmentId);
    assertNotPublished(assessment);
    assertValidPolicy(policy);
    const { input, problems } = await assessmentInput(tx, assessment);
    if (problems.length > 0) throw new ApiError(422, 'grading_inputs_invalid', { problems: problems.slice(0, 100) });
    const { result, carried, dropped } = await carryOverrides(tx, assessmentId, gradeAssessment(input, policy));
    const [row] = await tx
      .insert(gradingRuns)
      .values({ assessmentId, policy: JSON.stringify(policy), input: JSON.stringify(input), result: JSON.stringify(result), createdAt: Date.now(), createdBy: actor })
      .returning();
    const run = toRun(row!);
    await appendAudit(tx, actor, 'grading.run', `assessment:${assessmentId}`, { runId: run.id, policy: `${policy.id}@${policy.version}`, subjects: result.subjects.length, carriedOverrides: carried, droppedOverrides: dropped });
    return { ...run, carriedOverrides: carried, droppedOverrides: dropped };
  });
}

/** The published run, or else the newest. */
export async function currentRun(db: Queryable, assessmentId: number): Promise<GradingRun> {
  const assessment = await getAssessment(db, assessmentId);
  const [row] =
    assessment.publishedRunId !== null
      ? await db.select().from(gradingRuns).where(eq(gradingRuns.id, assessment.publishedRunId)).limit(1)
      : await db.select().from(gradingRuns).where(eq(gradingRuns.assessmentId, assessmentId)).orderBy(desc(gradingRuns.id)).limit(1);
  if (!row) throw new ApiError(409, 'not_graded');
  return toRun(row);
}

/**
 * An admin's change of a grade, with its required reason, recorded in the run and the audit log.
 * The run is read and rewritten in one transaction (one runs at a time): two overrides at once
 * both land.
 */
export async function overrideGrade(db: Db, actor: string, assessmentId: number, subjectKey: string, grade: Grade, reason: string): Promise<GradingRun> {
  return db.transaction(async (tx) => {
    assertNotPublished(await getAssessment(tx, assessmentId));
    const run = await currentRun(tx, assessmentId);
    const outcome = applyOverride(run.result, subjectKey, grade, reason);
    if (!outcome.ok) {
      const { code } = outcome.error;
      if (code === 'subject_not_found') throw new ApiError(404, 'unknown_subject', { subjectKey });
      throw new ApiError(422, code, { subjectKey });
    }
    const before = run.result.subjects.find((s) => s.key === subjectKey)!;
    await tx.update(gradingRuns).set({ result: JSON.stringify(outcome.result) }).where(eq(gradingRuns.id, run.id));
    await appendAudit(tx, actor, 'grading.override', `assessment:${assessmentId}`, { runId: run.id, subjectKey, proposed: before.proposedGrade, from: before.finalGrade, to: grade, reason: reason.trim() });
    return { ...run, result: outcome.result };
  });
}

/** The published result of the assessment of the year before, if any: the report's comparison. */
/** The published result of the year before: what the report's §7 change compares against. */
export async function previousYearResult(db: Queryable, year: number): Promise<GradingResult | undefined> {
  const previous = (
    await db
      .select({ runId: assessments.publishedRunId })
      .from(assessments)
      .where(eq(assessments.year, year - 1))
      .orderBy(asc(assessments.id))
  ).find((a) => a.runId !== null);
  if (!previous?.runId) return undefined;
  const [row] = await db.select({ result: gradingRuns.result }).from(gradingRuns).where(eq(gradingRuns.id, previous.runId)).limit(1);
  return row ? (JSON.parse(row.result) as GradingResult) : undefined;
}

export async function reportFor(db: Queryable, assessmentId: number): Promise<GradingReport> {
  return reportForRun(db, await currentRun(db, assessmentId));
}

/** The report of a given run (what reportFor gives for the run currentRun names). */
export async function reportForRun(db: Queryable, run: GradingRun): Promise<GradingReport> {
  const previous = await previousYearResult(db, run.result.year);
  return buildReport(run.result, previous ? { previous } : {});
}

/**
 * Freezes grades, policy and scores, and publishes the aggregates. The checks and the
 * publication run in one transaction (one runs at a time): no sitting opens and no run is
 * added in between.
 */
export async function publishAssessment(db: Db, actor: string, assessmentId: number): Promise<GradingRun> {
  return db.transaction(async (tx) => {
    assertNotPublished(await getAssessment(tx, assessmentId));
    const open = await tx
      .select({ id: sittings.id })
      .from(sittings)
      .where(and(eq(sittings.assessmentId, assessmentId), inArray(sittings.status, SITTING_ACTS.vote)))
      .orderBy(asc(sittings.id));
    if (open.length > 0) throw new ApiError(409, 'invalid_state', { openSittings: open.map((s) => s.id) });
    const run = await currentRun(tx, assessmentId);
    await tx.update(assessments).set({ publishedRunId: run.id }).where(eq(assessments.id, assessmentId));
    const closed = await tx
      .select({ id: sittings.id })
      .from(sittings)
      .where(and(eq(sittings.assessmentId, assessmentId), inArray(sittings.status, SITTING_ACTS.publish)))
      .orderBy(asc(sittings.id));
    for (const { id } of closed) await publishSittingIn(tx, db, actor, id);
    await appendAudit(tx, actor, 'grading.publish', `assessment:${assessmentId}`, { runId: run.id });
    return run;
  });
}

/** What the public sees: counts per grade per category and the change on last year; no subject rows. */
export async function publishedAggregates(db: Queryable, assessmentId: number) {
  const assessment = await getAssessment(db, assessmentId);
  if (assessment.publishedRunId === null) throw new ApiError(404, 'not_published');
  const report = await reportFor(db, assessmentId);
  return {
    assessment: { id: assessment.id, name: assessment.name, year: assessment.year },
    policy: { id: report.policyId, version: report.policyVersion },
    groups: report.groups.map((g) => ({ id: g.group.id, zh: g.group.zh, en: g.group.en, total: g.total, counts: g.counts, excellentShare: g.excellentShare, ...(g.change ? { change: g.change } : {}) })),
  };
}
