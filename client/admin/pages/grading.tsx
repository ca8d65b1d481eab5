import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, ApiFailure, errorText } from '../api';
import { ErrorNote, Loading, confirmStep, formatTime, useLoad } from '../components';
import { t } from '../i18n';
import { gradesOf } from '../../../shared/grading/glossary';
import type { Category, Grade, SubjectResult } from '../../../shared/grading/types';
import { CATEGORY_LABEL, GradingHeader, categoryLabel, fmtScore, gradeLabel, poolLabel, usePage, type AssessmentData, type GradingRun } from './grading-common';

/** Loads the current grading run; `null` when none has been run yet (409 not_graded). */
export function useGradingRun(id: number) {
  return useLoad<GradingRun | null>(
    () =>
      api.get<GradingRun>(`/api/admin/assessments/${id}/grading`).catch((err: unknown) => {
        if (err instanceof ApiFailure && err.code === 'not_graded') return null;
        throw err;
      }),
    [id],
  );
}

const ALL_GRADES: Grade[] = ['excellent', 'good', 'average', 'poor', 'competent', 'basically_competent', 'incompetent', 'undetermined'];

interface Filters {
  kind: '' | 'team' | 'cadre';
  category: '' | Category;
  grade: '' | Grade;
  only: '' | 'adjusted' | 'flagged';
  search: string;
}

function matches(s: SubjectResult, f: Filters): boolean {
  if (f.kind && s.kind !== f.kind) return false;
  if (f.category && s.category !== f.category) return false;
  if (f.grade && s.finalGrade !== f.grade) return false;
  if (f.only === 'adjusted' && !s.override) return false;
  if (f.only === 'flagged' && s.voteFlags.length === 0) return false;
  const q = f.search.trim();
  return !q || s.name.includes(q) || s.key.includes(q) || s.poolId.includes(q);
}

