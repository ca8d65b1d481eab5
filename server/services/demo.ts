import type { SubjectInput } from '../../shared/api';
import type { Db } from '../db/database';
import { createAssessment } from './subjects/assessments';
import { addSubjects } from './subjects/subjects';
import { createSitting, openSitting } from './sittings/sittings';

const ACTOR = 'system:demo';

const TEAMS: SubjectInput[] = [
  { key: 'T-LZ', kind: 'team', name: '兰州市委领导班子', category: 'city', type: '第一类型' },
  { key: 'T-DX', kind: 'team', name: '定西市委领导班子', category: 'city', type: '第二类型' },
  { key: 'T-FGW', kind: 'team', name: '省发展改革委领导班子', category: 'department', type: '经济工作部门' },
];

const CADRES: SubjectInput[] = [
  { key: 'C-001', kind: 'cadre', name: '张明', title: '兰州市委书记', teamKey: 'T-LZ', role: 'principal' },
  { key: 'C-002', kind: 'cadre', name: '李华', title: '兰州市委副书记', teamKey: 'T-LZ', role: 'deputy' },
  { key: 'C-003', kind: 'cadre', name: '王芳', title: '兰州市副市长', teamKey: 'T-LZ', role: 'deputy' },
  { key: 'C-004', kind: 'cadre', name: '赵强', title: '定西市委书记', teamKey: 'T-DX', role: 'principal' },
  { key: 'C-005', kind: 'cadre', name: '陈静', title: '定西市委副书记', teamKey: 'T-DX', role: 'deputy' },
  { key: 'C-006', kind: 'cadre', name: '刘伟', title: '定西市副市长', teamKey: 'T-DX', role: 'deputy' },
  { key: 'C-007', kind: 'cadre', name: '杨洋', title: '省发展改革委主任', teamKey: 'T-FGW', role: 'principal' },
  { key: 'C-008', kind: 'cadre', name: '黄磊', title: '省发展改革委副主任', teamKey: 'T-FGW', role: 'deputy' },
  { key: 'C-009', kind: 'cadre', name: '周敏', title: '省发展改革委副主任', teamKey: 'T-FGW', role: 'deputy' },
];

/** A small assessment with one open sitting, so a new user sees something at once. */
export async function loadDemo(db: Db): Promise<{ assessmentId: number; sittingId: number }> {
  const assessmentId = await createAssessment(db, ACTOR, '2026年度省管领导班子和领导干部考核（演示）', 2026);
  await addSubjects(db, ACTOR, assessmentId, [...TEAMS, ...CADRES]);
  const sittingId = await createSitting(db, ACTOR, assessmentId, {
    name: '领导班子和领导干部民主测评（演示）',
    forms: ['team', { kind: 'cadre', maxTopShare: 0.3 }, 'political'],
    subjectKeys: [...TEAMS, ...CADRES].map((s) => s.key),
    voterGroups: [
      { name: '上级', weight: 30 },
      { name: '同级', weight: 30 },
      { name: '下级', weight: 40 },
    ],
  });
  await openSitting(db, ACTOR, sittingId);
  return { assessmentId, sittingId };
}
