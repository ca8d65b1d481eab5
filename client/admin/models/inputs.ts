import * as z from 'zod/mini';
import { POVERTY_RESULTS, SaveSubjectInputsRequest, SubjectInputsSchema, type SubjectInputs } from '../../../shared/grading-api';
import { FACT_LABELS, POVERTY_RESULT_LABELS, SANCTION_LABELS } from '../../../shared/grading/glossary';
import type { PovertyResult, SanctionType } from '../../../shared/grading/types';
import type { InputsPreview, Subject } from '../api-types';
import { fmtScore, mean } from './format';
import { bi, type Bilingual } from './text';

/**
 * The inputs page (考核数据): what the table shows of each subject's component scores and
 * facts, and the edit form's draft. A draft is checked with the server's own schema
 * (SaveSubjectInputsRequest), so the form refuses exactly what the server would refuse.
 */

type Facts = NonNullable<SubjectInputs['facts']>;
/** A bad cell of an imported inputs file, as the preview names it. */
type InputImportProblem = InputsPreview['problems'][number];

// ---- Ranges, read from the shared schema so that no bound is written twice ----

interface JsonNode {
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonNode>;
  items?: JsonNode;
}

// The JSON Schema is zod's public view of a schema's bounds; made when a problem is first named.
let inputsJson: JsonNode | undefined;

/** The schema's bounds at a path inside one row: ['performance'], ['facts', 'monthsInPost'], ['routine', 0]. */
function rangeAt(path: readonly PropertyKey[]): { min: number; max: number } {
  let node: JsonNode | undefined = (inputsJson ??= z.toJSONSchema(SubjectInputsSchema) as JsonNode);
  for (const step of path) node = typeof step === 'number' ? node?.items : node?.properties?.[String(step)];
  return { min: node?.minimum ?? 0, max: node?.maximum ?? 0 };
}

// ---- The import preview ----

export function inputProblemText(p: InputImportProblem): Bilingual {
  const v = p.value ? `「${p.value}」` : '';
  switch (p.reason) {
    case 'empty_file':
      return bi('文件中没有数据。', 'The file has no data.');
    case 'missing_key_column':
      return bi('缺少「编号」列（也可写作「对象编号」或 key）。', 'There is no key column (编号, 对象编号 or key).');
    case 'missing_key':
      return bi('编号为空。', 'The key is empty.');
    case 'unknown_subject':
      return bi(`编号${v}不在本考核的考核对象名单中。`, `Key ${v} is not a subject of this assessment.`);
    case 'duplicate_key':
      return bi(`编号${v}在文件中重复出现。`, `Key ${v} appears more than once in the file.`);
    case 'not_a_number':
      return bi(`${v}不是数字。`, `${v} is not a number.`);
    case 'out_of_range': {
      const span = (path: PropertyKey[], scale = 1, unit = '') => {
        const { min, max } = rangeAt(path);
        return `${min * scale}${unit}-${max * scale}${unit}`;
      };
      const [scores, rates, percents, months] = [span(['performance']), span(['democratic', 'excellentRate']), span(['democratic', 'excellentRate'], 100, '%'), span(['facts', 'monthsInPost'])];
      return bi(`${v}超出范围（得分 ${scores}，比率 ${rates} 或 ${percents}，月数 ${months}）。`, `${v} is out of range (scores ${scores}, rates ${rates} or ${percents}, months ${months}).`);
    }
    case 'bad_choice': {
      const results = POVERTY_RESULTS.map((r) => POVERTY_RESULT_LABELS[r].zh).join('/');
      const sanctions = (['warning', 'serious_warning', 'demerit'] as const).map((s) => SANCTION_LABELS[s].zh);
      return bi(`${v}无法识别（是/否；${results}；处分写${sanctions.map((s) => `「${s}」`).join('')}等）。`, `${v} is not recognised (是/否 yes/no; ${results}; sanctions such as ${sanctions.join(', ')}).`);
    }
    case 'invalid':
      return bi(`这一行的数据不完整或不一致${p.value ? `（${p.value}）` : ''}。`, `The row is incomplete or inconsistent${p.value ? ` (${p.value})` : ''}.`);
  }
}

// ---- The table ----

