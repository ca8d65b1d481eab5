import { describe, expect, it } from 'vitest';
import { compositeBins, categoryCounts, quotaLine } from '../../../client/admin/models/grading-charts';
import { subjectFlags, viewRows, DEFAULT_VIEW } from '../../../client/admin/models/results';
import { DEFAULT_POLICY } from '../../../shared/grading';
import { gradesOf } from '../../../shared/grading/glossary';
import { CADRE_RATINGS, gradeOrderOf, NEUTRAL_COLOUR, RANK_COLOURS, RATING_RANK, TEAM_RATINGS } from '../../../shared/rating-scale';

/** WCAG relative luminance contrast of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the shared rating scale', () => {
  it('ranks the ballot ratings best to worst in the order the forms offer them', () => {
    expect(CADRE_RATINGS.map((v) => RATING_RANK[v])).toEqual([0, 1, 2, 3]);
    expect(TEAM_RATINGS.map((v) => RATING_RANK[v])).toEqual([0, 1, 2, 3]);
  });

  it('orders the grades as the grading glossary does', () => {
    expect(gradeOrderOf('team')).toEqual(gradesOf('team'));
    expect(gradeOrderOf('cadre')).toEqual(gradesOf('cadre'));
  });

  it('has colours with at least 3:1 contrast on white and on the console background (WCAG non-text contrast)', () => {
    for (const colour of [...RANK_COLOURS, NEUTRAL_COLOUR]) {
      expect(contrast(colour, '#ffffff')).toBeGreaterThanOrEqual(3);
      expect(contrast(colour, '#f4f6f9')).toBeGreaterThanOrEqual(3);
    }
  });
});

const scores = (incompetentRate: number, competentOrAboveRate: number, democraticScore = 80) => ({ democraticScore, excellentRate: 0.2, competentOrAboveRate, incompetentRate });

describe('sitting results: flags and order', () => {
  it('flags a subject by the grading rule (不称职率 over 1/3, 称职以上率 under 2/3), not for political forms', () => {
    expect(subjectFlags('cadre', scores(0.34, 0.66), DEFAULT_POLICY).map((f) => f.code)).toEqual(['incompetent_rate_high', 'competent_or_above_rate_low']);
    expect(subjectFlags('cadre', scores(1 / 3, 2 / 3), DEFAULT_POLICY)).toEqual([]);
    expect(subjectFlags('political', scores(0.5, 0.5), DEFAULT_POLICY)).toEqual([]);
    expect(subjectFlags('cadre', { ...scores(0.5, 0.5), incompetentRate: null }, DEFAULT_POLICY)).toEqual([]);
  });

  it('sorts by 不称职率 highest first, subjects without a rate last, and filters by name or post', () => {
    const subjects = [
      { id: 1, name: '甲', questions: [], scores: scores(0.1, 0.9) },
      { id: 2, name: '乙', questions: [], scores: { democraticScore: null } },
      { id: 3, name: '丙', questions: [], scores: scores(0.4, 0.5) },
    ];
    const titles = new Map([[3, '副市长']]);
    const none = () => [];
    expect(viewRows(subjects, { ...DEFAULT_VIEW, sort: 'incompetent' }, none, titles).map((s) => s.id)).toEqual([3, 1, 2]);
    expect(viewRows(subjects, { ...DEFAULT_VIEW, text: '市长' }, none, titles).map((s) => s.id)).toEqual([3]);
  });
});

describe('grading charts', () => {
  const s = (composite: number | null) => ({ scores: { components: {}, composite } });

  it('counts composites in 5-point bars from the lowest ten to 100, 100 in the top bar', () => {
    const bins = compositeBins([s(71), s(74.99), s(75), s(100), s(null)]);
    expect(bins[0]).toEqual({ from: 70, to: 75, count: 2 });
    expect(bins.find((b) => b.from === 75)?.count).toBe(1);
    expect(bins.at(-1)).toEqual({ from: 95, to: 100, count: 1 });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(4);
  });

  it('puts the quota line at the composite ranked at the quota', () => {
    expect(quotaLine([s(80), s(95), s(90), s(85)], 2)).toBe(90);
    expect(quotaLine([s(80)], 2)).toBeNull();
  });

  it("counts final grades per category beside the previous year's, zeros included", () => {
    const g = (category: 'city' | 'county', finalGrade: 'excellent' | 'good') => ({ kind: 'team' as const, category, finalGrade, poolId: 'p' });
    const counts = categoryCounts([g('city', 'excellent'), g('city', 'good'), g('city', 'good')], [g('city', 'excellent'), g('city', 'excellent'), g('county', 'good')]);
    expect(counts).toHaveLength(1);
    expect(counts[0]!.rows.map((r) => [r.grade, r.current, r.previous])).toEqual([['excellent', 1, 2], ['good', 2, 0], ['average', 0, 0], ['poor', 0, 0]]);
  });
});
