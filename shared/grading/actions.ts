import type { GradingPolicy } from './policy';
import type { Action, ActionCode, Grade, ScoreSheet, SubjectKind } from './types';

const ACTION_TEXT = {
  commendation: { zh: '给予嘉奖', en: 'commendation' },
  promotion_priority: { zh: '提拔使用、职级晋升优先考虑', en: 'priority for promotion' },
  written_report: { zh: '向省委写出书面报告,剖析原因,进行整改', en: 'written report to the committee, with causes and corrections' },
  principal_not_promoted: { zh: '主要负责人不得提拔或重用', en: 'principal not to be promoted' },
  admonition_talk: { zh: '进行诫勉谈话,限期整改', en: 'admonition talk and a deadline to improve' },
  demotion: { zh: '按规定程序降低一个职务或者职级任职', en: 'demotion by one post or rank' },
  reminder_talk: { zh: '综合得分在80分以下,进行谈话提醒', en: 'composite under 80: reminder talk' },
} as const satisfies Record<ActionCode, { zh: string; en: string }>;

const action = (code: ActionCode): Action => ({ code, ...ACTION_TEXT[code] });

/** §6 What follows from a grade [seed]: commendation, written report, admonition, demotion. */
export function gradeActions(kind: SubjectKind, grade: Grade): Action[] {
  const codes: ActionCode[] = [];
  if (grade === 'excellent') codes.push('commendation', 'promotion_priority');
  if (kind === 'team' && grade === 'average') codes.push('written_report', 'principal_not_promoted');
  if (grade === 'basically_competent') codes.push('admonition_talk');
  if (grade === 'incompetent') codes.push('demotion');
  return codes.map(action);
}

/** §6 A cadre whose composite is under the policy's line (80) gets a reminder talk, whatever the grade. */
export function reminderTalk(kind: SubjectKind, scores: ScoreSheet, policy: GradingPolicy): Action | undefined {
  if (kind !== 'cadre' || scores.composite === null || scores.composite >= policy.reminderTalkBelow) return undefined;
  const line = policy.reminderTalkBelow;
  return { code: 'reminder_talk', zh: `综合得分在${line}分以下,进行谈话提醒`, en: `composite under ${line}: reminder talk` };
}

export function actionsFor(kind: SubjectKind, grade: Grade, scores: ScoreSheet, policy: GradingPolicy): Action[] {
  const reminder = reminderTalk(kind, scores, policy);
  return reminder === undefined ? gradeActions(kind, grade) : [...gradeActions(kind, grade), reminder];
}