/** The facts that bear on a grade, in a few words each. */
export function factsOf(row: SubjectInputs | undefined): Bilingual[] {
  const f = row?.facts;
  if (!f) return [];
  const out: Bilingual[] = [];
  if (f.vetoItems?.length) out.push(bi(`一票否决：${f.vetoItems.join('、')}`, `veto: ${f.vetoItems.join(', ')}`));
  if (f.sanctions?.length) out.push(bi(`处分：${f.sanctions.map((s) => SANCTION_LABELS[s].zh).join('、')}`, `sanctions: ${f.sanctions.map((s) => SANCTION_LABELS[s].en).join(', ')}`));
  for (const fact of ['admonished', 'heldAccountable', 'summoned', 'bottomRankedInDevelopment', 'publiclyCriticised'] as const) if (f[fact]) out.push(FACT_LABELS[fact]);
  if (f.membersDisciplined) out.push(bi(`成员受处理 ${f.membersDisciplined} 人`, `${f.membersDisciplined} members disciplined`));
  if (f.otherSeriousProblems?.length) out.push(bi(`其他问题：${f.otherSeriousProblems.join('、')}`, `other: ${f.otherSeriousProblems.join(', ')}`));
  if (f.monthsInPost !== undefined) out.push(bi(`任职 ${f.monthsInPost} 个月`, `${f.monthsInPost} months in post`));
  if (f.leaveMonths) out.push(bi(`请假 ${f.leaveMonths} 个月`, `${f.leaveMonths} months leave`));
  if (f.openCase) out.push(FACT_LABELS.openCase);
  return out;
}

/** One subject's line of the table: each figure printed, with what it was made of as a tooltip. */
export interface InputsCells {
  routine: string;
  routineDetail?: string;
  performance: string;
  performanceDetail?: string;
  departments: string;
  departmentsDetail?: string;
  superior: string;
  plenary: string;
  democratic: string;
  politicalQuality: string;
  poverty: Bilingual;
  facts: Bilingual[];
}

/** 工作实绩 as graded: the given score, or else the weighted mean of the indicators. */
function performanceOf(row: SubjectInputs | undefined): number | undefined {
  const indicators = row?.performanceIndicators;
  if (row?.performance !== undefined || !indicators?.length) return row?.performance;
  return indicators.reduce((a, i) => a + i.score * i.weight, 0) / indicators.reduce((a, i) => a + i.weight, 0);
}

export function inputsCells(row: SubjectInputs | undefined): InputsCells {
  const departments = row?.departmentEvaluations;
  const poverty = row?.povertyResult ? POVERTY_RESULT_LABELS[row.povertyResult] : undefined;
  return {
    routine: row?.routine ? fmtScore(mean(row.routine)) : '—',
    routineDetail: row?.routine?.join(', '),
    performance: fmtScore(performanceOf(row)),
    performanceDetail: row?.performanceIndicators?.map((i) => `${i.code} ${i.score} × ${i.weight}`).join('\n'),
    departments: departments?.length ? fmtScore(mean(departments.map((e) => e.score))) : '—',
    departmentsDetail: departments?.map((e) => `${e.evaluatorKey} ${e.score}`).join('\n'),
    superior: fmtScore(row?.superior),
    plenary: fmtScore(row?.plenary),
    democratic: fmtScore(row?.democratic?.score),
    politicalQuality: fmtScore(row?.politicalQuality),
    poverty: bi(`${row?.povertyCounty ? '贫困县' : ''}${poverty ? ` ${poverty.zh}` : ''}`, `${row?.povertyCounty ? 'poverty county' : ''}${poverty ? ` ${poverty.en}` : ''}`),
    facts: factsOf(row),
  };
}

export type InputsShown = '' | 'facts' | 'missing';

/** The subjects the table lists: those matching the search (key, name, title) and the "only" choice. */
export function shownSubjects(subjects: readonly Subject[], inputs: ReadonlyMap<string, SubjectInputs>, search: string, only: InputsShown): Subject[] {
  const q = search.trim();
  return subjects.filter((s) => {
    const row = inputs.get(s.key);
    if (only === 'facts' && factsOf(row).length === 0) return false;
    if (only === 'missing' && row) return false;
    return !q || s.key.includes(q) || s.name.includes(q) || s.title.includes(q);
  });
}

// ---- The edit form ----

export interface InputsDraft {
  routine: string;
  performance: string;
  superior: string;
  plenary: string;
  politicalQuality: string;
  povertyCounty: boolean;
  povertyResult: '' | PovertyResult;
  vetoItems: string;
  sanctions: SanctionType[];
  admonished: boolean;
  heldAccountable: boolean;
  monthsInPost: string;
  leaveMonths: string;
  openCase: boolean;
}

export type DraftTextField = 'routine' | 'performance' | 'superior' | 'plenary' | 'politicalQuality' | 'monthsInPost' | 'leaveMonths' | 'vetoItems';

/** The name of each typed field, as its problem names it (the form's labels may add a hint). */
export const DRAFT_FIELD_LABELS: Record<DraftTextField, Bilingual> = {
  routine: bi('平时考核', 'Routine'),
  performance: bi('工作实绩', 'Performance'),
  superior: bi('上级评价', 'Superior evaluation'),
  plenary: bi('省委全会测评', 'Plenary evaluation'),
  politicalQuality: bi('政治素质', 'Political quality'),
  monthsInPost: bi('任职月数', 'Months in post'),
  leaveMonths: bi('请假月数', 'Months of leave'),
  vetoItems: bi('一票否决事项', 'Veto items'),
};

const str = (n: number | undefined): string => (n === undefined ? '' : String(n));

