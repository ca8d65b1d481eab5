import { api, upload } from '../api';
import type { InputsImportAnswer, InputsPreview } from '../api-types';
import { FileChooser, ImportReport, useFileImport } from '../file-import';
import { say, t } from '../i18n';
import { inputProblemText } from '../models/inputs';

/** The one route answers ?preview with the rows and their problems, and an import with the count saved. */
function previewOf(answer: InputsImportAnswer): InputsPreview {
  if ('rows' in answer) return answer;
  throw new Error(t('服务器没有返回预览。', 'The server returned no preview.'));
}

function savedOf(answer: InputsImportAnswer): number {
  if ('saved' in answer) return answer.saved;
  throw new Error(t('服务器没有保存。', 'The server saved nothing.'));
}

/** Import of component scores and facts from a spreadsheet: preview first, then save. */
export function InputsImport({ assessmentId, frozen, onImported }: { assessmentId: number; frozen: boolean; onImported: (n: number) => void }) {
  const route = api.admin.assessments[':id'].inputs.import;
  const { file, preview, error, busy, choose, save } = useFileImport(
    { preview: async (f) => previewOf(await upload(route, assessmentId, f, 'preview')), save: async (f) => savedOf(await upload(route, assessmentId, f)) },
    onImported,
    // The 422 invalid_import's details: the problems a preview would show.
    (details, last): InputsPreview => ({ total: last?.total ?? 0, rows: [], problems: (details as Pick<InputsPreview, 'problems'>).problems }),
  );
  return (
    <div class="import card">
      <h3>{t('导入考核数据', 'Import component scores and facts')}</h3>
      <p class="muted">
        {t(
          'CSV 或 XLSX 文件，每行一个考核对象，第一行为表头。必须有「编号」列；其余列可选：平时考核（或第一季度…第四季度）、工作实绩、上级评价、省委全会测评、政治素质、民主测评、优秀率、称职以上率、不称职率、贫困县、脱贫攻坚成效、一票否决、处分、诫勉、问责、约谈、通报批评、任职月数、请假月数、立案未结、「部门评价:单位名」。英文表头也可以。导入前逐行检查，有错误时不保存任何内容。',
          'A CSV or XLSX file, one subject per row, header in the first row. A key column (编号 / key) is required; the others are optional: routine (or q1…q4), performance, superior, plenary, politicalQuality, democratic, excellentRate, competentOrAbove, incompetentRate, povertyCounty, povertyResult, veto, sanctions, admonished, accountable, summoned, criticised, monthsInPost, leaveMonths, openCase, "department:<evaluator>"; Chinese headers work too. Every row is checked first; if any is bad, nothing is saved.',
        )}
      </p>
      <FileChooser name="inputsFile" file={file} error={error} disabled={busy || frozen} onChange={choose} testId="inputs-file" />
      {preview && (
        <ImportReport testIdPrefix="inputs" total={preview.total} problems={preview.problems.map((p) => ({ row: p.row, column: p.column ?? '', text: say(inputProblemText(p)) }))}>
          <button type="button" class="primary" onClick={save} disabled={busy} data-testid="inputs-save">
            {t(`导入 ${preview.rows.length} 个考核对象的数据`, `Import the inputs of ${preview.rows.length} subjects`)}
          </button>
        </ImportReport>
      )}
    </div>
  );
}
