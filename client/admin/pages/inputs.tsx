import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiFailure, errorText } from '../api';
import { ErrorNote, Loading, useLoad } from '../components';
import { FileChooser, ImportReport, useFileImport } from '../file-import';
import { t } from '../i18n';
import type { InputImportPreview, InputImportProblem, SubjectInputs } from '../../../shared/grading-api';
import { POVERTY_RESULT_LABELS } from '../../../shared/grading/glossary';
import type { PovertyResult, SanctionType } from '../../../shared/grading/types';
import type { Subject } from '../types';
import { GradingHeader, fmtScore, usePage, type AssessmentData } from './grading-common';

export const SANCTION_LABEL: Record<SanctionType, [string, string]> = {
  warning: ['警告', 'warning'],
  serious_warning: ['严重警告', 'serious warning'],
  demerit: ['记过', 'demerit'],
  major_demerit: ['记大过', 'major demerit'],
  demotion: ['降级', 'demotion'],
  removal_from_party_post: ['撤销党内职务', 'removal from party post'],
  dismissal: ['撤职', 'dismissal'],
  probation: ['留党察看', 'party probation'],
  expulsion: ['开除党籍', 'expulsion'],
};
export const SANCTIONS = Object.keys(SANCTION_LABEL) as SanctionType[];

export function inputProblemText(p: InputImportProblem): string {
  const v = p.value ? `「${p.value}」` : '';
  switch (p.reason) {
    case 'empty_file':
      return t('文件中没有数据。', 'The file has no data.');
    case 'missing_key_column':
      return t('缺少「编号」列（也可写作「对象编号」或 key）。', 'There is no key column (编号, 对象编号 or key).');
    case 'missing_key':
      return t('编号为空。', 'The key is empty.');
    case 'unknown_subject':
      return t(`编号${v}不在本考核的考核对象名单中。`, `Key ${v} is not a subject of this assessment.`);
    case 'duplicate_key':
      return t(`编号${v}在文件中重复出现。`, `Key ${v} appears more than once in the file.`);
    case 'not_a_number':
      return t(`${v}不是数字。`, `${v} is not a number.`);
    case 'out_of_range':
      return t(`${v}超出范围（得分 0-100，比率 0-1 或 0%-100%，月数 0-12）。`, `${v} is out of range (scores 0-100, rates 0-1 or 0%-100%, months 0-12).`);
    case 'bad_choice':
      return t(`${v}无法识别（是/否；好/较好/一般/差；处分写「警告」「严重警告」「记过」等）。`, `${v} is not recognised (是/否 yes/no; 好/较好/一般/差; sanctions such as 警告, 严重警告, 记过).`);
    case 'invalid':
      return t(`这一行的数据不完整或不一致${p.value ? `（${p.value}）` : ''}。`, `The row is incomplete or inconsistent${p.value ? ` (${p.value})` : ''}.`);
  }
}

function InputsImport({ assessmentId, frozen, onImported }: { assessmentId: number; frozen: boolean; onImported: (n: number) => void }) {
  const { file, preview, error, busy, choose, save } = useFileImport<InputImportPreview, { saved: number }>(
    { preview: `/api/admin/assessments/${assessmentId}/inputs/import?preview`, save: `/api/admin/assessments/${assessmentId}/inputs/import` },
    (r) => onImported(r.saved),
    (details, last) => ({ total: last?.total ?? 0, rows: [], problems: (details as { problems: InputImportProblem[] }).problems }),
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
        <ImportReport testIdPrefix="inputs" total={preview.total} problems={preview.problems.map((p) => ({ row: p.row, column: p.column ?? '', text: inputProblemText(p) }))}>
        <button type="button" class="primary" onClick={save} disabled={busy} data-testid="inputs-save">
          {t(`导入 ${preview.rows.length} 个考核对象的数据`, `Import the inputs of ${preview.rows.length} subjects`)}
        </button>
        </ImportReport>
      )}
    </div>
  );
}

