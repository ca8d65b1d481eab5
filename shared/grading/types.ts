/**
 * Types of the grading engine (GRADING.md §2-§7): what a subject brings to grading, the
 * policy it is graded under, and the result with its reasons. Plain data throughout so a
 * result can be stored beside the policy that produced it.
 */

export type SubjectKind = 'team' | 'cadre';
export type TeamGrade = 'excellent' | 'good' | 'average' | 'poor';
export type CadreGrade = 'excellent' | 'competent' | 'basically_competent' | 'incompetent' | 'undetermined';
export type Grade = TeamGrade | CadreGrade;

/** Report categories of teams (the seed's platforms); counties are graded as their own category. */
export type Category = 'city' | 'department' | 'institution' | 'enterprise' | 'county';

/** The seed's types (§3), plus the two county types the seed grades apart. */
export type SubjectType =
  | 'city_1' | 'city_2' | 'city_3'
  | 'dept_comprehensive' | 'dept_economic' | 'dept_social' | 'dept_other'
  | 'inst_university' | 'inst_other'
  | 'ent_industry' | 'ent_finance' | 'ent_culture'
  | 'poverty_county' | 'county';

export type CadreRole = 'principal' | 'deputy';

/** 脱贫攻坚成效考核结果: 好 / 较好 / 一般 / 差. */
export type PovertyResult = 'good' | 'fairly_good' | 'average' | 'poor';

/** 党纪政务处分 and 组织处理 kinds the policy can map to holds or to 不称职. */
export type SanctionType =
  | 'warning' | 'serious_warning' | 'demerit' | 'major_demerit' | 'demotion'
  | 'removal_from_party_post' | 'dismissal' | 'probation' | 'expulsion';

export type ComponentKey = 'routine' | 'performance' | 'democratic' | 'department' | 'superior';

export interface PerformanceIndicator {
  code: string;
  score: number;
  weight: number;
}

/** 民主测评: the test score and rates from the sitting's tally (shared/scoring.ts). */
export interface DemocraticTest {
  score: number;
  excellentRate: number;
  competentOrAboveRate: number;
  incompetentRate: number;
}

export interface ComponentInputs {
  /** 平时考核: quarterly scores (and other routine entries), averaged. */
  routine?: { quarterly: number[] };
  /** 工作实绩: type-specific indicators (weighted mean) or a given score. */
  performance?: { indicators?: PerformanceIndicator[]; score?: number };
  /** 部门评价, one score per evaluating department. */
  departmentEvaluations?: { evaluatorKey: string; score: number }[];
  /** 上级评价. */
  superior?: number;
  /** 省委全会测评 (city principals, heads of provincial departments): averaged into 民主测评. */
  plenary?: number;
  democratic?: DemocraticTest;
  /** 政治素质测评 score, 0-100. */
  politicalQuality?: number;
}

export interface SubjectFacts {
  /** 一票否决 items, by short description. */
  vetoItems?: string[];
  sanctions?: SanctionType[];
  /** 诫勉 in effect. */
  admonished?: boolean;
  /** 问责 in effect. */
  heldAccountable?: boolean;
  /** 被约谈 … */
  summoned?: boolean;
  /** … and ranked at the bottom of high-quality development: together a downgrade. */
  bottomRankedInDevelopment?: boolean;
  /** 通报批评. */
  publiclyCriticised?: boolean;
  /** Team members 组织处理 / 党纪政务处分 / 立案审查 this year. */
  membersDisciplined?: number;
  /** Other serious problems the committee recorded. */
  otherSeriousProblems?: string[];
  /** Holds (cadres): months in the post this year, months on leave, 立案 not concluded. */
  monthsInPost?: number;
  leaveMonths?: number;
  openCase?: boolean;
}

export interface Subject {
  key: string;
  kind: SubjectKind;
  name: string;
  category: Category;
  type: SubjectType;
  /** Cadres: the team they belong to, and their role in it. */
  teamKey?: string;
  role?: CadreRole;
  povertyCounty?: boolean;
  /** Teams of poverty counties: the 脱贫攻坚成效 result. */
  povertyResult?: PovertyResult;
  components: ComponentInputs;
  facts?: SubjectFacts;
}

export interface AssessmentInput {
  id: string;
  year: number;
  subjects: Subject[];
}

export type RuleId =
  | 'scores' | 'holds' | 'forced' | 'downgrades' | 'bars' | 'vote_flags' | 'bands' | 'quota' | 'override';

/** Why a rule fired. `code` is stable; texts are for people. */
export interface Reason {
  rule: RuleId;
  code: string;
  zh: string;
  en: string;
}

export type VoteFlagCode = 'incompetent_rate_high' | 'competent_or_above_rate_low';
export interface VoteFlag {
  code: VoteFlagCode;
  zh: string;
  en: string;
  rate: number;
}

export type ActionCode =
  | 'commendation' | 'promotion_priority' | 'written_report' | 'principal_not_promoted'
  | 'admonition_talk' | 'demotion' | 'reminder_talk';
export interface Action {
  code: ActionCode;
  zh: string;
  en: string;
}

export interface ScoreSheet {
  /** Effective component scores after averaging and the poverty rule, two decimals. */
  components: Partial<Record<ComponentKey, number>>;
  /** Weighted over the components present, renormalised; null when none is present. */
  composite: number | null;
}

export interface Override {
  grade: Grade;
  reason: string;
}

export interface SubjectResult {
  key: string;
  kind: SubjectKind;
  name: string;
  category: Category;
  type: SubjectType;
  role?: CadreRole;
  teamKey?: string;
  povertyCounty: boolean;
  poolId: string;
  scores: ScoreSheet;
  /** From the score band alone (§5.6), before bars, downgrades and quota. */
  provisionalGrade: Grade;
  /** What the engine proposes. */
  proposedGrade: Grade;
  /** proposedGrade unless an admin overrode it. */
  finalGrade: Grade;
  override?: Override;
  reasons: Reason[];
  voteFlags: VoteFlag[];
  actions: Action[];
}

export interface PoolSummary {
  id: string;
  size: number;
  share: number;
  quota: number;
  /** 优秀 awarded in the pool, forced ones included. */
  excellent: number;
  /** Eligible after bars, ranked in the quota. */
  eligible: number;
}

export interface EvaluatorSpread {
  evaluatorKey: string;
  rated: number;
  min: number;
  max: number;
  spread: number;
  flagged: boolean;
}

export interface InputIssue {
  code: 'duplicate_key' | 'no_component_scores' | 'cadre_without_role';
  subjectKey: string;
}

export interface GradingResult {
  assessmentId: string;
  year: number;
  policyId: string;
  policyVersion: number;
  subjects: SubjectResult[];
  pools: PoolSummary[];
  evaluators: EvaluatorSpread[];
  issues: InputIssue[];
}
