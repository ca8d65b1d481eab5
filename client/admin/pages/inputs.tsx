import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, byId, call } from '../api';
import { ErrorNote, Loading, useLoad } from '../components';
import { t } from '../i18n';
import { GradingHeader } from './grading-common';
import { InputsImport } from './inputs-import';
import { InputsTable } from './inputs-table';

/** 考核数据: the component scores and facts of an assessment's subjects, imported or entered by hand. */
export function InputsPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const assessment = useLoad(() => call(api.admin.assessments[':id'].$get(byId(id))), [id]);
  const inputs = useLoad(() => call(api.admin.assessments[':id'].inputs.$get(byId(id))), [id]);
  const byKey = useMemo(() => new Map((inputs.data?.inputs ?? []).map((r) => [r.key, r])), [inputs.data]);
  const [notice, setNotice] = useState<string | null>(null);
  if (assessment.error) return <ErrorNote error={assessment.error} />;
  if (!assessment.data) return <Loading />;
  const frozen = assessment.data.assessment.publishedRunId !== null;
  return (
    <>
      <GradingHeader data={assessment.data} tab="inputs" onPublished={assessment.reload} canPublish={false} />
      <p class="muted">
        {t(
          '测评得分来自已结束的测评场次；这里录入或导入其他各项得分和有关情况。修改后请在「等次评定」中重新评定。',
          'Test scores come from closed sittings; enter or import the other component scores and facts here. Run grading again after a change.',
        )}
      </p>
      {notice && (
        <p class="ok" role="status" data-testid="inputs-notice">
          {notice}
        </p>
      )}
      {!frozen && (
        <InputsImport
          assessmentId={id}
          frozen={frozen}
          onImported={(n) => {
            setNotice(t(`已导入 ${n} 个考核对象的数据。`, `Inputs of ${n} subjects imported.`));
            inputs.reload();
          }}
        />
      )}
      <ErrorNote error={inputs.error} />
      {inputs.data ? (
        <InputsTable
          assessmentId={id}
          subjects={assessment.data.subjects}
          inputs={byKey}
          frozen={frozen}
          onSaved={(key) => {
            setNotice(t(`已保存 ${key} 的数据。`, `Saved the inputs of ${key}.`));
            inputs.reload();
          }}
        />
      ) : (
        !inputs.error && <Loading />
      )}
    </>
  );
}
