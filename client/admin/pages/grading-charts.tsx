import { useMemo } from 'preact/hooks';
import type { GradingRun } from '../api-types';
import { say, t } from '../i18n';
import type { Charts } from '../lazy-charts';
import { categoryName, poolName, type GradeFilters } from '../models/grading';
import { bandEdges, BIN_WIDTH, categoryCounts, chartScope, compositeBins, quotaLine } from '../models/grading-charts';
import { gradeLabel } from './grading-common';

/**
 * The grading page's charts for the chosen pool (or all pools of a kind): the composite
 * histogram with the band edges and the quota line, and the final grades per category beside
 * the previous year's. A click on a bar filters the list below; a second click clears it.
 */
export function GradingCharts({ run, previous, filters, onFilters, charts, teamNames }: {
  run: GradingRun;
  previous: GradingRun | null;
  filters: GradeFilters;
  onFilters: (f: GradeFilters) => void;
  charts: Charts;
  teamNames: ReadonlyMap<string, string>;
}) {
  const scope = useMemo(() => chartScope(run.result.subjects, filters), [run, filters.pool]);
  const previousScope = useMemo(() => (previous ? chartScope(previous.result.subjects, filters) : null), [previous, filters.pool]);
  const bins = useMemo(() => compositeBins(scope), [scope]);
  const pool = filters.pool ? run.result.pools.find((p) => p.id === filters.pool) : undefined;
  const quotaAt = pool ? quotaLine(scope, pool.quota) : null;
  const counts = useMemo(() => categoryCounts(scope, previousScope), [scope, previousScope]);
  const year = run.result.year;
  const scopeName = pool ? say(poolName(pool.id, teamNames)) : t('全部考核对象', 'all subjects');
  const pickedBin = filters.composite ? bins.findIndex((b) => b.from === filters.composite?.from) : null;
  const markers = [
    ...bandEdges(run.policy).map((at) => ({ at, label: String(at), kind: 'band' as const })),
    ...(quotaAt !== null && pool ? [{ at: quotaAt, label: t(`名额线 ${quotaAt.toFixed(2)}（${pool.quota} 名）`, `quota line ${quotaAt.toFixed(2)} (${pool.quota})`), kind: 'quota' as const }] : []),
  ];
  const histogramLabel = t(
    `${scopeName}综合得分分布，每 ${BIN_WIDTH} 分一档：${bins.map((b) => `${b.from}–${b.to} 分 ${b.count} 个`).join('，')}。分档线 ${bandEdges(run.policy).join('、')}${quotaAt !== null ? `，名额线 ${quotaAt.toFixed(2)}` : ''}`,
    `Composite scores of ${scopeName} in ${BIN_WIDTH}-point bars: ${bins.map((b) => `${b.from}–${b.to}: ${b.count}`).join(', ')}. Band edges ${bandEdges(run.policy).join(', ')}${quotaAt !== null ? `; quota line ${quotaAt.toFixed(2)}` : ''}`,
  );
  const previousYear = previous?.result.year;
  return (
    <section class="card chart-panel-card" data-testid="grading-charts">
      <div class="toolbar">
        <label class="inline">
          {t('考核池', 'Pool')}
          <select value={filters.pool} onChange={(e) => onFilters({ ...filters, pool: e.currentTarget.value, composite: null })} data-testid="chart-pool">
            <option value="">{t('全部考核池', 'All pools')}</option>
            {run.result.pools.map((p) => (
              <option key={p.id} value={p.id}>
                {say(poolName(p.id, teamNames))} ({p.size})
              </option>
            ))}
          </select>
        </label>
        {pool && (
          <span class="muted" data-testid="pool-quota">
            {t(`${pool.size} 个对象，优秀名额 ${pool.quota} 个，已定优秀 ${pool.excellent} 个`, `${pool.size} subjects, ${pool.quota} 优秀 places, ${pool.excellent} awarded`)}
          </span>
        )}
        {!pool && <span class="muted">{t('选择一个考核池可看其名额线。', 'Choose a pool to see its quota line.')}</span>}
      </div>
      <div class="chart-panel">
        <div class="histogram-box">
          <h3>{t(`综合得分分布（${scopeName}）`, `Composite scores (${scopeName})`)}</h3>
          {bins.length > 0 ? (
            <charts.Histogram
              bins={bins.map((b) => ({ ...b, label: t(`${b.from}–${b.to} 分：${b.count} 个，点击筛选名单`, `${b.from}–${b.to}: ${b.count}; click to filter the list`) }))}
              markers={markers}
              domain={[bins[0]!.from, 100]}
              label={histogramLabel}
              picked={pickedBin}
              onPick={(i) => {
                const b = bins[i]!;
                const same = filters.composite?.from === b.from;
                onFilters({ ...filters, composite: same ? null : { from: b.from, to: b.to } });
              }}
              testId="composite-histogram"
            />
          ) : (
            <p class="muted">{t('没有综合得分。', 'No composite scores.')}</p>
          )}
          <p class="muted chart-note">{t('虚线为分档线（90 / 75 / 60），红线为名额线：按综合得分排在优秀名额最后一名的分数。', 'Dashed: band edges (90 / 75 / 60). Red: the quota line, the composite of the last subject inside the 优秀 places.')}</p>
        </div>
        <div data-testid="grade-charts">
          <h3>
            {t(`各类别等次（${year}年`, `Grades per category (${year}`)}
            {previousYear ? t(`，与 ${previousYear} 年比较）`, ` against ${previousYear})`) : t('）', ')')}
          </h3>
          <charts.ChartLegend
            items={[
              { key: 'current', label: t(`${year}年（实心）`, `${year} (filled)`), colour: '#344054' },
              ...(previousYear ? [{ key: 'previous', label: t(`${previousYear}年（空心）`, `${previousYear} (outlined)`), colour: '#344054', outline: true }] : []),
            ]}
          />
          <div class="grade-grid">
          {counts.map((c) => {
            const title = `${c.kind === 'team' ? t('领导班子', 'Teams') : t('领导干部', 'Cadres')} · ${say(categoryName(c.category))}`;
            return (
              <figure key={`${c.kind}:${c.category}`} class="grade-chart">
                <figcaption>{title}</figcaption>
              <charts.GroupedBars
                testId={`grade-chart-${c.kind}-${c.category}`}
                group={{ id: `${c.kind}:${c.category}`, title, rows: c.rows.map((r) => ({ key: r.grade, label: gradeLabel(r.grade), colour: r.colour, current: r.current, ...(r.previous !== undefined ? { previous: r.previous } : {}) })) }}
                describe={(r) =>
                  t(
                    `${title} ${r.label}：${year}年 ${r.current} 个${r.previous !== undefined ? `，${previousYear}年 ${r.previous} 个` : ''}`,
                    `${title} ${r.label}: ${r.current} in ${year}${r.previous !== undefined ? `, ${r.previous} in ${previousYear}` : ''}`,
                  )
                }
                picked={filters.category === c.category && filters.kind === c.kind ? filters.grade || null : null}
                onPick={(grade) => {
                  const same = filters.kind === c.kind && filters.category === c.category && filters.grade === grade;
                  onFilters(same ? { ...filters, category: '', grade: '' } : { ...filters, kind: c.kind, category: c.category, grade: grade as GradeFilters['grade'] });
                }}
              />
              </figure>
            );
          })}
          </div>
        </div>
      </div>
    </section>
  );
}
