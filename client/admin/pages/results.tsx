import { useRoute } from 'preact-iso';
import { api, byId, call } from '../api';
import type { FormResult, Sitting, Withholding } from '../api-types';
import { ErrorNote, Loading, PostButton, StatusBadge, useLoad } from '../components';
import { t } from '../i18n';
import { ReconciliationTable } from './reconciliation';

const fmt = (v: number | null | undefined, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : '—');
const rate = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');

function FormTable({ form, result, shownGroups }: { form: Sitting['forms'][number]; result: FormResult; shownGroups: string[] }) {
  const headline = form.questions.find((q) => q.role === 'overall') ?? form.questions.find((q) => q.role === 'positive') ?? form.questions[0];
  const negatives = form.questions.filter((q) => q.role === 'negative');
  const titles = new Map(form.subjects.map((s) => [s.id, s.title]));
  const political = form.kind === 'political';
  return (
    <section class="form-results">
      <h2>
        {t(form.title, form.titleEn)} <small class="muted">{headline ? t(`（${headline.text}）`, ` (${headline.textEn})`) : ''}</small>
      </h2>
      <div class="table-scroll">
        <table class="list results" data-testid={`results-${form.id}`}>
          <thead>
            <tr>
              <th>{t('考核对象', 'Subject')}</th>
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
                  {form.kind === 'cadre' && <th class="num">{t('不称职率', 'Incompetent')}</th>}
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
            {result.subjects.map((s) => {
              const q = s.questions.find((x) => x.id === headline?.id);
              return (
                <tr key={s.id}>
                  <td>
                    {s.name} <span class="muted">{titles.get(s.id)}</span>
                  </td>
                  {headline?.options.map((o) => (
                    <td key={o.value} class="num">
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
                      <td class="num strong">{fmt(s.scores.democraticScore)}</td>
                      <td class="num">{rate(s.scores.excellentRate)}</td>
                      {form.kind === 'cadre' && <td class="num">{rate(s.scores.incompetentRate)}</td>}
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
    </section>
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
      {!r.withheld && s.forms.map((form) => {
        const fr = r.forms.find((f) => f.id === form.id);
        return fr ? <FormTable key={form.id} form={form} result={fr} shownGroups={shown} /> : null;
      })}
    </div>
  );
}
