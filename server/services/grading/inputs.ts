import { SITTING_ACTS } from '../../../shared/sitting-life';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { SubjectInputs } from '../../../shared/grading-api';
import type { AssessmentInput, Category, DemocraticTest, Subject, SubjectType } from '../../../shared/grading';
import type { Queryable } from '../../db/database';
import { sittings, subjectInputs, subjects } from '../../db/tables';
import type { SittingResults } from '../../../shared/sitting';

/**
 * Builds the grading engine's input from what the database holds: the subjects, their entered
 * component scores and facts, and the test scores of the assessment's closed sittings.
 */

const CATEGORY_ALIASES: Record<string, Category> = {
  city: 'city', 市州: 'city', 市: 'city', 州: 'city',
  department: 'department', 省直部门: 'department', 部门: 'department',
  institution: 'institution', 事业单位: 'institution',
  enterprise: 'enterprise', 国有企业: 'enterprise', 企业: 'enterprise',
  county: 'county', 县区: 'county', 县: 'county', '县(市、区)': 'county',
};

const TYPE_ALIASES: Record<string, SubjectType> = {
  第一类型: 'city_1', 第二类型: 'city_2', 第三类型: 'city_3',
  综合部门: 'dept_comprehensive', 经济工作部门: 'dept_economic', 社会发展部门: 'dept_social', 其他部门: 'dept_other',
  高校科研院所: 'inst_university', 其他事业单位: 'inst_other',
  工商类: 'ent_industry', 金融类: 'ent_finance', 文化类: 'ent_culture',
  贫困县: 'poverty_county', 县: 'county',
};
const TYPE_CODES = new Set<string>(['city_1', 'city_2', 'city_3', 'dept_comprehensive', 'dept_economic', 'dept_social', 'dept_other', 'inst_university', 'inst_other', 'ent_industry', 'ent_finance', 'ent_culture', 'poverty_county', 'county']);

export function categoryOf(text: string | null): Category | undefined {
  return text ? CATEGORY_ALIASES[text.trim()] : undefined;
}

export function typeOf(text: string | null): SubjectType | undefined {
  if (!text) return undefined;
  const t = text.trim();
  return TYPE_CODES.has(t) ? (t as SubjectType) : TYPE_ALIASES[t];
}

export interface InputProblem {
  key: string;
  problem: 'unknown_category' | 'unknown_type';
}

interface TestScores {
  democratic?: DemocraticTest;
  politicalQuality?: number;
}

/** Test scores per subject id from every closed sitting, weighted by valid answers across sittings. */
async function testScores(db: Queryable, assessmentId: number): Promise<Map<number, TestScores>> {
  // In id order: the sums below add up in the same order on every engine.
  const closed = await db
    .select({ results: sittings.results })
    .from(sittings)
    .where(and(eq(sittings.assessmentId, assessmentId), inArray(sittings.status, SITTING_ACTS.readResults)))
    .orderBy(asc(sittings.id));
  const sums = new Map<number, { w: number; score: number; ex: number; ok: number; inc: number; pw: number; pq: number }>();
  for (const { results } of closed) {
    if (!results) continue;
    const tally = JSON.parse(results) as SittingResults;
    // Only the stored scores are read (hidden groups already pooled); a withheld sitting has none to give.
    if (tally.void || tally.withheld) continue;
    for (const form of tally.forms) {
      for (const subject of form.subjects) {
        const valid = subject.questions[0]?.valid ?? 0;
        if (valid === 0) continue;
        const acc = sums.get(subject.id) ?? { w: 0, score: 0, ex: 0, ok: 0, inc: 0, pw: 0, pq: 0 };
        const s = subject.scores;
        if (form.kind === 'political' && s.politicalScore != null) {
          acc.pw += valid;
          acc.pq += valid * s.politicalScore;
        } else if (s.democraticScore != null) {
          acc.w += valid;
          acc.score += valid * s.democraticScore;
          acc.ex += valid * (s.excellentRate ?? 0);
          acc.ok += valid * (s.competentOrAboveRate ?? 0);
          acc.inc += valid * (s.incompetentRate ?? 0);
        }
        sums.set(subject.id, acc);
      }
    }
  }
  const out = new Map<number, TestScores>();
  for (const [id, a] of sums) {
    const t: TestScores = {};
    if (a.w > 0) t.democratic = { score: a.score / a.w, excellentRate: a.ex / a.w, competentOrAboveRate: a.ok / a.w, incompetentRate: a.inc / a.w };
    if (a.pw > 0) t.politicalQuality = a.pq / a.pw;
    out.set(id, t);
  }
  return out;
}