const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;

/** The facts that bear on a grade, in a few words. */
function factsText(row: SubjectInputs | undefined): string[] {
  const f = row?.facts;
  if (!f) return [];
  const out: string[] = [];
  if (f.vetoItems?.length) out.push(t(`一票否决：${f.vetoItems.join('、')}`, `veto: ${f.vetoItems.join(', ')}`));
  if (f.sanctions?.length) out.push(t(`处分：${f.sanctions.map((s) => SANCTION_LABEL[s][0]).join('、')}`, `sanctions: ${f.sanctions.map((s) => SANCTION_LABEL[s][1]).join(', ')}`));
  if (f.admonished) out.push(t('诫勉', 'admonished'));
  if (f.heldAccountable) out.push(t('问责', 'held accountable'));
  if (f.summoned) out.push(t('约谈', 'summoned'));
  if (f.bottomRankedInDevelopment) out.push(t('高质量发展排名靠后', 'bottom-ranked in development'));
  if (f.publiclyCriticised) out.push(t('通报批评', 'publicly criticised'));
  if (f.membersDisciplined) out.push(t(`成员受处理 ${f.membersDisciplined} 人`, `${f.membersDisciplined} members disciplined`));
  if (f.otherSeriousProblems?.length) out.push(t(`其他问题：${f.otherSeriousProblems.join('、')}`, `other: ${f.otherSeriousProblems.join(', ')}`));
  if (f.monthsInPost !== undefined) out.push(t(`任职 ${f.monthsInPost} 个月`, `${f.monthsInPost} months in post`));
  if (f.leaveMonths) out.push(t(`请假 ${f.leaveMonths} 个月`, `${f.leaveMonths} months leave`));
  if (f.openCase) out.push(t('立案未结', 'open case'));
  return out;
}

interface Draft {
  routine: string;
  performance: string;
  superior: string;
  plenary: string;
  politicalQuality: string;
  povertyCounty: boolean;
  povertyResult: '' | PovertyResult;
  vetoItems: string;
  sanctions: SanctionType[];
  admonished: boolean;
  heldAccountable: boolean;
  monthsInPost: string;
  leaveMonths: string;
  openCase: boolean;
}

const str = (n: number | undefined): string => (n === undefined ? '' : String(n));

function draftOf(row: SubjectInputs | undefined, subject: Subject): Draft {
  return {
    routine: row?.routine?.join(', ') ?? '',
    performance: str(row?.performance),
    superior: str(row?.superior),
    plenary: str(row?.plenary),
    politicalQuality: str(row?.politicalQuality),
    povertyCounty: row?.povertyCounty ?? subject.type === 'poverty_county',
    povertyResult: row?.povertyResult ?? '',
    vetoItems: row?.facts?.vetoItems?.join('、') ?? '',
    sanctions: row?.facts?.sanctions ?? [],
    admonished: row?.facts?.admonished ?? false,
    heldAccountable: row?.facts?.heldAccountable ?? false,
    monthsInPost: str(row?.facts?.monthsInPost),
    leaveMonths: str(row?.facts?.leaveMonths),
    openCase: row?.facts?.openCase ?? false,
  };
}

class DraftError extends Error {}

function number(text: string, label: string, max = 100): number | undefined {
  const v = text.trim();
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new DraftError(t(`${label}应为 0 到 ${max} 之间的数字。`, `${label} must be a number from 0 to ${max}.`));
  return n;
}

