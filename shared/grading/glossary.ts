import type { CadreGrade, Category, Grade, PovertyResult, SanctionType, SubjectFacts, SubjectKind, SubjectType, TeamGrade } from './types';

/**
 * Chinese and English labels of the grading codes: the one place each is spelled. Every
 * screen, export and report that names a grade, sanction, fact, category or type reads it here.
 */

/** Every grade code. */
export const GRADE_LABELS = {
  excellent: { zh: '优秀', en: 'excellent' },
  good: { zh: '良好', en: 'good' },
  average: { zh: '一般', en: 'average' },
  poor: { zh: '较差', en: 'poor' },
  competent: { zh: '称职', en: 'competent' },
  basically_competent: { zh: '基本称职', en: 'basically competent' },
  incompetent: { zh: '不称职', en: 'incompetent' },
  undetermined: { zh: '不定等次', en: 'undetermined' },
} as const satisfies Record<Grade, { zh: string; en: string }>;

export const POVERTY_RESULT_LABELS = {
  good: { zh: '好', en: 'good' },
  fairly_good: { zh: '较好', en: 'fairly good' },
  average: { zh: '一般', en: 'average' },
  poor: { zh: '差', en: 'poor' },
} as const satisfies Record<PovertyResult, { zh: string; en: string }>;

/** 党纪政务处分 and 组织处理 kinds (SanctionType), as the console and its forms name them. */
export const SANCTION_LABELS = {
  warning: { zh: '警告', en: 'warning' },
  serious_warning: { zh: '严重警告', en: 'serious warning' },
  demerit: { zh: '记过', en: 'demerit' },
  major_demerit: { zh: '记大过', en: 'major demerit' },
  demotion: { zh: '降级', en: 'demotion' },
  removal_from_party_post: { zh: '撤销党内职务', en: 'removal from party post' },
  dismissal: { zh: '撤职', en: 'dismissal' },
  probation: { zh: '留党察看', en: 'party probation' },
  expulsion: { zh: '开除党籍', en: 'expulsion' },
} as const satisfies Record<SanctionType, { zh: string; en: string }>;

/** The yes/no facts of a subject (诫勉, 问责, ...) in a word or two. */
export const FACT_LABELS = {
  admonished: { zh: '诫勉', en: 'admonished' },
  heldAccountable: { zh: '问责', en: 'held accountable' },
  summoned: { zh: '约谈', en: 'summoned' },
  bottomRankedInDevelopment: { zh: '高质量发展排名靠后', en: 'bottom-ranked in development' },
  publiclyCriticised: { zh: '通报批评', en: 'publicly criticised' },
  openCase: { zh: '立案未结', en: 'open case' },
} as const satisfies Partial<Record<keyof SubjectFacts, { zh: string; en: string }>>;

/** Report categories of teams (Category). */
export const CATEGORY_LABELS = {
  city: { zh: '市州', en: 'cities' },
  department: { zh: '省直部门', en: 'departments' },
  institution: { zh: '事业单位', en: 'institutions' },
  enterprise: { zh: '国有企业', en: 'state enterprises' },
  county: { zh: '县(市、区)', en: 'counties' },
} as const satisfies Record<Category, { zh: string; en: string }>;

/** The seed's subject types (SubjectType), as pools are named after them. */
export const TYPE_LABELS = {
  city_1: { zh: '市州第一类', en: 'cities type 1' },
  city_2: { zh: '市州第二类', en: 'cities type 2' },
  city_3: { zh: '市州第三类', en: 'cities type 3' },
  dept_comprehensive: { zh: '综合部门', en: 'comprehensive depts' },
  dept_economic: { zh: '经济工作部门', en: 'economic depts' },
  dept_social: { zh: '社会发展部门', en: 'social depts' },
  dept_other: { zh: '其他部门', en: 'other depts' },
  inst_university: { zh: '高校科研院所', en: 'universities' },
  inst_other: { zh: '其他事业单位', en: 'other institutions' },
  ent_industry: { zh: '工商类企业', en: 'industrial enterprises' },
  ent_finance: { zh: '金融类企业', en: 'financial enterprises' },
  ent_culture: { zh: '文化类企业', en: 'cultural enterprises' },
  poverty_county: { zh: '贫困县', en: 'poverty counties' },
  county: { zh: '非贫困县', en: 'other counties' },
} as const satisfies Record<SubjectType, { zh: string; en: string }>;

/** Grades from best to worst; 不定等次 is not on the ladder. */
export const TEAM_LADDER: readonly TeamGrade[] = ['excellent', 'good', 'average', 'poor'];
export const CADRE_LADDER: readonly CadreGrade[] = ['excellent', 'competent', 'basically_competent', 'incompetent'];

export function ladder(kind: SubjectKind): readonly Grade[] {
  return kind === 'team' ? TEAM_LADDER : CADRE_LADDER;
}

export function gradesOf(kind: SubjectKind): readonly Grade[] {
  return kind === 'team' ? TEAM_LADDER : [...CADRE_LADDER, 'undetermined'];
}

/** The grade `steps` below `grade`, stopping at the bottom; off-ladder grades stay. */
export function lowerGrade(kind: SubjectKind, grade: Grade, steps: number): Grade {
  const rungs = ladder(kind);
  const at = rungs.indexOf(grade);
  if (at < 0) return grade;
  return rungs[Math.min(rungs.length - 1, at + Math.max(0, steps))] ?? grade;
}

export function label(grade: Grade): string {
  return GRADE_LABELS[grade].zh;
}
