import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../../shared/answers';
import { buildForm, type Answers } from '../../shared/forms';
import { shownGroups, tallySitting, type CountedBallot } from '../../shared/scoring';

const cadreForm = buildForm({ kind: 'cadre', maxTopShare: 0.3 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => ({ id, name: `干部${id}`, title: '' })));
const politicalForm = buildForm({ kind: 'political' }, [{ id: 1, name: '干部1', title: '' }]);

function ballot(voterGroup: string, overall: string, subject = 1): CountedBallot {
  return { voterGroup, answers: { cadre: { [subject]: { overall } } } };
}

function repeat<T>(n: number, make: () => T): T[] {
  return Array.from({ length: n }, make);
}

describe('test scores (GRADING.md §1)', () => {
  it('weights each voter group mean by its weight: 上级 30 / 同级 30 / 下级 40', () => {
    const ballots = [...repeat(5, () => ballot('上级', 'excellent')), ...repeat(5, () => ballot('同级', 'competent')), ...repeat(5, () => ballot('下级', 'basically_competent'))];
    const groups = [{ name: '上级', weight: 30 }, { name: '同级', weight: 30 }, { name: '下级', weight: 40 }];
    const tally = tallySitting([cadreForm], ballots, groups, { k: 5 });
    // 0.3·100 + 0.3·80 + 0.4·60 = 78
    expect(tally.forms[0]!.subjects[0]!.scores.democraticScore).toBe(78);
  });

  it('renormalises the weights over the groups that answered', () => {
    const ballots = [...repeat(5, () => ballot('上级', 'excellent')), ...repeat(5, () => ballot('下级', 'competent'))];
    const groups = [{ name: '上级', weight: 30 }, { name: '同级', weight: 30 }, { name: '下级', weight: 40 }];
    const score = tallySitting([cadreForm], ballots, groups, { k: 5 }).forms[0]!.subjects[0]!.scores.democraticScore!;
    // (30·100 + 40·80) / 70
    expect(score).toBeCloseTo(6200 / 70, 4);
  });

  it('leaves blanks out of the denominator and reports them', () => {
    const ballots = [ballot('委员', 'excellent'), ballot('委员', 'incompetent'), { voterGroup: '委员', answers: {} }];
    const subject = tallySitting([cadreForm], ballots, [{ name: '委员', weight: 1 }], { k: 5 }).forms[0]!.subjects[0]!;
    expect(subject.questions[0]).toMatchObject({ valid: 2, blank: 1, counts: { excellent: 1, competent: 0, basically_competent: 0, incompetent: 1 } });
    expect(subject.scores).toMatchObject({ democraticScore: 50, excellentRate: 0.5, competentOrAboveRate: 0.5, incompetentRate: 0.5, basicOrBelowRate: 0.5 });
  });

  it('scores political quality as the positive mean minus 20 points per share answering 是, floored at 0', () => {
    const answers = (loyal: string, duplicity: string): Answers => ({ political: { 1: { loyalty: loyal, steadfastness: loyal, responsibility: loyal, n_duplicity: duplicity, n_discipline: 'no' } } });
    const ballots: CountedBallot[] = [
      { voterGroup: '委员', answers: answers('good', 'yes') },
      { voterGroup: '委员', answers: answers('fairly_good', 'no') },
    ];
    const subject = tallySitting([politicalForm], ballots, [{ name: '委员', weight: 1 }], { k: 5 }).forms[0]!.subjects[0]!;
    // positive mean 90, half answered 是 on one negative item: 90 − 0.5·20 = 80
    expect(subject.scores.politicalScore).toBe(80);
    const allBad: CountedBallot[] = [{ voterGroup: '委员', answers: { political: { 1: { loyalty: 'poor', n_duplicity: 'yes', n_discipline: 'yes' } } } }];
    expect(tallySitting([politicalForm], allBad, [{ name: '委员', weight: 1 }], { k: 5 }).forms[0]!.subjects[0]!.scores.politicalScore).toBe(0);
  });
});

describe('small groups (k = 5)', () => {
  it('hides a group below k together with the next smallest, so it cannot be derived from the totals', () => {
    const shown = shownGroups(new Map([['上级', 3], ['同级', 40], ['下级', 60]]), 5);
    expect([...shown]).toEqual(['下级']);
  });

  it('shows every group when each has at least k ballots', () => {
    expect([...shownGroups(new Map([['上级', 5], ['同级', 6]]), 5)].sort()).toEqual(['上级', '同级']);
  });

  it('never puts a hidden group in a subject breakdown', () => {
    const ballots = [...repeat(2, () => ballot('上级', 'excellent')), ...repeat(10, () => ballot('同级', 'competent')), ...repeat(10, () => ballot('下级', 'competent'))];
    const tally = tallySitting([cadreForm], ballots, [{ name: '上级', weight: 30 }, { name: '同级', weight: 30 }, { name: '下级', weight: 40 }], { k: 5 });
    const groupsShown = tally.forms[0]!.subjects[0]!.byGroup!.map((g) => g.group);
    expect(groupsShown).not.toContain('上级');
    expect(groupsShown).toHaveLength(1);
    expect(tally.groups.find((g) => g.name === '上级')!.shown).toBe(false);
  });
});

describe('checking a ballot', () => {
  it('refuses more top ratings than the cap allows and names the form', () => {
    const answers: Answers = { cadre: Object.fromEntries([1, 2, 3, 4].map((id) => [String(id), { overall: 'excellent' }])) };
    expect(checkAnswers([cadreForm], answers)).toEqual([{ reason: 'too_many_top', formId: 'cadre', questionId: 'overall', limit: 3, count: 4 }]);
    delete answers.cadre!['4'];
    expect(checkAnswers([cadreForm], answers)).toEqual([]);
  });

  it('names unknown forms, subjects, questions and values', () => {
    const problems = checkAnswers([cadreForm], { team: {}, cadre: { 99: { overall: 'excellent' }, 1: { mood: 'x', overall: 'superb' } } });
    expect(problems.map((p) => p.reason).sort()).toEqual(['invalid_value', 'unknown_form', 'unknown_question', 'unknown_subject']);
  });

  it('requires every question of every subject on a form that requires all', () => {
    const strict = buildForm({ kind: 'cadre', requireAll: true }, [{ id: 1, name: 'a', title: '' }, { id: 2, name: 'b', title: '' }]);
    expect(checkAnswers([strict], { cadre: { 1: { overall: 'competent' } } })).toEqual([{ reason: 'required', formId: 'cadre', subjectId: '2', questionId: 'overall' }]);
  });
});
