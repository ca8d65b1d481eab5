import { SITTING_ACTS } from '../../../shared/sitting-life';
import { and, desc, eq, inArray } from 'drizzle-orm';
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
import type { Db } from '../../db/open';
import { assessments, gradingPolicies, gradingRuns, sittings, subjectInputs, subjects } from '../../db/schema';
import { ApiError } from '../../http/errors';
import { getAssessment } from '../subjects/assessments';
import { publishSittingIn } from '../sittings/sittings';
import { appendAudit } from '../audit/audit';
import { assessmentInput } from './inputs';

/** Publishing freezes an assessment: no more inputs, grading runs or overrides. */
function assertNotPublished(assessment: { publishedRunId: number | null }): void {
  if (assessment.publishedRunId !== null) throw new ApiError(409, 'assessment_published');
}

export function saveSubjectInputs(db: Db, actor: string, assessmentId: number, rows: SubjectInputs[]): { saved: number } {
  assertNotPublished(getAssessment(db, assessmentId));
  const keys = [...new Set(rows.map((r) => r.key))];
  const known = new Set(
    db
      .select({ key: subjects.key })
      .from(subjects)
      .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)))
      .all()
      .map((r) => r.key),
  );
  const missing = keys.filter((k) => !known.has(k));
  if (missing.length > 0) throw new ApiError(400, 'unknown_subjects', { keys: missing.slice(0, 50) });
  db.transaction(
    (tx) => {
      const now = Date.now();
      for (const row of rows) {
        const inputs = JSON.stringify(row);
        tx.insert(subjectInputs)
          .values({ assessmentId, subjectKey: row.key, inputs, updatedAt: now })
          .onConflictDoUpdate({ target: [subjectInputs.assessmentId, subjectInputs.subjectKey], set: { inputs, updatedAt: now } })
          .run();
      }
      appendAudit(tx, actor, 'grading.inputs', `assessment:${assessmentId}`, { subjects: rows.length });
    },
    { behavior: 'immediate' },
  );
  return { saved: rows.length };
}

export function listSubjectInputs(db: Db, assessmentId: number): SubjectInputs[] {
  getAssessment(db, assessmentId);
  return db
    .select()
    .from(subjectInputs)
    .where(eq(subjectInputs.assessmentId, assessmentId))
    .all()
    .map((r) => JSON.parse(r.inputs) as SubjectInputs);
}

/** The policy in force: the newest saved version, or the defaults of GRADING.md. */
export function policyInForce(db: Db): GradingPolicy {
  const row = db.select().from(gradingPolicies).orderBy(desc(gradingPolicies.id)).limit(1).get();
  return row ? (JSON.parse(row.policy) as GradingPolicy) : DEFAULT_POLICY;
}

function assertValidPolicy(policy: GradingPolicy): void {
  const errors = validatePolicy(policy);
  if (errors.length > 0) throw new ApiError(400, 'invalid_policy', { errors });
}

