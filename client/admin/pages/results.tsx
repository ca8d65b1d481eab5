import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { DEFAULT_POLICY, type GradingPolicy } from '../../../shared/grading/policy';
import { isRatingValue, ratingColour } from '../../../shared/rating-scale';
import { api, byId, call } from '../api';
import type { FormResult, Sitting, Withholding } from '../api-types';
import { ErrorNote, Loading, PostButton, StatusBadge, useLoad } from '../components';
import { say, t } from '../i18n';
import { useCharts, type Charts } from '../lazy-charts';
import { DEFAULT_VIEW, ratingSegments, subjectFlags, viewRows, type ResultsSort, type ResultsView } from '../models/results';
import { useAppState } from '../state';
import { ReconciliationTable } from './reconciliation';

const fmt = (v: number | null | undefined, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : '—');
const rate = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');

function FormTable({ form, result, shownGroups, view, policy, charts }: { form: Sitting['forms'][number]; result: FormResult; shownGroups: string[]; view: ResultsView; policy: GradingPolicy; charts: Charts | undefined }) {
  const headline = form.questions.find((q) => q.role === 'overall') ?? form.questions.find((q) => q.role === 'positive') ?? form.questions[0];
  const negatives = form.questions.filter((q) => q.role === 'negative');
  const titles = new Map(form.subjects.map((s) => [s.id, s.title]));
  const political = form.kind === 'political';
  const flags = new Map(result.subjects.map((s) => [s.id, subjectFlags(form.kind, s.scores, policy)]));
  const rows = viewRows(result.subjects, view, (s) => flags.get(s.id) ?? [], titles);
  const legend = headline?.options.filter((o) => isRatingValue(o.value)).map((o) => ({ key: o.value, label: t(o.label, o.labelEn), colour: isRatingValue(o.value) ? ratingColour(o.value) : '' }));
  return (
    <section class="form-results">
      <h2>
        {t(form.title, form.titleEn)} <small class="muted">{headline ? t(`（${headline.text}）`, ` (${headline.textEn})`) : ''}</small>
      </h2>
      {charts && legend && legend.length > 0 && <charts.ChartLegend items={legend} testId={`legend-${form.id}`} />}
      <div class="table-scroll">
        <table class="list results" data-testid={`results-${form.id}`}>
          <thead>
            <tr>
              <th>{t('考核对象', 'Subject')}</th>
              <th>{t('评价分布', 'Ratings')}</th>
              {headline?.options.map((o) => (
                <th key={o.value} class="num">
                  {t(o.label, o.labelEn)}
                </th>
              ))}
              <th class="num">{t('有效', 'Valid')}</th>
              <th class="num">{t('弃权', 'Blank')}</th>
              {political ? (
                <>
                  {negatives.map((q) => (
                    <th key={q.id} class="num" title={t(q.text, q.textEn)}>
                      {t('反向「是」', 'Neg. "yes"')}
                    </th>
                  ))}
                  <th class="num">{t('政治素质得分', 'Political score')}</th>
                </>
              ) : (
                <>
                  <th class="num">{t('测评得分', 'Test score')}</th>
                  <th class="num">{form.kind === 'cadre' ? t('优秀率', 'Excellent') : t('好评率', 'Good')}</th>
                  <th class="num">{form.kind === 'cadre' ? t('不称职率', 'Incompetent') : t('差评率', 'Poor')}</th>
                </>
              )}
              {shownGroups.map((g) => (
                <th key={g} class="num">
                  {t(`${g}均分`, `${g} mean`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const q = s.questions.find((x) => x.id === headline?.id);
              const segments = ratingSegments(headline, s);
              const subjectFlagList = flags.get(s.id) ?? [];
              return (
                <tr key={s.id} data-testid="result-row" data-subject={s.id} class={subjectFlagList.length > 0 ? 'flagged' : ''}>
                  <td>
                    <span data-testid="subject-name">{s.name}</span> <span class="muted">{titles.get(s.id)}</span>
                    {subjectFlagList.length > 0 && (
                      <ul class="vote-flags" data-testid="vote-flags">
                        {subjectFlagList.map((f) => (
                          <li key={f.code}>⚑ {say(f)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td class="bar-cell">
                    {charts && segments.length > 0 && (
                      <charts.RatingBar
                        segments={segments.map((x) => ({ key: x.key, label: t(x.zh, x.en), count: x.count, colour: x.colour }))}
                        label={t(`${s.name}：${segments.map((x) => `${x.zh} ${x.count}`).join('，')}`, `${s.name}: ${segments.map((x) => `${x.en} ${x.count}`).join(', ')}`)}
                        testId="rating-bar"
                      />
                    )}
                  </td>
                  {headline?.options.map((o) => (
                    <td key={o.value} class="num" data-option={o.value}>
                      {q?.counts[o.value] ?? 0}
                    </td>
                  ))}
                  <td class="num">{q?.valid ?? 0}</td>
                  <td class="num">{q?.blank ?? 0}</td>
                  {political ? (
                    <>
                      {negatives.map((nq) => (
                        <td key={nq.id} class="num">
                          {s.questions.find((x) => x.id === nq.id)?.counts.yes ?? 0}
                        </td>
                      ))}
                      <td class="num strong">{fmt(s.scores.politicalScore)}</td>
                    </>
                  ) : (
                    <>
                      <td class="num strong" data-testid="test-score">{fmt(s.scores.democraticScore)}</td>
                      <td class="num">{rate(s.scores.excellentRate)}</td>
                      <td class="num" data-testid="incompetent-rate">{rate(s.scores.incompetentRate)}</td>
                    </>
                  )}
                  {shownGroups.map((g) => (
                    <td key={g} class="num">
                      {fmt(s.byGroup?.find((b) => b.group === g)?.mean ?? null, 1)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="muted">{t('没有符合条件的考核对象。', 'No subject matches.')}</p>}
    </section>
  );
}

/** Order and filter of every form's table on the page. */
function ViewBar({ view, onChange }: { view: ResultsView; onChange: (v: ResultsView) => void }) {
  return (
    <div class="toolbar filters" data-testid="results-view">
      <label class="inline">
        {t('排序', 'Sort')}
        <select value={view.sort} onChange={(e) => onChange({ ...view, sort: e.currentTarget.value as ResultsSort })} data-testid="results-sort">
          <option value="list">{t('按名单顺序', 'List order')}</option>
          <option value="score">{t('按测评得分（高→低）', 'Test score (high → low)')}</option>
          <option value="incompetent">{t('按不称职率/差评率（高→低）', 'Incompetent / poor rate (high → low)')}</option>
        </select>
      </label>
      <input type="search" aria-label={t('按姓名或职务筛选', 'Filter by name or post')} placeholder={t('筛选：姓名、职务…', 'Filter: name, post…')} value={view.text} onInput={(e) => onChange({ ...view, text: e.currentTarget.value })} data-testid="results-filter" />
      <label class="check">
        <input type="checkbox" checked={view.flaggedOnly} onChange={(e) => onChange({ ...view, flaggedOnly: e.currentTarget.checked })} data-testid="results-flagged-only" />
        {t('只看有票数提示的（不称职率超过 1/3 或称职以上率低于 2/3）', 'Vote flags only (incompetent over 1/3 or competent-or-above under 2/3)')}
      </label>
    </div>
  );
}

/** Why a closed sitting shows no per-subject numbers (SECURITY.md: they would describe fewer than k voters). */
function withheldText(w: Withholding): string {
  return w.reason === 'too_few_ballots'
    ? t(`有效票 ${w.ballots} 张，少于 ${w.k} 票，不公布逐项结果。`, `${w.ballots} ballots, fewer than ${w.k}: no per-subject numbers.`)
    : t(`重新开放后新增 ${w.newBallots} 票，少于 ${w.k} 票，结果暂不公布。`, `Reopened with ${w.newBallots} new ballots, fewer than ${w.k}: results withheld.`);
}

export function ResultsPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const sitting = useLoad(() => call(api.admin.sittings[':id'].$get(byId(id))), [id]);
  const results = useLoad(() => call(api.admin.sittings[':id'].results.$get(byId(id))), [id]);
  // The vote flags follow the grading policy in force (an admin's to read); an organiser sees them at its defaults.
  const admin = useAppState().user.value?.role === 'admin';
  const policy = useLoad(() => (admin ? call(api.admin.grading.policy.$get()).then((p) => p.policy) : Promise.resolve(DEFAULT_POLICY)), [admin]);
  const [view, setView] = useState<ResultsView>(DEFAULT_VIEW);
  const charts = useCharts();
  const error = sitting.error ?? results.error;
  if (error) return <ErrorNote error={error} />;
  const s = sitting.data;
  const r = results.data;
  if (!s || !r) return <Loading />;
  const shown = r.groups.filter((g) => g.shown).map((g) => g.name);
  const pooled = r.groups.filter((g) => g.pooled);
  return (
    <div class="results-page" data-testid="results">
      <p class="crumbs">
        <a href={`/admin/sittings/${id}`}>{s.name}</a> ›
      </p>
      <h1>
        {t('测评结果', 'Results')} <StatusBadge status={r.status} />
      </h1>
      <div class="actions left">
        <PostButton class="button" action={api.admin.sittings[':id']['results.xlsx'].$url(byId(id)).pathname} testId="export-xlsx">
          {t('导出 XLSX', 'Export XLSX')}
        </PostButton>
        <PostButton class="button secondary" action={api.admin.sittings[':id']['results.csv'].$url(byId(id)).pathname} testId="export-csv">
          {t('导出 CSV', 'Export CSV')}
        </PostButton>
      </div>
      {r.void && <p class="error">{t('有效票多于发出的票：本场测评无效。', 'More ballots than slips: this sitting is void.')}</p>}
      {r.withheld && (
        <p class="card warn" role="status" data-testid="withheld">
          {withheldText(r.withheld)}
        </p>
      )}
      <div class="grid-2">
        <div class="card">
          <h3>{t('有效票', 'Ballots')}</h3>
          <p class="big-figure" data-testid="ballots">
            {r.ballots}
          </p>
          <ul class="plain">
            {r.groups.map((g) => (
              <li key={g.name}>
                {g.name} ({t('权重', 'weight')} {g.weight}): {g.shown ? t(`${g.ballots} 票，分组结果显示`, `${g.ballots} ballots, breakdown shown`) : t(`分组结果不显示（少于 ${r.k} 票或防推算）`, `breakdown hidden (fewer than ${r.k} or to stop differencing)`)}
                {g.pooled && t('，与其他隐藏分组合并计分', ', scored together with the other hidden groups')}
              </li>
            ))}
          </ul>
          {pooled.length > 0 && (
            <p class="muted" data-testid="pooled-note">
              {t(
                `少于 ${r.k} 票的分组不单独显示，也不出现在导出文件中；隐藏的分组合并为一组计分（权重相加），以免从得分和票数推算出少数人的评价。`,
                `Groups below ${r.k} ballots are never shown or exported on their own; hidden groups are scored together as one pooled group (weights summed), so a few voters' ratings cannot be solved for from the scores and counts.`,
              )}
            </p>
          )}
        </div>
        <ReconciliationTable r={r.reconciliation} flags={r.flags} />
      </div>
      {!r.withheld && r.forms.length > 0 && <ViewBar view={view} onChange={setView} />}
      {!r.withheld && s.forms.map((form) => {
        const fr = r.forms.find((f) => f.id === form.id);
        return fr ? <FormTable key={form.id} form={form} result={fr} shownGroups={shown} view={view} policy={policy.data ?? DEFAULT_POLICY} charts={charts} /> : null;
      })}
    </div>
  );
}
