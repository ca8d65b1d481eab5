import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, byId, call } from '../api';
import type { GradingReport, ReportGroup } from '../api-types';
import { ErrorNote, Loading, useLoad } from '../components';
import { say, t } from '../i18n';
import { gradesOf } from '../../../shared/grading/glossary';
import type { SubjectKind } from '../../../shared/grading/types';
import { fmtInt, fmtScore, signed } from '../models/format';
import { poolName, teamNamesOf } from '../models/grading';
import { GradingHeader, gradeLabel, usePage } from './grading-common';
import { useGradingRun } from './grading';
import { ReportChart } from './report-chart';
import { useCharts, type Charts } from '../lazy-charts';
import { previousYearOf, usePreviousRun } from '../previous-year';

/** What the report chart's filled and outlined bars mean. */
function ChartLegend({ charts, year, previousYear }: { charts: Charts; year: number; previousYear: number | undefined }) {
  return (
    <charts.ChartLegend
      items={[
        { key: 'current', label: t(`${year}年确定等次（实心）`, `${year} final grades (filled)`), colour: '#344054' },
        ...(previousYear ? [{ key: 'previous', label: t(`${previousYear}年（空心）`, `${previousYear} (outlined)`), colour: '#344054', outline: true }] : []),
      ]}
      testId="report-chart-legend"
    />
  );
}

