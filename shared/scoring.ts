import { OPTION_SCORES, type Answers, type BallotForm, type BallotQuestion } from './forms';

/**
 * Tallies and test scores of one sitting (GRADING.md §1). Pure: the server feeds it the
 * sitting's ballots after close, and the results page, exports and grading read its output.
 */

export interface CountedBallot {
  voterGroup: string;
  answers: Answers;
}

export interface VoterGroupWeight {
  name: string;
  weight: number;
}

export interface QuestionTally {
  id: string;
  counts: Record<string, number>;
  valid: number;
  blank: number;
}

export interface GroupBreakdown {
  group: string;
  /** Group-level mean of the overall (or political positive) values; null where none. */
  mean: number | null;
  counts: Record<string, number>;
}

export interface SubjectScores {
  /** Democratic evaluation score: group means of the overall question, weighted, renormalised. */
  democraticScore?: number | null;
  excellentRate?: number | null;
  competentOrAboveRate?: number | null;
  incompetentRate?: number | null;
  basicOrBelowRate?: number | null;
  dimensionScores?: Record<string, number | null>;
  /** Political quality score: positive items' mean minus deductions for 是 on negative items, floored at 0. */
  politicalScore?: number | null;
}

export interface SubjectResult {
  id: number;
  name: string;
  questions: QuestionTally[];
  scores: SubjectScores;
  /** Per voter group, only for groups shown under the small-group rule; absent when all are hidden. */
  byGroup?: GroupBreakdown[];
}

export interface FormResult {
  id: string;
  kind: BallotForm['kind'];
  subjects: SubjectResult[];
}

export interface GroupSummary {
  name: string;
  weight: number;
  ballots: number;
  /** False when the group's breakdown is suppressed (fewer than k ballots, or hidden to stop differencing). */
  shown: boolean;
  /** True for a hidden group with ballots: all such groups are scored together as one pooled group. */
  pooled: boolean;
}

/**
 * Why a closed sitting publishes no per-subject numbers (SECURITY.md, no differencing):
 * fewer than k ballots in all, or a reopen that added fewer than k ballots to results
 * already released (the difference would be those few ballots).
 */
export type Withholding =
  | { reason: 'too_few_ballots'; ballots: number; k: number }
  | { reason: 'reopen_below_k'; newBallots: number; k: number };

export interface SittingTally {
  ballots: number;
  k: number;
  groups: GroupSummary[];
  /** Empty when `withheld` is set. */
  forms: FormResult[];
  withheld?: Withholding;
}

export const DEFAULT_NEGATIVE_DEDUCTION = 20;

/**
 * Which voter groups' breakdowns may be shown. A group with fewer than k ballots is hidden;
 * hidden cells must not be derivable from the totals by subtraction, so further groups
 * (smallest first) are hidden until the hidden groups together hold at least k ballots.
 */
export function shownGroups(counts: ReadonlyMap<string, number>, k: number): Set<string> {
  const ordered = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const hidden = new Set(ordered.filter(([, n]) => n < k).map(([g]) => g));
  let hiddenTotal = ordered.filter(([g]) => hidden.has(g)).reduce((sum, [, n]) => sum + n, 0);
  for (const [group, n] of ordered) {
    if (hidden.size === 0 || hiddenTotal >= k) break;
    if (hidden.has(group)) continue;
    hidden.add(group);
    hiddenTotal += n;
  }
  // One hidden group beside shown ones could still be derived from the totals: hide another.
  if (hidden.size === 1 && ordered.length > 1) {
    const next = ordered.find(([g]) => !hidden.has(g));
    if (next) hidden.add(next[0]);
  }
  return new Set(ordered.map(([g]) => g).filter((g) => !hidden.has(g)));
}

/** The one group every hidden voter group is scored in (a symbol: it cannot clash with a group's name). */
const POOLED = Symbol('pooled');

/** A shown voter group, or the pool of all hidden ones. */
type EffectiveGroup = string | typeof POOLED;

/**
 * The groups scores are weighted over (SECURITY.md, no differencing through scores). Weighted
 * on its own, a hidden group could be solved for: the weighted score and the plain mean of the
 * published counts are two equations, enough for a lone voter's rating. So every hidden group
 * is scored in one pool (≥ k ballots, by `shownGroups`) at the sum of their weights, and the
 * pool's mean is the plain mean of its ballots, whatever their group labels.
 */