/** The saved row with the form's fields replaced; what the form does not show is kept. */
function rowOf(key: string, before: SubjectInputs | undefined, d: Draft): SubjectInputs {
  const { routine: _r, performance: _p, superior: _s, plenary: _pl, politicalQuality: _pq, povertyCounty: _pc, povertyResult: _pr, facts: oldFacts, ...kept } = before ?? { key };
  const quarterly = d.routine
    .split(/[;；、,，\s]+/)
    .filter(Boolean)
    .map((v) => number(v, t('平时考核', 'Routine'))!);
  const row: SubjectInputs = { ...kept, key };
  if (quarterly.length > 12) throw new DraftError(t('平时考核最多 12 个分数。', 'At most 12 routine scores.'));
  if (quarterly.length > 0) row.routine = quarterly;
  const performance = number(d.performance, t('工作实绩', 'Performance'));
  if (performance !== undefined) row.performance = performance;
  const superior = number(d.superior, t('上级评价', 'Superior evaluation'));
  if (superior !== undefined) row.superior = superior;
  const plenary = number(d.plenary, t('省委全会测评', 'Plenary evaluation'));
  if (plenary !== undefined) row.plenary = plenary;
  const pq = number(d.politicalQuality, t('政治素质', 'Political quality'));
  if (pq !== undefined) row.politicalQuality = pq;
  if (d.povertyCounty) row.povertyCounty = true;
  if (d.povertyResult) row.povertyResult = d.povertyResult;
  const { vetoItems: _v, sanctions: _sa, admonished: _a, heldAccountable: _h, monthsInPost: _m, leaveMonths: _l, openCase: _o, ...otherFacts } = oldFacts ?? {};
  const facts: NonNullable<SubjectInputs['facts']> = { ...otherFacts };
  const veto = d.vetoItems.split(/[;；、,，\n]/).map((v) => v.trim()).filter(Boolean);
  if (veto.length > 0) facts.vetoItems = veto;
  if (d.sanctions.length > 0) facts.sanctions = d.sanctions;
  if (d.admonished) facts.admonished = true;
  if (d.heldAccountable) facts.heldAccountable = true;
  const months = number(d.monthsInPost, t('任职月数', 'Months in post'), 12);
  if (months !== undefined) facts.monthsInPost = months;
  const leave = number(d.leaveMonths, t('请假月数', 'Months of leave'), 12);
  if (leave !== undefined) facts.leaveMonths = leave;
  if (d.openCase) facts.openCase = true;
  if (Object.keys(facts).length > 0) row.facts = facts;
  return row;
}