/** §7 counts per grade per category for one kind: final grades, the proposal beside where it differs. */
function CountsTable({ kind, groups }: { kind: SubjectKind; groups: ReportGroup[] }) {
  const grades = gradesOf(kind);
  return (
    <div class="table-scroll">
      <table class="list report-counts" data-testid={`counts-${kind}`}>
        <thead>
          <tr>
            <th>{kind === 'team' ? t('领导班子', 'Teams') : t('领导干部', 'Cadres')}</th>
            <th class="num">{t('总数', 'Total')}</th>
            {grades.map((g) => (
              <th key={g} class="num">
                {gradeLabel(g)}
              </th>
            ))}
            <th class="num">{t('优秀率', 'Excellent share')}</th>
            <th class="num">{t('比上年优秀', 'Excellent vs last year')}</th>
            <th class="num">{t('比上年优秀率', 'Share vs last year')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group.id} data-group={g.group.id}>
              <th scope="row">{say(g.group)}</th>
              <td class="num strong" data-testid={`total-${g.group.id}`}>
                {fmtInt(g.total)}
              </td>
              {grades.map((grade) => {
                const final = g.counts[grade] ?? 0;
                const proposed = g.proposedCounts[grade] ?? 0;
                return (
                  <td key={grade} class="num">
                    <span data-testid={`count-${g.group.id}-${grade}`}>{fmtInt(final)}</span>
                    {proposed !== final && (
                      <div class="proposed-count" data-testid={`proposed-${g.group.id}-${grade}`}>
                        {t(`拟定 ${proposed}`, `proposed ${proposed}`)}
                      </div>
                    )}
                  </td>
                );
              })}
              <td class="num" data-testid={`share-${g.group.id}`}>
                {g.excellentShare.toFixed(2)}%
              </td>
              <td class="num">
                {g.change ? (
                  <span class={g.change.excellentCount >= 0 ? 'up' : 'down'} data-testid={`change-count-${g.group.id}`}>
                    {signed(g.change.excellentCount)}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td class="num">
                {g.change ? (
                  <>
                    <span class={g.change.excellentSharePoints >= 0 ? 'up' : 'down'} data-testid={`change-share-${g.group.id}`}>
                      {signed(g.change.excellentSharePoints)}
                    </span>{' '}
                    <span class="muted small-text">{t('个百分点', 'pts')}</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The seed's sentence: "220 teams: 57 优秀 (25.91%), up 11 and 4.61 points on 2018." */
function Summary({ report }: { report: GradingReport }) {
  return (
    <ul class="plain summary" data-testid="report-summary">
      {report.groups.map((g) => {
        const grades = gradesOf(g.group.kind).filter((grade) => (g.counts[grade] ?? 0) > 0);
        const parts = grades.map((grade) => `${gradeLabel(grade)} ${fmtInt(g.counts[grade] ?? 0)}`).join(t('，', ', '));
        const change = g.change
          ? t(
              `；与${g.change.previousYear}年相比，优秀${g.change.excellentCount >= 0 ? '增加' : '减少'} ${Math.abs(g.change.excellentCount)} 个，优秀率${g.change.excellentSharePoints >= 0 ? '提高' : '下降'} ${Math.abs(g.change.excellentSharePoints)} 个百分点`,
              `; against ${g.change.previousYear}: ${signed(g.change.excellentCount)} 优秀, share ${signed(g.change.excellentSharePoints)} points`,
            )
          : '';
        return (
          <li key={g.group.id}>
            <strong>{say(g.group)}</strong> {fmtInt(g.total)}
            {t('：', ': ')}
            {parts}
            {t(`（优秀率 ${g.excellentShare}%）`, ` (优秀 share ${g.excellentShare}%)`)}
            {change}。
          </li>
        );
      })}
    </ul>
  );
}

function ReportRows({ report, teamNames }: { report: GradingReport; teamNames: ReadonlyMap<string, string> }) {
  const [search, setSearch] = useState('');
  const [adjustedOnly, setAdjustedOnly] = useState(false);
  const shown = useMemo(() => {
    const q = search.trim();
    return report.rows.filter((r) => (!adjustedOnly || r.overridden) && (!q || r.name.includes(q) || r.key.includes(q)));
  }, [report, search, adjustedOnly]);
  const { rows, pager } = usePage(shown, 50);
  const adjusted = report.rows.filter((r) => r.overridden).length;
  return (
    <section>
      <h2>
        {t('评定名单', 'Subjects')} <small class="muted">{t(`（已调整 ${adjusted} 个）`, `(${adjusted} adjusted)`)}</small>
      </h2>
      <div class="toolbar">
        <input type="search" placeholder={t('搜索：姓名、编号…', 'Search: name, key…')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} data-testid="report-search" />
        <label class="check">
          <input type="checkbox" checked={adjustedOnly} onChange={(e) => setAdjustedOnly(e.currentTarget.checked)} data-testid="report-adjusted-only" />
          {t('只看已调整', 'Adjusted only')}
        </label>
        <span class="muted">{t(`显示 ${shown.length} 个`, `${shown.length} shown`)}</span>
      </div>
      {pager}
      <div class="table-scroll">
        <table class="list compact" data-testid="report-rows">
          <thead>
            <tr>
              <th>{t('编号', 'Key')}</th>
              <th>{t('考核对象', 'Subject')}</th>
              <th>{t('考核池', 'Pool')}</th>
              <th class="num">{t('综合得分', 'Composite')}</th>
              <th>{t('拟定等次', 'Proposed')}</th>
              <th>{t('确定等次', 'Final')}</th>
              <th>{t('调整理由', 'Override reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid="report-row" data-key={r.key} class={r.overridden ? 'adjusted' : ''}>
                <td>{r.key}</td>
                <td>{r.name}</td>
                <td>{say(poolName(r.poolId, teamNames))}</td>
                <td class="num">{fmtScore(r.composite)}</td>
                <td data-testid="proposed">{gradeLabel(r.proposedGrade)}</td>
                <td data-testid="final">
                  <strong>{gradeLabel(r.finalGrade)}</strong>
                  {r.overridden && (
                    <>
                      {' '}
                      <span class="badge adjusted-mark">{t('已调整', 'adjusted')}</span>
                    </>
                  )}
                </td>
                <td data-testid="override-text">{r.overrideReason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pager}
    </section>
  );
}

export function ReportPage() {
  const { params } = useRoute();
  const id = Number(params.id);
  const assessment = useLoad(() => call(api.admin.assessments[':id'].$get(byId(id))), [id]);
  const run = useGradingRun(id);
  const teamNames = useMemo(() => teamNamesOf(assessment.data?.subjects ?? []), [assessment.data]);
  if (assessment.error) return <ErrorNote error={assessment.error} />;
  if (!assessment.data) return <Loading />;
  const report = run.data?.report;
  const previousYear = previousYearOf(run.data);
  const previous = usePreviousRun(previousYear);
  const charts = useCharts();
  return (
    <>
      <GradingHeader data={assessment.data} tab="report" onPublished={() => (assessment.reload(), run.reload())} canPublish={!!report} />
      <ErrorNote error={run.error} />
      {run.data === undefined ? (
        !run.error && <Loading />
      ) : run.data === null || !report ? (
        <p class="muted" data-testid="not-graded">
          {t('尚未评定等次，没有统计报告。', 'No grading has been run yet: there is no report.')}
        </p>
      ) : (
        <>
          <div class="toolbar">
            <span class="muted">
              {t(`${report.year}年度 · 评定办法 ${report.policyId} v${report.policyVersion}`, `${report.year} · policy ${report.policyId} v${report.policyVersion}`)}
              {previousYear
                ? t(`，与 ${previousYear} 年度已公布结果比较`, `; compared with the published ${previousYear} results`)
                : t('，没有上一年度已公布的结果可比较', '; no published results of the previous year to compare')}
            </span>
            <span class="spacer" />
            <a class="button secondary" href={api.admin.assessments[':id']['report.csv'].$url(byId(id)).pathname} download data-testid="report-csv">
              {t('下载 CSV', 'Download CSV')}
            </a>
            <a class="button secondary" href={api.admin.assessments[':id']['report.xlsx'].$url(byId(id)).pathname} download data-testid="report-xlsx">
              {t('下载 XLSX', 'Download XLSX')}
            </a>
          </div>
          <Summary report={report} />
          {charts && (
            <ChartLegend
              charts={charts}
              year={report.year}
              previousYear={previous.data ? previousYear : undefined}
            />
          )}
          {(['team', 'cadre'] as const).map((kind) => {
            const groups = report.groups.filter((g) => g.group.kind === kind);
            return (
              <div key={kind} class="report-pair">
                <CountsTable kind={kind} groups={groups} />
                {charts && <ReportChart groups={groups} previous={previous.data?.report ?? null} charts={charts} year={report.year} />}
              </div>
            );
          })}
          <p class="muted small-text">
            {t(
              '数字为确定等次（含调整）；与拟定等次不同处在下方标出拟定数。贫困县领导班子包含在省管领导班子中，县(市、区)党政正职包含在省管领导干部中。',
              'Counts are final grades (after overrides); where the proposal differs, its count is shown below. Poverty-county teams are among the provincial teams, county principals among the provincial cadres.',
            )}
          </p>
          <ReportRows report={report} teamNames={teamNames} />
        </>
      )}
    </>
  );
}