function effectiveGroups(counts: ReadonlyMap<string, number>, weights: ReadonlyMap<string, number>, shown: ReadonlySet<string>) {
  const of = (group: string): EffectiveGroup => (shown.has(group) ? group : POOLED);
  const effectiveWeights = new Map<EffectiveGroup, number>();
  for (const [group, n] of counts) {
    // A group without ballots adds no weight to the pool: it has nothing to be scored on.
    if (n === 0) continue;
    const key = of(group);
    effectiveWeights.set(key, (effectiveWeights.get(key) ?? 0) + (weights.get(group) ?? 0));
  }
  return { of, weights: effectiveWeights };
}

interface Accumulator {
  counts: Record<string, number>;
  valid: number;
  byGroup: Map<EffectiveGroup, { sum: number; valid: number; counts: Record<string, number> }>;
}

function emptyAccumulator(): Accumulator {
  return { counts: {}, valid: 0, byGroup: new Map() };
}

function add(acc: Accumulator, group: EffectiveGroup, value: string): void {
  acc.counts[value] = (acc.counts[value] ?? 0) + 1;
  acc.valid++;
  let g = acc.byGroup.get(group);
  if (!g) acc.byGroup.set(group, (g = { sum: 0, valid: 0, counts: {} }));
  g.counts[value] = (g.counts[value] ?? 0) + 1;
  g.valid++;
  g.sum += OPTION_SCORES[value] ?? 0;
}

/** Σ w_g · mean_g over the effective groups with answers, weights renormalised over those groups. */
function weightedGroupMean(acc: Accumulator, weights: ReadonlyMap<EffectiveGroup, number>): number | null {
  let weighted = 0;
  let weightSum = 0;
  for (const [group, g] of acc.byGroup) {
    if (g.valid === 0) continue;
    const w = weights.get(group) ?? 0;
    weighted += w * (g.sum / g.valid);
    weightSum += w;
  }
  if (weightSum > 0) return weighted / weightSum;
  // All answering groups weigh 0: fall back to the plain mean rather than invent a score.
  let sum = 0;
  let valid = 0;
  for (const g of acc.byGroup.values()) {
    sum += g.sum;
    valid += g.valid;
  }
  return valid === 0 ? null : sum / valid;
}

function share(acc: Accumulator, values: readonly string[]): number | null {
  if (acc.valid === 0) return null;
  return values.reduce((n, v) => n + (acc.counts[v] ?? 0), 0) / acc.valid;
}

function round(x: number | null, digits = 4): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function scoreSubject(form: BallotForm, accs: Map<string, Accumulator>, weights: ReadonlyMap<EffectiveGroup, number>, negativeDeduction: number): SubjectScores {
  const acc = (q: BallotQuestion) => accs.get(q.id) ?? emptyAccumulator();
  if (form.kind === 'political') {
    const positives = form.questions.filter((q) => q.role === 'positive').map((q) => weightedGroupMean(acc(q), weights)).filter((m): m is number => m !== null);
    if (positives.length === 0) return { politicalScore: null };
    let score = positives.reduce((a, b) => a + b, 0) / positives.length;
    for (const q of form.questions.filter((q) => q.role === 'negative')) score -= negativeDeduction * (share(acc(q), ['yes']) ?? 0);
    return { politicalScore: round(Math.max(0, score)) };
  }
  const overall = form.questions.find((q) => q.role === 'overall');
  const scores: SubjectScores = {};
  if (overall) {
    const a = acc(overall);
    const [top, second, third, bottom] = overall.options.map((o) => o.value);
    scores.democraticScore = round(weightedGroupMean(a, weights));
    scores.excellentRate = round(share(a, [top!]));
    scores.competentOrAboveRate = round(share(a, [top!, second!]));
    scores.incompetentRate = round(share(a, [bottom!]));
    scores.basicOrBelowRate = round(share(a, [third!, bottom!]));
  }
  const dimensions = form.questions.filter((q) => q.role === 'dimension');
  if (dimensions.length > 0) scores.dimensionScores = Object.fromEntries(dimensions.map((q) => [q.id, round(weightedGroupMean(acc(q), weights))]));
  return scores;
}

