import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../../shared/answers';
import { buildForm, type Answers, type BallotForm } from '../../shared/forms';
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
    // k = 3: three ballots are enough to publish here (fewer than k are withheld, tested below).
    const subject = tallySitting([cadreForm], ballots, [{ name: '委员', weight: 1 }], { k: 3 }).forms[0]!.subjects[0]!;
    expect(subject.questions[0]).toMatchObject({ valid: 2, blank: 1, counts: { excellent: 1, competent: 0, basically_competent: 0, incompetent: 1 } });
    expect(subject.scores).toMatchObject({ democraticScore: 50, excellentRate: 0.5, competentOrAboveRate: 0.5, incompetentRate: 0.5, basicOrBelowRate: 0.5 });
  });

  it('scores political quality as the positive mean minus 20 points per share answering 是, floored at 0', () => {
    const answers = (loyal: string, duplicity: string): Answers => ({ political: { 1: { loyalty: loyal, steadfastness: loyal, responsibility: loyal, n_duplicity: duplicity, n_discipline: 'no' } } });
    const ballots: CountedBallot[] = [
      { voterGroup: '委员', answers: answers('good', 'yes') },
      { voterGroup: '委员', answers: answers('fairly_good', 'no') },
    ];
    // k = 1: the arithmetic of one or two ballots, which a real sitting would withhold (tested below).
    const subject = tallySitting([politicalForm], ballots, [{ name: '委员', weight: 1 }], { k: 1 }).forms[0]!.subjects[0]!;
    // positive mean 90, half answered 是 on one negative item: 90 − 0.5·20 = 80
    expect(subject.scores.politicalScore).toBe(80);
    const allBad: CountedBallot[] = [{ voterGroup: '委员', answers: { political: { 1: { loyalty: 'poor', n_duplicity: 'yes', n_discipline: 'yes' } } } }];
    expect(tallySitting([politicalForm], allBad, [{ name: '委员', weight: 1 }], { k: 1 }).forms[0]!.subjects[0]!.scores.politicalScore).toBe(0);
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

/** Two cadres on a form with 德能勤绩廉, and the political form: what the insider attacks. */
const twoCadres = [{ id: 1, name: '干部1', title: '' }, { id: 2, name: '干部2', title: '' }];
const dimensionForm = buildForm({ kind: 'cadre', dimensions: true }, twoCadres);
const twoPolitical = buildForm({ kind: 'political' }, twoCadres);

/** One ballot: `low` rates cadre 1 不称职 / 差 with 是 on the negative items and cadre 2 优秀 / 好; `high` the reverse; `mid` 称职 / 较好 for both. */
function rated(voterGroup: string, first: 'low' | 'high' | 'mid'): CountedBallot {
  const grades = { low: ['incompetent', 'poor', 'yes'], high: ['excellent', 'good', 'no'], mid: ['competent', 'fairly_good', 'no'] } as const;
  const other = { low: 'high', high: 'low', mid: 'mid' } as const;
  const answer = (form: BallotForm, rating: 'low' | 'high' | 'mid') => {
    const [cadre, political, negative] = grades[rating];
    return Object.fromEntries(form.questions.map((q) => [q.id, form.kind === 'cadre' ? cadre : q.role === 'negative' ? negative : political]));
  };
  return { voterGroup, answers: Object.fromEntries([dimensionForm, twoPolitical].map((f) => [f.id, { 1: answer(f, first), 2: answer(f, other[first]) }])) };
}

/** The insider's groups: 上级 30 with one ballot, 同级 70 with six (GRADING §1 default weights differ; these are the issue's). */
const INSIDER_GROUPS = [{ name: '上级', weight: 30 }, { name: '同级', weight: 70 }];

/** Solves score = (30a + 70b) / 100 and plainMean = (a + 6b) / 7 for the lone voter's a. */
function loneVoterFrom(score: number, plainMean: number): number {
  return (score * 100 * 6 - 70 * plainMean * 7) / (30 * 6 - 70 * 1);
}

describe('hidden groups are pooled (SECURITY.md, no differencing through scores)', () => {
  it('a hidden group’s ballots are scored together with the other hidden groups, at their summed weight', () => {
    const ballots = [ballot('上级', 'incompetent'), ...repeat(6, () => ballot('同级', 'excellent')), ...repeat(8, () => ballot('下级', 'competent'))];
    const tally = tallySitting([cadreForm], ballots, [...INSIDER_GROUPS, { name: '下级', weight: 50 }], { k: 5 });
    // Pool: (0 + 6·100) / 7 at weight 30 + 70; 下级 alone: 80 at weight 50.
    expect(tally.forms[0]!.subjects[0]!.scores.democraticScore).toBeCloseTo((100 * (600 / 7) + 50 * 80) / 150, 4);
    expect(tally.groups.map((g) => [g.name, g.shown, g.pooled])).toEqual([['上级', false, true], ['同级', false, true], ['下级', true, false]]);
  });

  it('when every group is hidden, every score is the plain mean of all ballots', () => {
    const ballots = [rated('上级', 'low'), ...repeat(6, () => rated('同级', 'high'))];
    const tally = tallySitting([dimensionForm, twoPolitical], ballots, INSIDER_GROUPS, { k: 5 });
    const [cadre1, cadre2] = tally.forms[0]!.subjects;
    expect(cadre1!.scores.democraticScore).toBeCloseTo(600 / 7, 4);
    expect(cadre2!.scores.democraticScore).toBeCloseTo(100 / 7, 4);
    for (const score of Object.values(cadre1!.scores.dimensionScores!)) expect(score).toBeCloseTo(600 / 7, 4);
    // Political, cadre 1: positive items (40 + 6·100) / 7, less 20 points for each negative item's 1/7 answering 是.
    expect(tally.forms[1]!.subjects[0]!.scores.politicalScore).toBeCloseTo(640 / 7 - 2 * 20 / 7, 4);
    expect(cadre1!.byGroup).toBeUndefined();
  });

  it('the weighted score and the counts no longer give a lone voter’s rating: the solution is the pool’s mean', () => {
    const tally = tallySitting([dimensionForm], [rated('上级', 'low'), ...repeat(6, () => rated('同级', 'high'))], INSIDER_GROUPS, { k: 5 });
    for (const [subject, actual] of [[tally.forms[0]!.subjects[0]!, 0], [tally.forms[0]!.subjects[1]!, 100]] as const) {
      const overall = subject.questions.find((q) => q.id === 'overall')!;
      const plainMean = (overall.counts.excellent! * 100 + overall.counts.competent! * 80 + overall.counts.basically_competent! * 60) / overall.valid;
      const solved = loneVoterFrom(subject.scores.democraticScore!, plainMean);
      expect(Math.abs(solved - actual)).toBeGreaterThan(10);
      expect(solved).toBeCloseTo(plainMean, 2);
    }
  });

  it('swapping the group label between the lone 上级 ballot and a 同级 ballot changes no published number', () => {
    const groups = [...INSIDER_GROUPS, { name: '下级', weight: 50 }];
    const rest = repeat(8, () => rated('下级', 'mid'));
    const before = tallySitting([dimensionForm, twoPolitical], [rated('上级', 'low'), ...repeat(6, () => rated('同级', 'high')), ...rest], groups, { k: 5 });
    const after = tallySitting([dimensionForm, twoPolitical], [rated('上级', 'high'), rated('同级', 'low'), ...repeat(5, () => rated('同级', 'high')), ...rest], groups, { k: 5 });
    expect(after).toEqual(before);
    expect(before.groups.find((g) => g.name === '下级')!.shown).toBe(true);
  });

  it('a group without ballots adds no weight to the pool', () => {
    const groups = [{ name: '上级', weight: 30 }, { name: '同级', weight: 30 }, { name: '下级', weight: 40 }, { name: '服务对象', weight: 1000 }];
    const ballots = [ballot('上级', 'excellent'), ...repeat(4, () => ballot('同级', 'competent')), ...repeat(10, () => ballot('下级', 'basically_competent'))];
    const tally = tallySitting([cadreForm], ballots, groups, { k: 5 });
    // Pool 上级 + 同级: 420 / 5 at weight 60; 下级 60 at weight 40; 服务对象 has no ballots.
    expect(tally.forms[0]!.subjects[0]!.scores.democraticScore).toBeCloseTo((60 * 84 + 40 * 60) / 100, 4);
    expect(tally.groups.find((g) => g.name === '服务对象')).toMatchObject({ ballots: 0, shown: false, pooled: false });
  });
});

describe('fewer than k ballots in all', () => {
  it('fewer than k ballots publish no per-subject numbers, only why; k ballots are published', () => {
    const ballots = [rated('上级', 'low'), rated('同级', 'high'), rated('同级', 'high'), rated('下级', 'mid')];
    const tally = tallySitting([dimensionForm, twoPolitical], ballots, [...INSIDER_GROUPS, { name: '下级', weight: 50 }], { k: 5 });
    expect(tally.forms).toEqual([]);
    expect(tally.withheld).toEqual({ reason: 'too_few_ballots', ballots: 4, k: 5 });
    expect(tally.groups.map((g) => [g.name, g.weight, g.shown])).toEqual([['上级', 30, false], ['同级', 70, false], ['下级', 50, false]]);
    expect(tallySitting([cadreForm], [], [{ name: '委员', weight: 1 }], { k: 5 }).withheld).toEqual({ reason: 'too_few_ballots', ballots: 0, k: 5 });
    // One more ballot makes k: published.
    const published = tallySitting([dimensionForm, twoPolitical], [...ballots, rated('下级', 'mid')], [...INSIDER_GROUPS, { name: '下级', weight: 50 }], { k: 5 });
    expect(published.withheld).toBeUndefined();
    expect(published.forms).toHaveLength(2);
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
