/**
 * Ballot forms (PRODUCT "Ballot forms"): the built-in team, cadre and political-quality forms
 * and the ballot definition a voter's phone receives. Option values are stable codes; labels
 * are Chinese with an English twin.
 */
export type FormKind = 'team' | 'cadre' | 'political';
export const FORM_KINDS = ['team', 'cadre', 'political'] as const satisfies readonly FormKind[];

export interface BallotOption {
  value: string;
  label: string;
  labelEn: string;
}

/** overall: the subject's overall grade; dimension: 德能勤绩廉 or team dimensions; positive/negative: political items. */
export type QuestionRole = 'overall' | 'dimension' | 'positive' | 'negative';

export interface BallotQuestion {
  id: string;
  text: string;
  textEn: string;
  kind: 'grade' | 'yesno';
  role: QuestionRole;
  required: boolean;
  options: BallotOption[];
}

export interface BallotSubject {
  id: number;
  name: string;
  title: string;
}

export interface BallotForm {
  id: string;
  kind: FormKind;
  title: string;
  titleEn: string;
  /** Largest share of subjects that may get the top option on the overall question. */
  maxTopShare?: number;
  questions: BallotQuestion[];
  subjects: BallotSubject[];
}

/**
 * draft → rehearsal (演练: only dry-run slips vote) → open → closed (⇄ open: an audited reopen)
 * → published. Rehearsal is optional; opening for real purges the rehearsal's ballots.
 */
export const SITTING_STATUSES = ['draft', 'rehearsal', 'open', 'closed', 'published'] as const;
export type SittingStatus = (typeof SITTING_STATUSES)[number];

export interface BallotDefinition {
  sitting: { id: number; title: string; status: SittingStatus };
  voterGroup: string;
  /** A practice slip of the sitting's rehearsal (演练票): the phone says so on every screen; never counted. */
  rehearsal: boolean;
  forms: BallotForm[];
}

/** `{ [formId]: { [subjectId]: { [questionId]: value } } }` as the voter submits it. */
export type Answers = Record<string, Record<string, Record<string, string>>>;

const TEAM_GRADES: BallotOption[] = [
  { value: 'good', label: '好', labelEn: 'Good' },
  { value: 'fairly_good', label: '较好', labelEn: 'Fairly good' },
  { value: 'average', label: '一般', labelEn: 'Average' },
  { value: 'poor', label: '差', labelEn: 'Poor' },
];

const CADRE_GRADES: BallotOption[] = [
  { value: 'excellent', label: '优秀', labelEn: 'Excellent' },
  { value: 'competent', label: '称职', labelEn: 'Competent' },
  { value: 'basically_competent', label: '基本称职', labelEn: 'Basically competent' },
  { value: 'incompetent', label: '不称职', labelEn: 'Incompetent' },
];

const YES_NO: BallotOption[] = [
  { value: 'yes', label: '是', labelEn: 'Yes' },
  { value: 'no', label: '否', labelEn: 'No' },
];

/** Test-score value of each grade option (GRADING.md §1); yes/no items carry no value. */
export const OPTION_SCORES: Readonly<Record<string, number>> = {
  excellent: 100,
  competent: 80,
  basically_competent: 60,
  incompetent: 0,
  good: 100,
  fairly_good: 80,
  average: 60,
  poor: 40,
};

export const TOP_OPTION: Record<'team' | 'cadre', string> = { team: 'good', cadre: 'excellent' };

function gradeQuestion(id: string, text: string, textEn: string, role: QuestionRole, options: BallotOption[], required: boolean): BallotQuestion {
  return { id, text, textEn, kind: 'grade', role, required, options };
}

const TEAM_DIMENSIONS: [string, string, string][] = [
  ['politics', '政治思想建设', 'Political and ideological building'],
  ['leadership', '领导能力', 'Leadership capacity'],
  ['performance', '工作实绩', 'Work performance'],
  ['integrity', '党风廉政建设', 'Party conduct and integrity'],
  ['conduct', '作风建设', 'Work style'],
];

const CADRE_DIMENSIONS: [string, string, string][] = [
  ['de', '德', 'Integrity (de)'],
  ['neng', '能', 'Ability (neng)'],
  ['qin', '勤', 'Diligence (qin)'],
  ['ji', '绩', 'Performance (ji)'],
  ['lian', '廉', 'Probity (lian)'],
];

const POLITICAL_POSITIVE: [string, string, string][] = [
  ['loyalty', '政治忠诚', 'Political loyalty'],
  ['steadfastness', '政治定力', 'Political steadfastness'],
  ['responsibility', '政治担当', 'Political responsibility'],
];

const POLITICAL_NEGATIVE: [string, string, string][] = [
  ['n_duplicity', '是否存在对党不忠诚不老实、阳奉阴违的问题', 'Is the subject disloyal or two-faced towards the Party?'],
  ['n_discipline', '是否存在违反政治纪律和政治规矩的问题', 'Does the subject breach political discipline and rules?'],
];

export interface FormSettings {
  kind: FormKind;
  maxTopShare?: number;
  /** Add the per-dimension questions (team: five dimensions; cadre: 德能勤绩廉). */
  dimensions?: boolean;
  /** Every question must be answered for every subject (no abstention). */
  requireAll?: boolean;
}

/** The built-in form of a kind, with the sitting's subjects, shaped by its settings. */
export function buildForm(settings: FormSettings, subjects: BallotSubject[]): BallotForm {
  const required = settings.requireAll ?? false;
  const questions: BallotQuestion[] = [];
  let title: string;
  let titleEn: string;
  if (settings.kind === 'political') {
    title = '政治素质测评';
    titleEn = 'Political quality';
    for (const [id, text, en] of POLITICAL_POSITIVE) questions.push(gradeQuestion(id, text, en, 'positive', TEAM_GRADES, required));
    for (const [id, text, en] of POLITICAL_NEGATIVE) questions.push({ id, text, textEn: en, kind: 'yesno', role: 'negative', required, options: YES_NO });
  } else {
    const isTeam = settings.kind === 'team';
    title = isTeam ? '领导班子测评' : '领导干部测评';
    titleEn = isTeam ? 'Leadership team evaluation' : 'Cadre evaluation';
    const grades = isTeam ? TEAM_GRADES : CADRE_GRADES;
    questions.push(gradeQuestion('overall', '总体评价', 'Overall', 'overall', grades, required));
    if (settings.dimensions) {
      for (const [id, text, en] of isTeam ? TEAM_DIMENSIONS : CADRE_DIMENSIONS) questions.push(gradeQuestion(id, text, en, 'dimension', grades, required));
    }
  }
  const form: BallotForm = { id: settings.kind, kind: settings.kind, title, titleEn, questions, subjects };
  if (settings.maxTopShare !== undefined && settings.kind !== 'political') form.maxTopShare = settings.maxTopShare;
  return form;
}

/** How many subjects may get the top overall rating on one ballot, or undefined when uncapped. */
export function topLimit(form: BallotForm): number | undefined {
  return form.maxTopShare === undefined ? undefined : Math.floor(form.maxTopShare * form.subjects.length + 1e-9);
}