/**
 * Tallies every form of a sitting and computes its test scores, hidden groups pooled. A sitting
 * with fewer than k ballots in all publishes no per-subject numbers: any of them would describe
 * fewer than k voters.
 */
export function tallySitting(
  forms: readonly BallotForm[],
  ballots: readonly CountedBallot[],
  groups: readonly VoterGroupWeight[],
  options: { k: number; negativeDeduction?: number },
): SittingTally {
  const weights = new Map(groups.map((g) => [g.name, g.weight]));
  const ballotsPerGroup = new Map(groups.map((g) => [g.name, 0]));
  for (const b of ballots) ballotsPerGroup.set(b.voterGroup, (ballotsPerGroup.get(b.voterGroup) ?? 0) + 1);
  if (ballots.length < options.k) {
    return {
      ballots: ballots.length,
      k: options.k,
      groups: groups.map((g) => ({ name: g.name, weight: g.weight, ballots: ballotsPerGroup.get(g.name) ?? 0, shown: false, pooled: false })),
      forms: [],
      withheld: { reason: 'too_few_ballots', ballots: ballots.length, k: options.k },
    };
  }
  const shown = shownGroups(ballotsPerGroup, options.k);
  const effective = effectiveGroups(ballotsPerGroup, weights, shown);

  // accumulators[formId][subjectId][questionId]
  const accumulators = new Map<string, Map<string, Map<string, Accumulator>>>();
  for (const form of forms) accumulators.set(form.id, new Map(form.subjects.map((s) => [String(s.id), new Map()])));
  // The hot loop of a close (a plenary: ~120,000 answers): `for...in` rather than
  // Object.entries, which allocates an array per form, subject and question (measured ~2x slower).
  for (const ballot of ballots) {
    const group = effective.of(ballot.voterGroup);
    for (const formId in ballot.answers) {
      const subjects = accumulators.get(formId);
      if (!subjects) continue;
      const formAnswers = ballot.answers[formId]!;
      for (const subjectId in formAnswers) {
        const questions = subjects.get(subjectId);
        if (!questions) continue;
        const subjectAnswers = formAnswers[subjectId]!;
        for (const questionId in subjectAnswers) {
          let acc = questions.get(questionId);
          if (!acc) questions.set(questionId, (acc = emptyAccumulator()));
          add(acc, group, subjectAnswers[questionId]!);
        }
      }
    }
  }

  const formResults = forms.map((form): FormResult => ({
    id: form.id,
    kind: form.kind,
    subjects: form.subjects.map((subject): SubjectResult => {
      const accs = accumulators.get(form.id)!.get(String(subject.id))!;
      const questions = form.questions.map((q): QuestionTally => {
        const acc = accs.get(q.id) ?? emptyAccumulator();
        const counts = Object.fromEntries(q.options.map((o) => [o.value, acc.counts[o.value] ?? 0]));
        return { id: q.id, counts, valid: acc.valid, blank: ballots.length - acc.valid };
      });
      const result: SubjectResult = { id: subject.id, name: subject.name, questions, scores: scoreSubject(form, accs, effective.weights, options.negativeDeduction ?? DEFAULT_NEGATIVE_DEDUCTION) };
      if (shown.size > 0) result.byGroup = breakdown(form, accs, shown);
      return result;
    }),
  }));

  return {
    ballots: ballots.length,
    k: options.k,
    groups: groups.map((g) => {
      const n = ballotsPerGroup.get(g.name) ?? 0;
      return { name: g.name, weight: g.weight, ballots: n, shown: shown.has(g.name), pooled: n > 0 && !shown.has(g.name) };
    }),
    forms: formResults,
  };
}

function breakdown(form: BallotForm, accs: Map<string, Accumulator>, shown: ReadonlySet<string>): GroupBreakdown[] {
  const headline = form.questions.find((q) => q.role === 'overall') ?? form.questions.find((q) => q.role === 'positive');
  const acc = headline ? accs.get(headline.id) : undefined;
  return [...shown].sort().map((group) => {
    const g = acc?.byGroup.get(group);
    return { group, mean: g && g.valid > 0 ? round(g.sum / g.valid) : null, counts: { ...(g?.counts ?? {}) } };
  });
}
