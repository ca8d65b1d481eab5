import { demoProvince, type AssessmentInput } from '../../../shared/grading';
import type { Db } from '../../db/database';
import { createAssessment } from '../subjects/assessments';
import { addSubjects } from '../subjects/subjects';
import { inputsOf } from './inputs';
import { publishAssessment, runGrading, saveSubjectInputs } from './grading';

async function loadYear(db: Db, actor: string, year: AssessmentInput): Promise<number> {
  const id = await createAssessment(db, actor, `甘肃省${year.year}年度省管领导班子和领导干部考核（演示）`, year.year);
  await addSubjects(
    db,
    actor,
    id,
    year.subjects.map((s) => ({
      key: s.key,
      kind: s.kind,
      name: s.name,
      category: s.category,
      type: s.type,
      ...(s.teamKey ? { teamKey: s.teamKey } : {}),
      ...(s.role ? { role: s.role } : {}),
    })),
  );
  await saveSubjectInputs(db, actor, id, year.subjects.map(inputsOf));
  return id;
}

/**
 * The demo province at the seed's scale (220 teams, 1,847 cadres, 75 poverty counties, two
 * years), in one step: the previous year graded and published, the current one graded and
 * waiting for review, both under the demo policy (25% quota in every pool).
 */
export async function loadDemoProvince(db: Db, actor: string): Promise<{ previousId: number; currentId: number }> {
  const province = demoProvince();
  const previousId = await loadYear(db, actor, province.previous);
  await runGrading(db, actor, previousId, province.policy);
  await publishAssessment(db, actor, previousId);
  const currentId = await loadYear(db, actor, province.current);
  await runGrading(db, actor, currentId, province.policy);
  return { previousId, currentId };
}