/** The form filled from the saved row; a poverty county's subject starts ticked as one. */
export function draftOf(row: SubjectInputs | undefined, subject: Pick<Subject, 'type'>): InputsDraft {
  return {
    routine: row?.routine?.join(', ') ?? '',
    performance: str(row?.performance),
    superior: str(row?.superior),
    plenary: str(row?.plenary),
    politicalQuality: str(row?.politicalQuality),
    povertyCounty: row?.povertyCounty ?? subject.type === 'poverty_county',
    povertyResult: row?.povertyResult ?? '',
    vetoItems: row?.facts?.vetoItems?.join('、') ?? '',
    sanctions: row?.facts?.sanctions ?? [],
    admonished: row?.facts?.admonished ?? false,
    heldAccountable: row?.facts?.heldAccountable ?? false,
    monthsInPost: str(row?.facts?.monthsInPost),
    leaveMonths: str(row?.facts?.leaveMonths),
    openCase: row?.facts?.openCase ?? false,
  };
}

/** A typed number; blank is "not entered". Anything else unreadable is NaN, which the schema refuses. */
const numberOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()));

/** The saved row with the form's fields replaced; what the form does not show is kept. */
function rowOf(key: string, before: SubjectInputs | undefined, d: InputsDraft): SubjectInputs {
  const { routine: _r, performance: _p, superior: _s, plenary: _pl, politicalQuality: _pq, povertyCounty: _pc, povertyResult: _pr, facts: oldFacts, ...kept } = before ?? { key };
  const row: SubjectInputs = { ...kept, key };
  const routine = d.routine.split(/[;；、,，\s]+/).filter(Boolean).map(Number);
  if (routine.length > 0) row.routine = routine;
  for (const field of ['performance', 'superior', 'plenary', 'politicalQuality'] as const) {
    const n = numberOf(d[field]);
    if (n !== undefined) row[field] = n;
  }
  if (d.povertyCounty) row.povertyCounty = true;
  if (d.povertyResult) row.povertyResult = d.povertyResult;
  const { vetoItems: _v, sanctions: _sa, admonished: _a, heldAccountable: _h, monthsInPost: _m, leaveMonths: _l, openCase: _o, ...otherFacts } = oldFacts ?? {};
  const facts: Facts = { ...otherFacts };
  const veto = d.vetoItems.split(/[;；、,，\n]/).map((v) => v.trim()).filter(Boolean);
  if (veto.length > 0) facts.vetoItems = veto;
  if (d.sanctions.length > 0) facts.sanctions = d.sanctions;
  for (const fact of ['admonished', 'heldAccountable', 'openCase'] as const) if (d[fact]) facts[fact] = true;
  for (const field of ['monthsInPost', 'leaveMonths'] as const) {
    const n = numberOf(d[field]);
    if (n !== undefined) facts[field] = n;
  }
  if (Object.keys(facts).length > 0) row.facts = facts;
  return row;
}

/** What the schema found wrong, in the words the form has always used. */
function issueText(issue: z.core.$ZodIssue): Bilingual {
  const inRow = issue.path.slice(1);
  const field = inRow.find((step): step is DraftTextField => typeof step === 'string' && step in DRAFT_FIELD_LABELS);
  const name = field ? DRAFT_FIELD_LABELS[field] : bi(inRow.join('.'), inRow.join('.'));
  if (issue.code === 'too_big' && issue.origin === 'array') {
    const max = String(issue.maximum);
    return field === 'routine' ? bi(`平时考核最多 ${max} 个分数。`, `At most ${max} routine scores.`) : bi(`${name.zh}最多 ${max} 项。`, `At most ${max} ${name.en.toLowerCase()}.`);
  }
  const isNumber = issue.code === 'invalid_type' ? issue.expected === 'number' : (issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'number';
  if (isNumber) {
    const { min, max } = rangeAt(inRow);
    return bi(`${name.zh}应为 ${min} 到 ${max} 之间的数字。`, `${name.en} must be a number from ${min} to ${max}.`);
  }
  return bi(`${name.zh}无效。`, `${name.en} is invalid.`);
}

/** The body of POST /api/admin/assessments/:id/inputs for this draft, or the first problem the server would refuse it for. */
export function saveInputsRequest(key: string, before: SubjectInputs | undefined, draft: InputsDraft): { body: SubjectInputs[] } | { problem: Bilingual } {
  const body = [rowOf(key, before, draft)];
  const checked = z.safeParse(SaveSubjectInputsRequest, body);
  const first = checked.error?.issues[0];
  return first ? { problem: issueText(first) } : { body };
}

/** A refusal by the server (the form's own check missed it), naming the fields it found wrong. */
export function refusalText(message: string, details: unknown): string {
  const issues = (details as { issues?: { path: string }[] } | undefined)?.issues;
  return message + (issues?.length ? ` (${issues.map((i) => i.path).join(', ')})` : '');
}