/** The engine's subject from a stored subject, its entered inputs and its test scores. */
function engineSubject(
  row: typeof subjects.$inferSelect,
  inputs: SubjectInputs | undefined,
  scores: TestScores | undefined,
  category: Category,
  type: SubjectType,
): Subject {
  const components: Subject['components'] = {};
  if (inputs?.routine) components.routine = { quarterly: inputs.routine };
  if (inputs?.performance !== undefined || inputs?.performanceIndicators) {
    components.performance = {
      ...(inputs.performance !== undefined ? { score: inputs.performance } : {}),
      ...(inputs.performanceIndicators ? { indicators: inputs.performanceIndicators } : {}),
    };
  }
  if (inputs?.departmentEvaluations) components.departmentEvaluations = inputs.departmentEvaluations;
  if (inputs?.superior !== undefined) components.superior = inputs.superior;
  if (inputs?.plenary !== undefined) components.plenary = inputs.plenary;
  const democratic = scores?.democratic ?? inputs?.democratic;
  if (democratic) components.democratic = democratic;
  const political = scores?.politicalQuality ?? inputs?.politicalQuality;
  if (political !== undefined) components.politicalQuality = political;
  const subject: Subject = { key: row.key, kind: row.kind, name: row.name, category, type, components };
  if (row.teamKey) subject.teamKey = row.teamKey;
  if (row.role) subject.role = row.role;
  if (inputs?.povertyCounty !== undefined) subject.povertyCounty = inputs.povertyCounty;
  if (inputs?.povertyResult) subject.povertyResult = inputs.povertyResult;
  if (inputs?.facts) subject.facts = inputs.facts;
  return subject;
}

export async function assessmentInput(db: Queryable, assessment: { id: number; year: number }): Promise<{ input: AssessmentInput; problems: InputProblem[] }> {
  const rows = await db.select().from(subjects).where(eq(subjects.assessmentId, assessment.id)).orderBy(subjects.id);
  const entered = new Map(
    (await db.select().from(subjectInputs).where(eq(subjectInputs.assessmentId, assessment.id))).map((r) => [r.subjectKey, JSON.parse(r.inputs) as SubjectInputs]),
  );
  const scores = await testScores(db, assessment.id);
  const teams = new Map(rows.filter((r) => r.kind === 'team').map((r) => [r.key, r]));
  const problems: InputProblem[] = [];
  const out: Subject[] = [];
  for (const row of rows) {
    // A cadre is compared on its team's platform: it takes the team's category and type unless given.
    const team = row.teamKey ? teams.get(row.teamKey) : undefined;
    const category = categoryOf(row.category) ?? categoryOf(team?.category ?? null);
    const type = typeOf(row.type) ?? typeOf(team?.type ?? null);
    if (!category) problems.push({ key: row.key, problem: 'unknown_category' });
    if (!type) problems.push({ key: row.key, problem: 'unknown_type' });
    if (category && type) out.push(engineSubject(row, entered.get(row.key), scores.get(row.id), category, type));
  }
  return { input: { id: String(assessment.id), year: assessment.year, subjects: out }, problems };
}

/** The stored form of an engine subject's inputs (the demo province is loaded through it). */
export function inputsOf(subject: Subject): SubjectInputs {
  const c = subject.components;
  const out: SubjectInputs = { key: subject.key };
  if (subject.povertyCounty !== undefined) out.povertyCounty = subject.povertyCounty;
  if (subject.povertyResult) out.povertyResult = subject.povertyResult;
  if (c.routine) out.routine = c.routine.quarterly;
  if (c.performance?.score !== undefined) out.performance = c.performance.score;
  if (c.performance?.indicators) out.performanceIndicators = c.performance.indicators;
  if (c.departmentEvaluations) out.departmentEvaluations = c.departmentEvaluations;
  if (c.superior !== undefined) out.superior = c.superior;
  if (c.plenary !== undefined) out.plenary = c.plenary;
  if (c.democratic) out.democratic = c.democratic;
  if (c.politicalQuality !== undefined) out.politicalQuality = c.politicalQuality;
  if (subject.facts) out.facts = subject.facts as SubjectInputs['facts'];
  return out;
}