/** Saves a new version of the policy; earlier runs keep the version they were graded under. */
export function savePolicy(db: Db, actor: string, policy: GradingPolicy): GradingPolicy {
  assertValidPolicy(policy);
  const current = policyInForce(db);
  const saved = { ...policy, version: Math.max(policy.version, current.version + (current.id === policy.id ? 1 : 0)) };
  db.transaction(
    (tx) => {
      tx.insert(gradingPolicies).values({ policy: JSON.stringify(saved), createdAt: Date.now(), createdBy: actor }).run();
      appendAudit(tx, actor, 'grading.policy', `policy:${saved.id}`, { version: saved.version });
    },
    { behavior: 'immediate' },
  );
  return saved;
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
function carryOverrides(db: Db, assessmentId: number, result: GradingResult): { result: GradingResult; carried: string[]; dropped: string[] } {
  const previous = db.select({ result: gradingRuns.result }).from(gradingRuns).where(eq(gradingRuns.assessmentId, assessmentId)).orderBy(desc(gradingRuns.id)).limit(1).get();
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

/** Runs the grading model over the assessment and stores the run with its policy and inputs. */
export function runGrading(db: Db, actor: string, assessmentId: number, policy: GradingPolicy = policyInForce(db)): GradingRunOutcome {
  const assessment = getAssessment(db, assessmentId);
  assertNotPublished(assessment);
  assertValidPolicy(policy);
  const { input, problems } = assessmentInput(db, assessment);
  if (problems.length > 0) throw new ApiError(422, 'grading_inputs_invalid', { problems: problems.slice(0, 100) });
  const { result, carried, dropped } = carryOverrides(db, assessmentId, gradeAssessment(input, policy));
  const id = db.transaction(
    (tx) => {
      const { id } = tx
        .insert(gradingRuns)
        .values({ assessmentId, policy: JSON.stringify(policy), input: JSON.stringify(input), result: JSON.stringify(result), createdAt: Date.now(), createdBy: actor })
        .returning({ id: gradingRuns.id })
        .get();
      appendAudit(tx, actor, 'grading.run', `assessment:${assessmentId}`, { runId: id, policy: `${policy.id}@${policy.version}`, subjects: result.subjects.length, carriedOverrides: carried, droppedOverrides: dropped });
      return id;
    },
    { behavior: 'immediate' },
  );
  return { ...toRun(db.select().from(gradingRuns).where(eq(gradingRuns.id, id)).get()!), carriedOverrides: carried, droppedOverrides: dropped };
}

/** The published run, or else the newest. */
export function currentRun(db: Db, assessmentId: number): GradingRun {
  const assessment = getAssessment(db, assessmentId);
  const row =
    assessment.publishedRunId !== null
      ? db.select().from(gradingRuns).where(eq(gradingRuns.id, assessment.publishedRunId)).get()
      : db.select().from(gradingRuns).where(eq(gradingRuns.assessmentId, assessmentId)).orderBy(desc(gradingRuns.id)).limit(1).get();
  if (!row) throw new ApiError(409, 'not_graded');
  return toRun(row);
}

/** An admin's change of a grade, with its required reason, recorded in the run and the audit log. */
export function overrideGrade(db: Db, actor: string, assessmentId: number, subjectKey: string, grade: Grade, reason: string): GradingRun {
  assertNotPublished(getAssessment(db, assessmentId));
  const run = currentRun(db, assessmentId);
  const outcome = applyOverride(run.result, subjectKey, grade, reason);
  if (!outcome.ok) {
    const { code } = outcome.error;
    if (code === 'subject_not_found') throw new ApiError(404, 'unknown_subject', { subjectKey });
    throw new ApiError(422, code, { subjectKey });
  }
  const before = run.result.subjects.find((s) => s.key === subjectKey)!;
  db.transaction(
    (tx) => {
      tx.update(gradingRuns).set({ result: JSON.stringify(outcome.result) }).where(eq(gradingRuns.id, run.id)).run();
      appendAudit(tx, actor, 'grading.override', `assessment:${assessmentId}`, { runId: run.id, subjectKey, proposed: before.proposedGrade, from: before.finalGrade, to: grade, reason: reason.trim() });
    },
    { behavior: 'immediate' },
  );
  return { ...run, result: outcome.result };
}

/** The published result of the assessment of the year before, if any: the report's comparison. */
/** The published result of the year before: what the report's §7 change compares against. */
export function previousYearResult(db: Db, year: number): GradingResult | undefined {
  const previous = db
    .select({ runId: assessments.publishedRunId })
    .from(assessments)
    .where(eq(assessments.year, year - 1))
    .all()
    .find((a) => a.runId !== null);
  if (!previous?.runId) return undefined;
  const row = db.select({ result: gradingRuns.result }).from(gradingRuns).where(eq(gradingRuns.id, previous.runId)).get();
  return row ? (JSON.parse(row.result) as GradingResult) : undefined;
}

export function reportFor(db: Db, assessmentId: number): GradingReport {
  const run = currentRun(db, assessmentId);
  const previous = previousYearResult(db, run.result.year);
  return buildReport(run.result, previous ? { previous } : {});
}

/** Freezes grades, policy and scores, and publishes the aggregates. */
export function publishAssessment(db: Db, actor: string, assessmentId: number): GradingRun {
  assertNotPublished(getAssessment(db, assessmentId));
  const open = db.select({ id: sittings.id }).from(sittings).where(and(eq(sittings.assessmentId, assessmentId), inArray(sittings.status, SITTING_ACTS.vote))).all();
  if (open.length > 0) throw new ApiError(409, 'invalid_state', { openSittings: open.map((s) => s.id) });
  const run = currentRun(db, assessmentId);
  db.transaction(
    (tx) => {
      tx.update(assessments).set({ publishedRunId: run.id }).where(eq(assessments.id, assessmentId)).run();
      const closed = tx.select({ id: sittings.id }).from(sittings).where(and(eq(sittings.assessmentId, assessmentId), inArray(sittings.status, SITTING_ACTS.publish))).all();
      for (const { id } of closed) publishSittingIn(tx, db, actor, id);
      appendAudit(tx, actor, 'grading.publish', `assessment:${assessmentId}`, { runId: run.id });
    },
    { behavior: 'immediate' },
  );
  return run;
}

/** What the public sees: counts per grade per category and the change on last year; no subject rows. */
export function publishedAggregates(db: Db, assessmentId: number) {
  const assessment = getAssessment(db, assessmentId);
  if (assessment.publishedRunId === null) throw new ApiError(404, 'not_published');
  const report = reportFor(db, assessmentId);
  return {
    assessment: { id: assessment.id, name: assessment.name, year: assessment.year },
    policy: { id: report.policyId, version: report.policyVersion },
    groups: report.groups.map((g) => ({ id: g.group.id, zh: g.group.zh, en: g.group.en, total: g.total, counts: g.counts, excellentShare: g.excellentShare, ...(g.change ? { change: g.change } : {}) })),
  };
}
