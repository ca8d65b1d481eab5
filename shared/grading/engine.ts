import { actionsFor } from './actions';
import { scoreSheet } from './composite';
import { evaluatorSpreads } from './discrimination';
import { lowerGrade } from './glossary';
import { quotaShare, type GradingPolicy } from './policy';
import { groupByPool, poolIdOf } from './pools';
import { excellenceBars } from './rules/bars';
import { bandGrade } from './rules/bands';
import { downgradeReasons } from './rules/downgrades';
import { forcedGrade } from './rules/forced';
import { holdReasons } from './rules/holds';
import { allocateQuota, quotaSize, type QuotaCandidate } from './rules/quota';
import { voteFlags } from './rules/vote-flags';
import type {
  AssessmentInput, Grade, GradingResult, InputIssue, PoolSummary, Reason, ScoreSheet, Subject, SubjectResult, VoteFlag,
} from './types';

/** One subject after rules 1-6, waiting for its pool's quota. */
interface Draft {
  subject: Subject;
  poolId: string;
  scores: ScoreSheet;
  provisional: Grade;
  grade: Grade;
  /** 优秀-eligible after bars: ranked in the quota. */
  candidate: boolean;
  /** A forced 优秀 that survived the bars: takes a quota slot before the ranking. */
  forcedExcellent: boolean;
  reasons: Reason[];
  flags: VoteFlag[];
}

/** Rules §5.1-§5.6 for one subject, in the spec's order; each rule that fires adds its reason. */
function draft(subject: Subject, team: Subject | undefined, teamGrade: Grade | undefined, policy: GradingPolicy): Draft {
  const scores = scoreSheet(subject.kind, subject.components, subject.povertyResult, policy);
  const band = bandGrade(subject.kind, scores.composite, policy);
  const base = {
    subject, poolId: poolIdOf(subject), scores, provisional: band.grade,
    candidate: false, forcedExcellent: false, flags: voteFlags(subject.components.democratic, policy),
  };
  const holds = holdReasons(subject, policy);
  if (holds.length > 0) return { ...base, grade: 'undetermined', reasons: [...holds, band.reason] };

  // Final forced grades (a poverty county's result, 保持一致 [seed]; a sanction) skip the later rules.
  const forced = forcedGrade(subject, team, policy);
  if (forced?.final === true) return { ...base, grade: forced.grade, reasons: [forced.reason, band.reason] };

  const downgrades = downgradeReasons(subject);
  const bars = excellenceBars(subject, teamGrade, policy);
  const barred = downgrades.length + bars.length > 0;
  const reasons = [...(forced ? [forced.reason] : []), ...downgrades, ...bars, band.reason];
  if (forced !== undefined) {
    // A principal of a county rated 好 is 优秀 "in principle": the bars still apply.
    if (!barred) return { ...base, grade: 'excellent', forcedExcellent: true, reasons };
    return { ...base, grade: lowerGrade(subject.kind, 'excellent', 1), reasons };
  }
  let grade = lowerGrade(subject.kind, band.grade, downgrades.length * policy.downgradeSteps);
  if (grade === 'excellent' && barred) grade = lowerGrade(subject.kind, grade, 1);
  return { ...base, grade, candidate: grade === 'excellent', reasons };
}

/** §5.7 The quota of each pool: forced 优秀 first, then the ranked eligible. */
function applyQuotas(drafts: Draft[], policy: GradingPolicy): PoolSummary[] {
  const summaries: PoolSummary[] = [];
  for (const [poolId, members] of groupByPool(drafts)) {
    const share = quotaShare(policy, poolId);
    const quota = quotaSize(members.length, share);
    const taken = members.filter((d) => d.forcedExcellent).length;
    const candidates = members.filter((d) => d.candidate);
    const byKey = new Map(candidates.map((d) => [d.subject.key, d]));
    const ranked: QuotaCandidate[] = candidates.map((d) => ({
      key: d.subject.key,
      composite: d.scores.composite ?? 0,
      excellentRate: d.subject.components.democratic?.excellentRate ?? 0,
      routine: d.scores.components.routine ?? 0,
    }));
    for (const outcome of allocateQuota(ranked, quota, taken)) {
      const d = byKey.get(outcome.key);
      if (d === undefined) continue;
      d.reasons.push(outcome.reason);
      if (!outcome.excellent) d.grade = lowerGrade(d.subject.kind, 'excellent', 1);
    }
    const excellent = members.filter((d) => d.grade === 'excellent').length;
    summaries.push({ id: poolId, size: members.length, share, quota, excellent, eligible: candidates.length });
  }
  return summaries;
}

function toResult(d: Draft, policy: GradingPolicy): SubjectResult {
  const { subject } = d;
  return {
    key: subject.key, kind: subject.kind, name: subject.name, category: subject.category, type: subject.type,
    ...(subject.role !== undefined ? { role: subject.role } : {}),
    ...(subject.teamKey !== undefined ? { teamKey: subject.teamKey } : {}),
    povertyCounty: subject.povertyCounty === true,
    poolId: d.poolId, scores: d.scores, provisionalGrade: d.provisional, proposedGrade: d.grade, finalGrade: d.grade,
    reasons: d.reasons, voteFlags: d.flags, actions: actionsFor(subject.kind, d.grade, d.scores, policy),
  };
}

function inputIssues(subjects: readonly Subject[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  for (const s of subjects) {
    if (seen.has(s.key)) issues.push({ code: 'duplicate_key', subjectKey: s.key });
    seen.add(s.key);
    if (s.kind === 'cadre' && s.role === undefined) issues.push({ code: 'cadre_without_role', subjectKey: s.key });
    const c = s.components;
    const none = c.routine === undefined && c.performance === undefined && c.democratic === undefined
      && c.departmentEvaluations === undefined && c.superior === undefined && c.plenary === undefined;
    if (none && !(s.kind === 'team' && s.povertyResult !== undefined)) issues.push({ code: 'no_component_scores', subjectKey: s.key });
  }
  return issues;
}

/**
 * Grade one assessment under a policy (§5). Teams first, so that a principal can be barred
 * by the grade of the team; then cadres. Pure: the same input and policy give the same result.
 */
export function gradeAssessment(input: AssessmentInput, policy: GradingPolicy): GradingResult {
  const teams = input.subjects.filter((s) => s.kind === 'team');
  const cadres = input.subjects.filter((s) => s.kind === 'cadre');
  const teamByKey = new Map(teams.map((t) => [t.key, t]));

  const teamDrafts = teams.map((t) => draft(t, undefined, undefined, policy));
  const pools = applyQuotas(teamDrafts, policy);
  const teamGrade = new Map(teamDrafts.map((d) => [d.subject.key, d.grade]));

  const cadreDrafts = cadres.map((c) => {
    const key = c.teamKey;
    return draft(c, key === undefined ? undefined : teamByKey.get(key), key === undefined ? undefined : teamGrade.get(key), policy);
  });
  pools.push(...applyQuotas(cadreDrafts, policy));

  const byKey = new Map([...teamDrafts, ...cadreDrafts].map((d) => [d.subject.key, d]));
  const subjects: SubjectResult[] = [];
  for (const s of input.subjects) {
    const d = byKey.get(s.key);
    if (d !== undefined && d.subject === s) subjects.push(toResult(d, policy));
  }
  return {
    assessmentId: input.id, year: input.year, policyId: policy.id, policyVersion: policy.version,
    subjects, pools, evaluators: evaluatorSpreads(input.subjects, policy), issues: inputIssues(input.subjects),
  };
}
