import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { assessment, cadre } from './subjects';

const flagsFor = (incompetentRate: number, competentOrAboveRate: number) =>
  gradeAssessment(assessment([cadre('c', 80, { components: { democratic: { score: 80, excellentRate: 0.1, competentOrAboveRate, incompetentRate } } })]), DEFAULT_POLICY).subjects[0];

describe('vote flags (§5.5)', () => {
  it('flags a 不称职率 over one third and a 称职以上率 under two thirds', () => {
    expect(flagsFor(0.34, 0.6)?.voteFlags.map((f) => f.code)).toEqual(['incompetent_rate_high', 'competent_or_above_rate_low']);
    expect(flagsFor(1 / 3, 2 / 3)?.voteFlags).toEqual([]);
  });

  it('shows the flag beside the grade without changing it', () => {
    expect(flagsFor(0.5, 0.4)).toMatchObject({ proposedGrade: 'competent', voteFlags: [expect.objectContaining({ zh: expect.stringContaining('不称职率50%') }), expect.anything()] });
  });
});
