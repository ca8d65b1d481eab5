import { describe, expect, it } from 'vitest';
import { draftOf, factsOf, inputProblemText, inputsCells, saveInputsRequest, shownSubjects, type InputsDraft } from '../../../client/admin/models/inputs';
import type { SubjectInputs } from '../../../shared/grading-api';
import type { Subject } from '../../../client/admin/api-types';

const subject = (key: string, extra: Partial<Subject> = {}): Subject => ({ id: 1, assessmentId: 1, key, kind: 'cadre', name: `干部${key}`, title: '副厅长', category: 'department', type: 'dept_other', teamKey: 'T', role: 'deputy', ...extra });

const saved: SubjectInputs = {
  key: 'c1',
  routine: [88, 90],
  performance: 85,
  democratic: { score: 90, excellentRate: 0.4, competentOrAboveRate: 0.95, incompetentRate: 0.01 },
  departmentEvaluations: [{ evaluatorKey: 'eval-01', score: 80 }],
  facts: { summoned: true, monthsInPost: 12 },
};

/** The form as it opens on the saved row, with `edit` typed over it. */
const edited = (edit: Partial<InputsDraft>, row: SubjectInputs | undefined = saved): InputsDraft => ({ ...draftOf(row, subject('c1')), ...edit });

const problemOf = (draft: InputsDraft) => {
  const request = saveInputsRequest('c1', saved, draft);
  return 'problem' in request ? request.problem : null;
};

describe('inputs form: a draft is refused as the server would refuse it', () => {
  it('names a score out of range with the range the server accepts', () => {
    expect(problemOf(edited({ performance: '120' }))).toEqual({ zh: '工作实绩应为 0 到 100 之间的数字。', en: 'Performance must be a number from 0 to 100.' });
    expect(problemOf(edited({ superior: '-1' }))?.zh).toBe('上级评价应为 0 到 100 之间的数字。');
  });

  it('names months over a year, and a word where a number belongs', () => {
    expect(problemOf(edited({ monthsInPost: '13' }))?.zh).toBe('任职月数应为 0 到 12 之间的数字。');
    expect(problemOf(edited({ leaveMonths: 'two' }))?.zh).toBe('请假月数应为 0 到 12 之间的数字。');
    expect(problemOf(edited({ routine: '88, abc' }))?.zh).toBe('平时考核应为 0 到 100 之间的数字。');
  });

  it('refuses more routine scores than the schema holds', () => {
    expect(problemOf(edited({ routine: Array.from({ length: 13 }, () => '80').join(', ') }))).toEqual({ zh: '平时考核最多 12 个分数。', en: 'At most 12 routine scores.' });
    expect(problemOf(edited({ routine: Array.from({ length: 12 }, () => '80').join(', ') }))).toBeNull();
  });

  it('saves the form’s fields over the saved row and keeps what the form does not show', () => {
    const request = saveInputsRequest('c1', saved, edited({ routine: '88；89、90 91', performance: '', superior: '87.5', admonished: true, monthsInPost: '', sanctions: ['warning'] }));
    expect(request).toEqual({
      body: [
        {
          key: 'c1',
          routine: [88, 89, 90, 91],
          superior: 87.5,
          democratic: saved.democratic,
          departmentEvaluations: saved.departmentEvaluations,
          facts: { summoned: true, admonished: true, sanctions: ['warning'] },
        },
      ],
    });
  });

  it('opens a poverty county’s subject ticked as one, and a saved row as it was saved', () => {
    expect(draftOf(undefined, subject('x', { type: 'poverty_county' })).povertyCounty).toBe(true);
    expect(draftOf(undefined, subject('x')).povertyCounty).toBe(false);
    expect(draftOf(saved, subject('c1'))).toMatchObject({ routine: '88, 90', performance: '85', monthsInPost: '12', leaveMonths: '' });
  });
});

describe('inputs table', () => {
  it('prints each figure, computing 工作实绩 from the indicators when no score is given', () => {
    const cells = inputsCells({ key: 'c1', routine: [80, 90], performanceIndicators: [{ code: 'gdp', score: 90, weight: 3 }, { code: 'jobs', score: 70, weight: 1 }], povertyCounty: true, povertyResult: 'fairly_good' });
    expect(cells).toMatchObject({ routine: '85.00', performance: '85.00', departments: '—', superior: '—', poverty: { zh: '贫困县 较好', en: 'poverty county fairly good' } });
    expect(cells.performanceDetail).toBe('gdp 90 × 3\njobs 70 × 1');
  });

  it('names the facts in the glossary’s words', () => {
    expect(factsOf({ key: 'c1', facts: { sanctions: ['warning', 'expulsion'], admonished: true, leaveMonths: 2 } }).map((f) => f.zh)).toEqual(['处分：警告、开除党籍', '诫勉', '请假 2 个月']);
    expect(factsOf({ key: 'c1' })).toEqual([]);
  });

  it('lists only subjects with facts, or only those not entered, matching the search', () => {
    const subjects = [subject('c1'), subject('c2'), subject('c3', { name: '张三' })];
    const inputs = new Map<string, SubjectInputs>([
      ['c1', saved],
      ['c2', { key: 'c2', performance: 80 }],
    ]);
    const keys = (list: Subject[]) => list.map((s) => s.key);
    expect(keys(shownSubjects(subjects, inputs, '', 'facts'))).toEqual(['c1']);
    expect(keys(shownSubjects(subjects, inputs, '', 'missing'))).toEqual(['c3']);
    expect(keys(shownSubjects(subjects, inputs, ' 张三 ', ''))).toEqual(['c3']);
  });
});

describe('inputs import preview', () => {
  it('states the ranges the server checks', () => {
    expect(inputProblemText({ row: 3, column: '任职月数', reason: 'out_of_range', value: '13' }).zh).toBe('「13」超出范围（得分 0-100，比率 0-1 或 0%-100%，月数 0-12）。');
  });

  it('lists the choices the import understands in the glossary’s words', () => {
    expect(inputProblemText({ row: 2, column: '处分', reason: 'bad_choice', value: '罚款' })).toEqual({
      zh: '「罚款」无法识别（是/否；好/较好/一般/差；处分写「警告」「严重警告」「记过」等）。',
      en: '「罚款」 is not recognised (是/否 yes/no; 好/较好/一般/差; sanctions such as 警告, 严重警告, 记过).',
    });
  });
});
