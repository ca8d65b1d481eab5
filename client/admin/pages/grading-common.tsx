import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, byId, call } from '../api';
import type { AssessmentData } from '../api-types';
import { ErrorNote, confirmStep } from '../components';
import { say, t } from '../i18n';
import { useAction } from '../use-action';
import { GRADE_LABELS } from '../../../shared/grading/glossary';
import type { Grade } from '../../../shared/grading/types';

/** Pieces shared by the grading screens: inputs, grading, report (GRADING.md). */

export function gradeLabel(grade: Grade): string {
  return say(GRADE_LABELS[grade]);
}

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
  const published = a.publishedRunId !== null;
  const publish = useAction(async () => {
    await call(api.admin.assessments[':id'].publish.$post(byId(a.id)));
    onPublished();
  });
  const confirmPublish = async () => {
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
    if (ok) await publish.run();
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
            <button type="button" class="danger" onClick={confirmPublish} disabled={publish.busy} data-testid="publish">
              {t('公布结果…', 'Publish…')}
            </button>
          )
        )}
      </div>
      <ErrorNote error={publish.error} />
    </>
  );
}
