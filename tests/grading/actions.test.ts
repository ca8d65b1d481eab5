import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, gradeAssessment, type SubjectResult } from '../../shared/grading';
import { amongPeers, cadre, team } from './subjects';

const codes = (s: SubjectResult | undefined) => s?.actions.map((a) => a.code);
const first = (input: Parameters<typeof gradeAssessment>[0], policy = DEFAULT_POLICY) => gradeAssessment(input, policy).subjects[0];

describe('actions that follow from a grade (§6)', () => {
  it('commends 优秀 and gives priority for promotion', () => {
    expect(codes(first(amongPeers(cadre('c', 95))))).toEqual(['commendation', 'promotion_priority']);
    expect(codes(first(amongPeers(team('t', 95))))).toEqual(['commendation', 'promotion_priority']);
  });

  it('asks a team rated 一般 for a written report and stops its principal being promoted', () => {
    expect(codes(first(amongPeers(team('t', 70))))).toEqual(['written_report', 'principal_not_promoted']);
  });

  it('gives 基本称职 an admonition talk and 不称职 a demotion', () => {
    expect(codes(first(amongPeers(cadre('c', 70))))).toEqual(['admonition_talk', 'reminder_talk']);
    expect(codes(first(amongPeers(cadre('c', 50))))).toEqual(['demotion', 'reminder_talk']);
  });

  it('gives a cadre whose composite is under 80 a reminder talk (谈话提醒), whatever the grade', () => {
    const talk = first(amongPeers(cadre('c', 79.99)));
    expect(talk).toMatchObject({ proposedGrade: 'competent', actions: [{ code: 'reminder_talk', zh: '综合得分在80分以下,进行谈话提醒' }] });
    expect(codes(first(amongPeers(cadre('c', 80))))).toEqual([]);
    expect(codes(first(amongPeers(team('t', 79))))).toEqual([]);
  });
});
