import { useEffect, useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiFailure, byId, call } from '../api';
import type { GradingRun } from '../api-types';
import { ErrorNote, Loading, confirmStep, formatTime, useLoad } from '../components';
import { t } from '../i18n';
import { teamNamesOf, withSubject } from '../models/grading';
import { previousYearOf, usePreviousRun } from '../previous-year';
import { useAction } from '../use-action';
import { GradingHeader } from './grading-common';
import { FlaggedEvaluators } from './grading-evaluators';
import { GradeList } from './grading-list';

/** Loads the current grading run; `null` when none has been run yet (409 not_graded). */
export function useGradingRun(id: number) {
  return useLoad<GradingRun | null>(
    () =>
      call(api.admin.assessments[':id'].grading.$get(byId(id))).catch((err: unknown) => {
        if (err instanceof ApiFailure && err.code === 'not_graded') return null;
        throw err;
      }),
    [id],
  );
}

/** 等次评定: run the grading, review every subject's proposed grade with its grounds, and override. */
export function GradingPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const assessment = useLoad(() => call(api.admin.assessments[':id'].$get(byId(id))), [id]);
  const loaded = useGradingRun(id);
  const [run, setRun] = useState<GradingRun | null | undefined>(undefined);
  useEffect(() => setRun(loaded.data), [loaded.data]);
  const previous = usePreviousRun(previousYearOf(run));
  const teamNames = useMemo(() => teamNamesOf(assessment.data?.subjects ?? []), [assessment.data]);
  const grade = useAction(async () => setRun(await call(api.admin.assessments[':id'].grading.$post({ ...byId(id), json: {} }))));

  if (assessment.error) return <ErrorNote error={assessment.error} />;
  if (!assessment.data) return <Loading />;
  const frozen = assessment.data.assessment.publishedRunId !== null;

  const confirmGrading = async () => {
    const ok = await confirmStep({
      title: t('评定等次', 'Run grading'),
      body: (
        <p>
          {t(
            '按现行评定办法重新计算综合得分和拟定等次。此前的人工调整连同理由一并保留，拟定等次按新结果显示在旁。',
            'Recompute composites and proposed grades under the policy in force. Earlier overrides are kept with their reasons; the new proposal is shown beside them.',
          )}
        </p>
      ),
      confirmLabel: t('开始评定', 'Run grading'),
    });
    if (ok) await grade.run();
  };

  return (
    <>
      <GradingHeader data={assessment.data} tab="grading" onPublished={() => (assessment.reload(), loaded.reload())} canPublish={!!run} />
      <div class="toolbar">
        {!frozen && (
          <button type="button" class="primary" onClick={confirmGrading} disabled={grade.busy} data-testid="run-grading">
            {grade.busy ? t('正在评定…', 'Grading…') : t('评定等次', 'Run grading')}
          </button>
        )}
        {run && (
          <span class="muted" data-testid="run-info">
            {t(`评定记录 #${run.runId}`, `Grading run #${run.runId}`)}
            {'createdAt' in run ? ` · ${formatTime(run.createdAt)}` : ''} · {t('评定办法', 'policy')} {run.policy.id} v{run.policy.version}
          </span>
        )}
      </div>
      <ErrorNote error={grade.error ?? loaded.error} />
      {run === undefined ? (
        <Loading />
      ) : run === null ? (
        <p class="muted" data-testid="not-graded">
          {t('尚未评定等次。请先在「考核数据」中录入或导入各项得分，再点击「评定等次」。', 'No grading has been run yet. Enter or import the component scores under Inputs, then run grading.')}
        </p>
      ) : (
        <>
          {run.result.issues.length > 0 && (
            <p class="warn">
              {t(`${run.result.issues.length} 个考核对象的数据不完整（如没有任何得分）。`, `${run.result.issues.length} subjects have incomplete inputs (e.g. no component score).`)}
            </p>
          )}
          <FlaggedEvaluators run={run} />
          <GradeList run={run} previous={previous.data ?? null} assessmentId={id} frozen={frozen} teamNames={teamNames} onChanged={(s) => setRun(withSubject(run, s))} />
        </>
      )}
    </>
  );
}
