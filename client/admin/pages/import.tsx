import { api, upload } from '../api';
import type { SubjectsPreview } from '../api-types';
import { FileChooser, ImportReport, useFileImport } from '../file-import';
import { fieldLabel, t } from '../i18n';

type ImportProblem = SubjectsPreview['problems'][number];

export function problemText(p: ImportProblem): string {
  const v = p.value ? `「${p.value}」` : '';
  switch (p.reason) {
    case 'empty_file':
      return t('文件中没有数据。', 'The file has no data.');
    case 'missing_column':
      return t(`缺少「${fieldLabel(p.field)}」列。`, `Column "${fieldLabel(p.field)}" is missing.`);
    case 'missing':
      return t(`${fieldLabel(p.field)}为空。`, `${fieldLabel(p.field)} is empty.`);
    case 'bad_kind':
      return t(`类型${v}无法识别，应为「班子」或「干部」。`, `Kind ${v} is not recognised: use 班子 (team) or 干部 (cadre).`);
    case 'bad_role':
      return t(`正职/副职${v}无法识别，应为「正职」或「副职」。`, `Role ${v} is not recognised: use 正职 (principal) or 副职 (deputy).`);
    case 'duplicate_key':
      return t(`编号${v}与第 ${p.otherRow} 行重复。`, `Key ${v} repeats row ${p.otherRow}.`);
    case 'key_exists':
      return t(`编号${v}已存在于本考核。`, `Key ${v} already exists in this assessment.`);
    case 'unknown_team':
      return t(`所属班子${v}不在名单中。`, `Team ${v} is not in the list.`);
    case 'too_long':
      return t(`${fieldLabel(p.field)}过长。`, `${fieldLabel(p.field)} is too long.`);
  }
}

/** Import a subject list (CSV / XLSX): preview with every bad row first, then save. */
export function SubjectImport({ assessmentId, onImported }: { assessmentId: number; onImported: (count: number) => void }) {
  const subjects = api.admin.assessments[':id'].subjects;
  const { file, preview, error, busy, choose, save } = useFileImport(
    { preview: (f) => upload(subjects.preview, assessmentId, f), save: (f) => upload(subjects, assessmentId, f) },
    (r) => onImported(r.subjects.length),
    // The 422 invalid_import's details: the rows a preview would show.
    (details): SubjectsPreview => {
      const d = details as Pick<SubjectsPreview, 'total' | 'problems'>;
      return { total: d.total, subjects: [], problems: d.problems, columns: {} };
    },
  );

  return (
    <div class="import card">
      <h3>{t('导入考核对象名单', 'Import subject list')}</h3>
      <p class="muted">
        {t(
          'CSV 或 XLSX 文件，第一行为表头：编号、类型（班子/干部）、姓名/名称、职务、类别、分类、所属班子、正职/副职。导入前会逐行检查，有错误时不保存任何内容。',
          'A CSV or XLSX file whose first row is the header: key, kind (班子 team / 干部 cadre), name, title, category, type, teamKey, role. Every row is checked first; if any is bad, nothing is saved.',
        )}
      </p>
      <FileChooser name="subjectsFile" file={file} error={error} disabled={busy} onChange={choose} />
      {preview && (
        <ImportReport testIdPrefix="import" total={preview.total} problems={preview.problems.map((p) => ({ row: p.row, column: fieldLabel(p.field), text: problemText(p) }))}>
          <table class="list compact">
            <thead>
              <tr>
                {(['key', 'kind', 'name', 'title', 'category', 'type', 'teamKey', 'role'] as const).map((f) => (
                  <th key={f}>{fieldLabel(f)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.subjects.slice(0, 8).map((s) => (
                <tr key={s.key}>
                  <td>{s.key}</td>
                  <td>{s.kind === 'team' ? t('班子', 'team') : t('干部', 'cadre')}</td>
                  <td>{s.name}</td>
                  <td>{s.title}</td>
                  <td>{s.category}</td>
                  <td>{s.type}</td>
                  <td>{s.teamKey}</td>
                  <td>{s.role === 'principal' ? t('正职', 'principal') : s.role === 'deputy' ? t('副职', 'deputy') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.subjects.length > 8 && <p class="muted">{t(`……另有 ${preview.subjects.length - 8} 行`, `… and ${preview.subjects.length - 8} more rows`)}</p>}
          <button type="button" class="primary" onClick={save} disabled={busy} data-testid="import-save">
            {t(`导入 ${preview.subjects.length} 个考核对象`, `Import ${preview.subjects.length} subjects`)}
          </button>
        </ImportReport>
      )}
    </div>
  );
}