function OverrideDialog({ assessmentId, subject, onDone, onClose }: { assessmentId: number; subject: SubjectResult; onDone: (s: SubjectResult) => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [grade, setGrade] = useState<Grade>(subject.finalGrade);
  const [reason, setReason] = useState(subject.override?.reason ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    // The server refuses it too (422 override_reason_required); say so before asking.
    if (reason.trim() === '') {
      setError(t('调整等次必须填写理由。', 'A reason is required to change a grade.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ subject: SubjectResult }>(`/api/admin/assessments/${assessmentId}/grading/overrides`, { subjectKey: subject.key, grade, reason });
      onDone(r.subject);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} class="confirm override" onCancel={onClose} onClose={onClose} aria-labelledby="override-title" data-testid="override-dialog">
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id="override-title">{t('调整等次', 'Change the grade')}</h2>
        <p>
          <strong>{subject.name}</strong> <span class="muted">{subject.key}</span>
          <br />
          {t('综合得分', 'Composite')} {fmtScore(subject.scores.composite)} · {t('拟定等次', 'Proposed')} <strong>{gradeLabel(subject.proposedGrade)}</strong>
        </p>
        <label>
          {t('确定等次', 'Final grade')}
          <select name="grade" value={grade} onChange={(e) => setGrade(e.currentTarget.value as Grade)} data-testid="override-grade">
            {gradesOf(subject.kind).map((g) => (
              <option key={g} value={g}>
                {gradeLabel(g)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('调整理由（必填，记入审计日志）', 'Reason (required; recorded in the audit log)')}
          <textarea name="reason" rows={4} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="override-reason" />
        </label>
        <ErrorNote error={error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            {t('取消', 'Cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy} data-testid="override-submit">
            {t('保存调整', 'Save change')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function GradeRow({ s, teamNames, frozen, onOverride }: { s: SubjectResult; teamNames: ReadonlyMap<string, string>; frozen: boolean; onOverride: (s: SubjectResult) => void }) {
  const adjusted = s.override !== undefined;
  return (
    <tr data-testid="grade-row" data-key={s.key} class={adjusted ? 'adjusted' : ''}>
      <td>
        <strong>{s.name}</strong>
        <div class="muted small-text">
          {s.key} · {s.kind === 'team' ? t('班子', 'team') : s.role === 'principal' ? t('正职', 'principal') : t('副职', 'deputy')}
        </div>
      </td>
      <td class="small-text">{poolLabel(s.poolId, teamNames)}</td>
      <td class="num">{fmtScore(s.scores.composite)}</td>
      <td class="proposed" data-testid="proposed">
        <span class={`grade grade-${s.proposedGrade}`}>{gradeLabel(s.proposedGrade)}</span>
      </td>
      <td class="final" data-testid="final">
        <span class={`grade grade-${s.finalGrade}`}>{gradeLabel(s.finalGrade)}</span>
        {adjusted && (
          <>
            {' '}
            <span class="badge adjusted-mark" data-testid="adjusted">
              {t('已调整', 'adjusted')}
            </span>
            <div class="override-note" data-testid="override-note">
              {t(`拟定 ${gradeLabel(s.proposedGrade)} → 确定 ${gradeLabel(s.finalGrade)}`, `proposed ${gradeLabel(s.proposedGrade)} → final ${gradeLabel(s.finalGrade)}`)}
              <br />
              {t('理由：', 'Reason: ')}
              <span data-testid="override-text">{s.override?.reason}</span>
            </div>
          </>
        )}
      </td>
      <td>
        <ul class="reasons">
          {s.reasons
            .filter((r) => r.rule !== 'override')
            .map((r) => (
              <li key={r.code} class={`rule-${r.rule}`} title={r.code}>
                {t(r.zh, r.en)}
              </li>
            ))}
        </ul>
      </td>
      <td>
        {s.voteFlags.length > 0 && (
          <ul class="reasons flags-list">
            {s.voteFlags.map((f) => (
              <li key={f.code}>
                ⚑ {t(f.zh, f.en)} ({(f.rate * 100).toFixed(1)}%)
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <ul class="reasons actions-list">
          {s.actions.map((a) => (
            <li key={a.code}>{t(a.zh, a.en)}</li>
          ))}
        </ul>
      </td>
      <td class="nowrap">
        {!frozen && (
          <button type="button" class="link" onClick={() => onOverride(s)} data-testid="override">
            {t('调整', 'Change')}
          </button>
        )}
      </td>
    </tr>
  );
}

function FlaggedEvaluators({ run }: { run: GradingRun }) {
  const flagged = run.result.evaluators.filter((e) => e.flagged);
  return (
    <div class="card evaluators" data-testid="flagged-evaluators">
      <h3>
        {t('区分度不足的评价单位', 'Evaluators with too little spread')}{' '}
        <small class="muted">{t(`（极差小于 ${run.policy.discriminationMinSpread} 分，需复核）`, `(spread under ${run.policy.discriminationMinSpread} points: review)`)}</small>
      </h3>
      {flagged.length === 0 ? (
        <p class="muted">{t('没有。', 'None.')}</p>
      ) : (
        <table class="list compact">
          <thead>
            <tr>
              <th>{t('评价单位', 'Evaluator')}</th>
              <th class="num">{t('评价对象数', 'Rated')}</th>
              <th class="num">{t('最低', 'Min')}</th>
              <th class="num">{t('最高', 'Max')}</th>
              <th class="num">{t('极差', 'Spread')}</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((e) => (
              <tr key={e.evaluatorKey}>
                <td>{e.evaluatorKey}</td>
                <td class="num">{e.rated}</td>
                <td class="num">{fmtScore(e.min)}</td>
                <td class="num">{fmtScore(e.max)}</td>
                <td class="num strong">{fmtScore(e.spread)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function GradeList({ run, assessmentId, frozen, teamNames, onChanged }: { run: GradingRun; assessmentId: number; frozen: boolean; teamNames: ReadonlyMap<string, string>; onChanged: (s: SubjectResult) => void }) {
  const [filters, setFilters] = useState<Filters>({ kind: '', category: '', grade: '', only: '', search: '' });
  const [editing, setEditing] = useState<SubjectResult | null>(null);
  const shown = useMemo(() => run.result.subjects.filter((s) => matches(s, filters)), [run, filters]);
  const { rows, pager } = usePage(shown, 50);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters({ ...filters, [key]: value });
  const grades = filters.kind ? gradesOf(filters.kind) : ALL_GRADES;
  return (
    <>
      <div class="toolbar filters">
        <select aria-label={t('类型', 'Kind')} value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.currentTarget.value as Filters['kind'], grade: '' })} data-testid="filter-kind">
          <option value="">{t('班子和干部', 'Teams and cadres')}</option>
          <option value="team">{t('领导班子', 'Teams')}</option>
          <option value="cadre">{t('领导干部', 'Cadres')}</option>
        </select>
        <select aria-label={t('类别', 'Category')} value={filters.category} onChange={(e) => set('category', e.currentTarget.value as Filters['category'])} data-testid="filter-category">
          <option value="">{t('全部类别', 'All categories')}</option>
          {(Object.keys(CATEGORY_LABEL) as Category[]).map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
        <select aria-label={t('确定等次', 'Final grade')} value={filters.grade} onChange={(e) => set('grade', e.currentTarget.value as Filters['grade'])} data-testid="filter-grade">
          <option value="">{t('全部等次', 'All grades')}</option>
          {grades.map((g) => (
            <option key={g} value={g}>
              {gradeLabel(g)}
            </option>
          ))}
        </select>
        <select aria-label={t('只看', 'Only')} value={filters.only} onChange={(e) => set('only', e.currentTarget.value as Filters['only'])} data-testid="filter-only">
          <option value="">{t('全部对象', 'All subjects')}</option>
          <option value="adjusted">{t('只看已调整', 'Adjusted only')}</option>
          <option value="flagged">{t('只看有票数提示', 'Vote flags only')}</option>
        </select>
        <input type="search" placeholder={t('搜索：姓名、编号、考核池…', 'Search: name, key, pool…')} value={filters.search} onInput={(e) => set('search', e.currentTarget.value)} data-testid="search" />
        <span class="muted" data-testid="shown-count">
          {t(`共 ${run.result.subjects.length} 个，显示 ${shown.length} 个`, `${shown.length} of ${run.result.subjects.length}`)}
        </span>
      </div>
      {pager}
      <div class="table-scroll">
        <table class="list grades" data-testid="grades">
          <thead>
            <tr>
              <th>{t('考核对象', 'Subject')}</th>
              <th>{t('考核池', 'Pool')}</th>
              <th class="num">{t('综合得分', 'Composite')}</th>
              <th>{t('拟定等次', 'Proposed')}</th>
              <th>{t('确定等次', 'Final')}</th>
              <th>{t('评定依据', 'Reasons')}</th>
              <th>{t('票数提示', 'Vote flags')}</th>
              <th>{t('结果运用', 'Actions')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <GradeRow key={s.key} s={s} teamNames={teamNames} frozen={frozen} onOverride={setEditing} />
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p class="muted">{t('没有符合条件的考核对象。', 'No subject matches.')}</p>}
      {pager}
      {editing && (
        <OverrideDialog
          assessmentId={assessmentId}
          subject={editing}
          onClose={() => setEditing(null)}
          onDone={(s) => {
            setEditing(null);
            onChanged(s);
          }}
        />
      )}
    </>
  );
}

export function GradingPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const assessment = useLoad(() => api.get<AssessmentData>(`/api/admin/assessments/${id}`), [id]);
  const loaded = useGradingRun(id);
  const [run, setRun] = useState<GradingRun | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setRun(loaded.data), [loaded.data]);
  const teamNames = useMemo(() => new Map((assessment.data?.subjects ?? []).filter((s) => s.kind === 'team').map((s) => [s.key, s.name])), [assessment.data]);

  if (assessment.error) return <ErrorNote error={assessment.error} />;
  if (!assessment.data) return <Loading />;
  const frozen = assessment.data.assessment.publishedRunId !== null;

  const runGrading = async () => {
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
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      setRun(await api.post<GradingRun>(`/api/admin/assessments/${id}/grading`, {}));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const replaceSubject = (changed: SubjectResult) => {
    if (!run) return;
    setRun({ ...run, result: { ...run.result, subjects: run.result.subjects.map((s) => (s.key === changed.key ? changed : s)) } });
  };

  return (
    <>
      <GradingHeader data={assessment.data} tab="grading" onPublished={() => (assessment.reload(), loaded.reload())} canPublish={!!run} />
      <div class="toolbar">
        {!frozen && (
          <button type="button" class="primary" onClick={runGrading} disabled={busy} data-testid="run-grading">
            {busy ? t('正在评定…', 'Grading…') : t('评定等次', 'Run grading')}
          </button>
        )}
        {run && (
          <span class="muted" data-testid="run-info">
            {t(`评定记录 #${run.runId}`, `Grading run #${run.runId}`)}
            {run.createdAt ? ` · ${formatTime(run.createdAt)}` : ''} · {t('评定办法', 'policy')} {run.policy.id} v{run.policy.version}
          </span>
        )}
      </div>
      <ErrorNote error={error ?? loaded.error} />
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
          <GradeList run={run} assessmentId={id} frozen={frozen} teamNames={teamNames} onChanged={replaceSubject} />
        </>
      )}
    </>
  );
}
