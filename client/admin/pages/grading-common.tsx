import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, errorText } from '../api';
import { ErrorNote, confirmStep } from '../components';
import { t } from '../i18n';
import { GRADE_LABELS } from '../../../shared/grading/glossary';
import type { GradingPolicy } from '../../../shared/grading/policy';
import type { GradingReport } from '../../../shared/grading/report';
import type { Category, Grade, GradingResult, SubjectType } from '../../../shared/grading/types';
import type { Assessment, SittingSummary, Subject } from '../types';

/** Shapes and pieces shared by the grading screens: inputs, grading, report (GRADING.md). */

export interface GradedAssessment extends Assessment {
  /** Set once the grades are published: the assessment is frozen. */
  publishedRunId: number | null;
}

export interface AssessmentData {
  assessment: GradedAssessment;
  subjects: Subject[];
  sittings: SittingSummary[];
}

/** GET/POST /api/admin/assessments/:id/grading. */
export interface GradingRun {
  runId: number;
  createdAt?: number;
  policy: GradingPolicy;
  result: GradingResult;
  report: GradingReport;
}

export function gradeLabel(grade: Grade): string {
  const l = GRADE_LABELS[grade];
  return t(l.zh, l.en);
}

export const CATEGORY_LABEL: Record<Category, [string, string]> = {
  city: ['市州', 'cities'],
  department: ['省直部门', 'departments'],
  institution: ['事业单位', 'institutions'],
  enterprise: ['国有企业', 'state enterprises'],
  county: ['县(市、区)', 'counties'],
};

export const TYPE_LABEL: Record<SubjectType, [string, string]> = {
  city_1: ['市州第一类', 'cities type 1'],
  city_2: ['市州第二类', 'cities type 2'],
  city_3: ['市州第三类', 'cities type 3'],
  dept_comprehensive: ['综合部门', 'comprehensive depts'],
  dept_economic: ['经济工作部门', 'economic depts'],
  dept_social: ['社会发展部门', 'social depts'],
  dept_other: ['其他部门', 'other depts'],
  inst_university: ['高校科研院所', 'universities'],
  inst_other: ['其他事业单位', 'other institutions'],
  ent_industry: ['工商类企业', 'industrial enterprises'],
  ent_finance: ['金融类企业', 'financial enterprises'],
  ent_culture: ['文化类企业', 'cultural enterprises'],
  poverty_county: ['贫困县', 'poverty counties'],
  county: ['非贫困县', 'other counties'],
};

export function categoryLabel(category: string): string {
  const pair = CATEGORY_LABEL[category as Category];
  return pair ? t(pair[0], pair[1]) : category;
}

/** A pool id (team:city_1, principal:dept_other, deputy:<team key>) in words. */
export function poolLabel(poolId: string, teamNames?: ReadonlyMap<string, string>): string {
  const at = poolId.indexOf(':');
  const head = poolId.slice(0, at);
  const rest = poolId.slice(at + 1);
  const type = TYPE_LABEL[rest as SubjectType];
  const what = type ? t(type[0], type[1]) : (teamNames?.get(rest) ?? rest);
  if (head === 'team') return t(`${what}班子`, `teams: ${what}`);
  if (head === 'principal') return t(`${what}正职`, `principals: ${what}`);
  if (head === 'deputy') return t(`${what}副职`, `deputies of ${what}`);
  return poolId;
}

export const fmtScore = (n: number | null | undefined): string => (typeof n === 'number' ? n.toFixed(2) : '—');
export const fmtInt = (n: number): string => n.toLocaleString('en-US');
/** A change with its sign, as the seed prints it: +11, +4.61, -2. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** One page of a long list: 2,067 subjects render a page at a time. */
export function usePage<T>(items: readonly T[], size = 50): { rows: readonly T[]; pager: JSX.Element | null } {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  const rows = items.slice(current * size, current * size + size);
  const pager =
    pages <= 1 ? null : (
      <div class="pager" data-testid="pager">
        <button type="button" class="small secondary" disabled={current === 0} onClick={() => setPage(0)}>
          «
        </button>
        <button type="button" class="small secondary" disabled={current === 0} onClick={() => setPage(current - 1)} data-testid="prev-page">
          {t('上一页', 'Previous')}
        </button>
        <span class="muted">
          {t(`第 ${current + 1} / ${pages} 页`, `Page ${current + 1} of ${pages}`)}
        </span>
        <button type="button" class="small secondary" disabled={current >= pages - 1} onClick={() => setPage(current + 1)} data-testid="next-page">
          {t('下一页', 'Next')}
        </button>
        <button type="button" class="small secondary" disabled={current >= pages - 1} onClick={() => setPage(pages - 1)}>
          »
        </button>
      </div>
    );
  return { rows, pager };
}

export type GradingTab = 'inputs' | 'grading' | 'report';

/** Crumbs, title, the three grading tabs, the published state and the publish button. */
export function GradingHeader({ data, tab, onPublished, canPublish }: { data: AssessmentData; tab: GradingTab; onPublished: () => void; canPublish: boolean }) {
  const a = data.assessment;
  const { path } = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const published = a.publishedRunId !== null;
  const publish = async () => {
    const ok = await confirmStep({
      title: t('公布考核结果', 'Publish the results'),
      body: (
        <>
          <p>{t(`公布「${a.name}」的等次评定结果。`, `Publish the grades of "${a.name}".`)}</p>
          <p class="warn">
            {t(
              '公布后，等次、评定办法和各项得分全部冻结：不能再导入或修改考核数据，不能重新评定，也不能调整等次。公众可在结果页查看各类别的等次统计（不含个人名单）。',
              'Publishing freezes the grades, the policy and the scores: no more input changes, grading runs or overrides. The public results page then shows the counts per grade per category (no names).',
            )}
          </p>
        </>
      ),
      confirmLabel: t('确认公布', 'Publish'),
      danger: true,
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/admin/assessments/${a.id}/publish`);
      onPublished();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const tabLink = (id: GradingTab, zh: string, en: string) => (
    <a href={`/admin/assessments/${a.id}/${id}`} class={tab === id ? 'active' : ''} aria-current={tab === id ? 'page' : undefined} data-testid={`tab-${id}`}>
      {t(zh, en)}
    </a>
  );
  return (
    <>
      <p class="crumbs">
        <a href="/admin">{t('考核', 'Assessments')}</a> › <a href={`/admin/assessments/${a.id}`}>{a.name}</a> ›
      </p>
      <h1>
        {a.name} <small class="muted">{a.year}</small>{' '}
        {published && (
          <span class="badge status-published" data-testid="published-badge">
            {t('已公布', 'Published')}
          </span>
        )}
      </h1>
      <div class="grading-bar">
        <nav class="tabs" aria-label={t('等次评定', 'Grading')} data-path={path}>
          {tabLink('inputs', '考核数据', 'Inputs')}
          {tabLink('grading', '等次评定', 'Grading')}
          {tabLink('report', '统计报告', 'Report')}
        </nav>
        {published ? (
          <span class="muted" data-testid="frozen-note">
            {t('结果已公布，等次、评定办法和得分已冻结。', 'Published: grades, policy and scores are frozen.')}{' '}
            <a href={`/results/${a.id}`} target="_blank" rel="noopener">
              {t('公开结果页', 'Public results page')}
            </a>
          </span>
        ) : (
          canPublish && (
            <button type="button" class="danger" onClick={publish} disabled={busy} data-testid="publish">
              {t('公布结果…', 'Publish…')}
            </button>
          )
        )}
      </div>
      <ErrorNote error={error} />
    </>
  );
}
