import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment } from '../../shared/grading';
import { assessment, cadre, team } from './subjects';

const cadreGrade = (score: number) => gradeAssessment(assessment([cadre('c', score)]), DEFAULT_POLICY).subjects[0]?.provisionalGrade;
const teamGrade = (score: number) => gradeAssessment(assessment([team('t', score)]), DEFAULT_POLICY).subjects[0]?.provisionalGrade;

describe('score bands (§5.6): the provisional grade', () => {
  it('bands a cadre: ≥ 90 优秀-eligible, 75-89 称职, 60-74 基本称职, < 60 不称职', () => {
    expect([95, 90, 89.99, 75, 74.99, 60, 59.99].map(cadreGrade)).toEqual([
      'excellent', 'excellent', 'competent', 'competent', 'basically_competent', 'basically_competent', 'incompetent',
    ]);
  });

  it('bands a team: ≥ 90 优秀-eligible, 75-89 良好, 60-74 一般, < 60 较差', () => {
    expect([90, 89, 74, 59].map(teamGrade)).toEqual(['excellent', 'good', 'average', 'poor']);
  });
});
