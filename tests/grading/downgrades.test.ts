import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment, type SubjectFacts } from '../../shared/grading';
import { assessment, team } from './subjects';

const graded = (score: number, facts: SubjectFacts, policy = DEFAULT_POLICY) =>
  gradeAssessment(assessment([team('t', score, { facts })]), policy).subjects[0];

describe('downgrades of a team (§5.3)', () => {
  it('a veto lowers a team one grade and bars 优秀', () => {
    expect(graded(95, { vetoItems: ['安全生产事故'] })).toMatchObject({ provisionalGrade: 'excellent', proposedGrade: 'good' });
    expect(graded(85, { vetoItems: ['安全生产事故'] })?.proposedGrade).toBe('average');
  });

  it('ranking at the bottom of high-quality development lowers a grade only together with being summoned', () => {
    expect(graded(85, { bottomRankedInDevelopment: true, summoned: true })?.proposedGrade).toBe('average');
    expect(graded(85, { bottomRankedInDevelopment: true })?.proposedGrade).toBe('good');
  });

  it('a public criticism, disciplined members and other serious problems each lower a grade', () => {
    expect(graded(85, { publiclyCriticised: true })?.reasons.map((r) => r.code)).toContain('downgrades.public_criticism');
    expect(graded(85, { publiclyCriticised: true, membersDisciplined: 2 })?.proposedGrade).toBe('poor');
    expect(graded(85, { otherSeriousProblems: ['生态环保督察反馈问题'] })?.proposedGrade).toBe('average');
  });

  it('lowers by the policy steps and never below 较差', () => {
    expect(graded(85, { publiclyCriticised: true }, { ...DEFAULT_POLICY, downgradeSteps: 2 })?.proposedGrade).toBe('poor');
    expect(graded(50, { publiclyCriticised: true })?.proposedGrade).toBe('poor');
  });
});
