import { useMemo, useState } from 'preact/hooks';
import { say, t } from '../i18n';
import type { GradingRun, SubjectResult } from '../api-types';
import { fmtScore } from '../models/format';
import { CATEGORIES, categoryName, gradeChoices, gradeGrounds, matchesFilters, NO_FILTERS, poolName, roleName, withKind, type GradeFilters } from '../models/grading';
import { useCharts } from '../lazy-charts';
import { GradingCharts } from './grading-charts';
import { gradeLabel, usePage } from './grading-common';
import { OverrideDialog } from './grading-override';

function GradeRow({ s, teamNames, frozen, onOverride }: { s: SubjectResult; teamNames: ReadonlyMap<string, string>; frozen: boolean; onOverride: (s: SubjectResult) => void }) {
  const adjusted = s.override !== undefined;
  return (
    <tr data-testid="grade-row" data-key={s.key} class={adjusted ? 'adjusted' : ''}>
      <td>
        <strong>{s.name}</strong>
        <div class="muted small-text">
          {s.key} · {say(roleName(s))}
        </div>
      </td>
      <td class="small-text">{say(poolName(s.poolId, teamNames))}</td>
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
          {gradeGrounds(s).map((r) => (
            <li key={r.code} class={`rule-${r.rule}`} title={r.code}>
              {say(r)}
            </li>
          ))}
        </ul>
      </td>
      <td>
        {s.voteFlags.length > 0 && (
          <ul class="reasons flags-list">
            {s.voteFlags.map((f) => (
              <li key={f.code}>
                ⚑ {say(f)} ({(f.rate * 100).toFixed(1)}%)
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <ul class="reasons actions-list">
          {s.actions.map((a) => (
            <li key={a.code}>{say(a)}</li>
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

/** The run's subjects with their grades and grounds, filtered, a page at a time; a row opens the override dialog. */
export function GradeList({ run, previous, assessmentId, frozen, teamNames, onChanged }: { run: GradingRun; previous: GradingRun | null; assessmentId: number; frozen: boolean; teamNames: ReadonlyMap<string, string>; onChanged: (s: SubjectResult) => void }) {
  const [filters, setFilters] = useState<GradeFilters>(NO_FILTERS);
  const charts = useCharts();
  const [editing, setEditing] = useState<SubjectResult | null>(null);
  const shown = useMemo(() => run.result.subjects.filter((s) => matchesFilters(s, filters)), [run, filters]);
  const { rows, pager } = usePage(shown, 50);
  const set = <K extends keyof GradeFilters>(key: K, value: GradeFilters[K]) => setFilters({ ...filters, [key]: value });
  return (
    <>
      {charts && <GradingCharts run={run} previous={previous} filters={filters} onFilters={setFilters} charts={charts} teamNames={teamNames} />}
      <div class="toolbar filters">
        <select aria-label={t('类型', 'Kind')} value={filters.kind} onChange={(e) => setFilters(withKind(filters, e.currentTarget.value as GradeFilters['kind']))} data-testid="filter-kind">
          <option value="">{t('班子和干部', 'Teams and cadres')}</option>
          <option value="team">{t('领导班子', 'Teams')}</option>
          <option value="cadre">{t('领导干部', 'Cadres')}</option>
        </select>
        <select aria-label={t('类别', 'Category')} value={filters.category} onChange={(e) => set('category', e.currentTarget.value as GradeFilters['category'])} data-testid="filter-category">
          <option value="">{t('全部类别', 'All categories')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {say(categoryName(c))}
            </option>
          ))}
        </select>
        <select aria-label={t('确定等次', 'Final grade')} value={filters.grade} onChange={(e) => set('grade', e.currentTarget.value as GradeFilters['grade'])} data-testid="filter-grade">
          <option value="">{t('全部等次', 'All grades')}</option>
          {gradeChoices(filters.kind).map((g) => (
            <option key={g} value={g}>
              {gradeLabel(g)}
            </option>
          ))}
        </select>
        <select aria-label={t('只看', 'Only')} value={filters.only} onChange={(e) => set('only', e.currentTarget.value as GradeFilters['only'])} data-testid="filter-only">
          <option value="">{t('全部对象', 'All subjects')}</option>
          <option value="adjusted">{t('只看已调整', 'Adjusted only')}</option>
          <option value="flagged">{t('只看有票数提示', 'Vote flags only')}</option>
        </select>
        <input type="search" placeholder={t('搜索：姓名、编号、考核池…', 'Search: name, key, pool…')} value={filters.search} onInput={(e) => set('search', e.currentTarget.value)} data-testid="search" />
        {filters.pool && (
          <button type="button" class="small secondary" onClick={() => setFilters({ ...filters, pool: '', composite: null })} data-testid="clear-pool">
            {say(poolName(filters.pool, teamNames))} ×
          </button>
        )}
        {filters.composite && (
          <button type="button" class="small secondary" onClick={() => set('composite', null)} data-testid="clear-composite">
            {t(`综合得分 ${filters.composite.from}–${filters.composite.to}`, `Composite ${filters.composite.from}–${filters.composite.to}`)} ×
          </button>
        )}
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
          result={run.result}
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