function InputsForm({ assessmentId, subject, row, onSaved, onCancel }: { assessmentId: number; subject: Subject; row: SubjectInputs | undefined; onSaved: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(row, subject));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD({ ...d, [k]: v });
  const text = (k: 'routine' | 'performance' | 'superior' | 'plenary' | 'politicalQuality' | 'monthsInPost' | 'leaveMonths' | 'vetoItems', zh: string, en: string, hint?: string) => (
    <label class={k === 'routine' || k === 'vetoItems' ? 'wide' : ''}>
      {t(zh, en)}
      <input name={k} value={d[k]} placeholder={hint} onInput={(e) => set(k, e.currentTarget.value)} inputMode={k === 'routine' || k === 'vetoItems' ? 'text' : 'decimal'} />
    </label>
  );
  const check = (k: 'povertyCounty' | 'admonished' | 'heldAccountable' | 'openCase', zh: string, en: string) => (
    <label class="check">
      <input type="checkbox" name={k} checked={d[k]} onChange={(e) => set(k, e.currentTarget.checked)} />
      {t(zh, en)}
    </label>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    let next: SubjectInputs;
    try {
      next = rowOf(subject.key, row, d);
    } catch (err) {
      setError(err instanceof DraftError ? err.message : String(err));
      return;
    }
    setBusy(true);
    try {
      await api.post(`/api/admin/assessments/${assessmentId}/inputs`, [next]);
      onSaved();
    } catch (err) {
      const issues = err instanceof ApiFailure ? (err.details as { issues?: { path: string }[] } | undefined)?.issues : undefined;
      setError(errorText(err) + (issues?.length ? ` (${issues.map((i) => i.path).join(', ')})` : ''));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inputs-form" onSubmit={submit} data-testid="inputs-form">
      <fieldset>
        <legend>{t('得分', 'Scores')}</legend>
        <div class="field-grid">
          {text('routine', '平时考核（各季度，逗号分隔）', 'Routine (quarterly, comma separated)', '85, 86.5, 88, 87')}
          {text('performance', '工作实绩', 'Performance', row?.performanceIndicators?.length ? t('按指标计算', 'from indicators') : '')}
          {text('superior', '上级评价', 'Superior evaluation')}
          {text('plenary', '省委全会测评', 'Plenary evaluation')}
          {text('politicalQuality', '政治素质', 'Political quality')}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('贫困县与脱贫攻坚', 'Poverty county')}</legend>
        <div class="field-grid">
          {check('povertyCounty', '贫困县', 'Poverty county')}
          <label>
            {t('脱贫攻坚成效', 'Poverty alleviation result')}
            <select name="povertyResult" value={d.povertyResult} onChange={(e) => set('povertyResult', e.currentTarget.value as Draft['povertyResult'])}>
              <option value="">—</option>
              {(Object.keys(POVERTY_RESULT_LABELS) as PovertyResult[]).map((p) => (
                <option key={p} value={p}>
                  {t(POVERTY_RESULT_LABELS[p].zh, POVERTY_RESULT_LABELS[p].en)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('有关情况', 'Facts')}</legend>
        <div class="field-grid">
          {text('vetoItems', '一票否决事项（顿号分隔）', 'Veto items (separated by 、)')}
          {text('monthsInPost', '任职月数', 'Months in post')}
          {text('leaveMonths', '请假月数', 'Months of leave')}
          {check('admonished', '诫勉', 'Admonished (诫勉)')}
          {check('heldAccountable', '问责', 'Held accountable (问责)')}
          {check('openCase', '立案未结', 'Case open (立案未结)')}
        </div>
        <div class="checks" role="group" aria-label={t('处分', 'Sanctions')}>
          <span class="muted">{t('处分：', 'Sanctions: ')}</span>
          {SANCTIONS.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" checked={d.sanctions.includes(s)} onChange={(e) => set('sanctions', e.currentTarget.checked ? [...d.sanctions, s] : d.sanctions.filter((x) => x !== s))} />
              {t(SANCTION_LABEL[s][0], SANCTION_LABEL[s][1])}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorNote error={error} />
      <div class="actions left">
        <button type="submit" class="primary" disabled={busy} data-testid="inputs-form-save">
          {t('保存', 'Save')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}

function InputsTable({ assessmentId, subjects, inputs, frozen, onSaved }: { assessmentId: number; subjects: Subject[]; inputs: Map<string, SubjectInputs>; frozen: boolean; onSaved: (key: string) => void }) {
  const [search, setSearch] = useState('');
  const [only, setOnly] = useState<'' | 'facts' | 'missing'>('');
  const [editing, setEditing] = useState<string | null>(null);
  const shown = useMemo(() => {
    const q = search.trim();
    return subjects.filter((s) => {
      const row = inputs.get(s.key);
      if (only === 'facts' && factsText(row).length === 0) return false;
      if (only === 'missing' && row) return false;
      return !q || s.key.includes(q) || s.name.includes(q) || s.title.includes(q);
    });
  }, [subjects, inputs, search, only]);
  const { rows, pager } = usePage(shown, 50);
  return (
    <>
      <div class="toolbar">
        <input type="search" placeholder={t('搜索：编号、姓名、职务…', 'Search: key, name, title…')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} data-testid="inputs-search" />
        <select aria-label={t('只看', 'Only')} value={only} onChange={(e) => setOnly(e.currentTarget.value as typeof only)}>
          <option value="">{t('全部对象', 'All subjects')}</option>
          <option value="facts">{t('只看有有关情况的', 'With facts only')}</option>
          <option value="missing">{t('只看未录入的', 'Not entered only')}</option>
        </select>
        <span class="muted">{t(`共 ${subjects.length} 个，已录入 ${inputs.size} 个，显示 ${shown.length} 个`, `${subjects.length} subjects, ${inputs.size} entered, ${shown.length} shown`)}</span>
      </div>
      {pager}
      <div class="table-scroll">
        <table class="list compact inputs" data-testid="inputs">
          <thead>
            <tr>
              <th>{t('考核对象', 'Subject')}</th>
              <th class="num">{t('平时考核', 'Routine')}</th>
              <th class="num">{t('工作实绩', 'Performance')}</th>
              <th class="num">{t('部门评价', 'Departments')}</th>
              <th class="num">{t('上级评价', 'Superior')}</th>
              <th class="num">{t('全会测评', 'Plenary')}</th>
              <th class="num">{t('民主测评', 'Democratic')}</th>
              <th class="num">{t('政治素质', 'Political')}</th>
              <th>{t('脱贫攻坚', 'Poverty')}</th>
              <th>{t('有关情况', 'Facts')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const row = inputs.get(s.key);
              const perf = row?.performance ?? (row?.performanceIndicators?.length ? row.performanceIndicators.reduce((a, i) => a + i.score * i.weight, 0) / row.performanceIndicators.reduce((a, i) => a + i.weight, 0) : undefined);
              const facts = factsText(row);
              return [
                <tr key={s.key} data-testid="inputs-row" data-key={s.key}>
                  <td>
                    <strong>{s.name}</strong>
                    <div class="muted small-text">
                      {s.key} {s.title}
                    </div>
                  </td>
                  <td class="num" title={row?.routine?.join(', ')}>
                    {row?.routine ? fmtScore(mean(row.routine)) : '—'}
                  </td>
                  <td class="num" title={row?.performanceIndicators?.map((i) => `${i.code} ${i.score} × ${i.weight}`).join('\n')}>
                    {fmtScore(perf)}
                  </td>
                  <td class="num" title={row?.departmentEvaluations?.map((e) => `${e.evaluatorKey} ${e.score}`).join('\n')}>
                    {row?.departmentEvaluations?.length ? fmtScore(mean(row.departmentEvaluations.map((e) => e.score))) : '—'}
                  </td>
                  <td class="num">{fmtScore(row?.superior)}</td>
                  <td class="num">{fmtScore(row?.plenary)}</td>
                  <td class="num">{fmtScore(row?.democratic?.score)}</td>
                  <td class="num">{fmtScore(row?.politicalQuality)}</td>
                  <td>
                    {row?.povertyCounty ? t('贫困县', 'poverty county') : ''}
                    {row?.povertyResult ? ` ${t(POVERTY_RESULT_LABELS[row.povertyResult].zh, POVERTY_RESULT_LABELS[row.povertyResult].en)}` : ''}
                  </td>
                  <td class="facts">{facts.length > 0 ? facts.map((f) => <span key={f} class="badge fact">{f}</span>) : ''}</td>
                  <td>
                    {!frozen && (
                      <button type="button" class="link" onClick={() => setEditing(editing === s.key ? null : s.key)} data-testid="inputs-edit">
                        {t('编辑', 'Edit')}
                      </button>
                    )}
                  </td>
                </tr>,
                editing === s.key && (
                  <tr key={`${s.key}-form`} class="editing">
                    <td colSpan={11}>
                      <InputsForm
                        assessmentId={assessmentId}
                        subject={s}
                        row={row}
                        onCancel={() => setEditing(null)}
                        onSaved={() => {
                          setEditing(null);
                          onSaved(s.key);
                        }}
                      />
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      </div>
      {pager}
    </>
  );
}

export function InputsPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const assessment = useLoad(() => api.get<AssessmentData>(`/api/admin/assessments/${id}`), [id]);
  const inputs = useLoad(() => api.get<{ inputs: SubjectInputs[] }>(`/api/admin/assessments/${id}/inputs`), [id]);
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
