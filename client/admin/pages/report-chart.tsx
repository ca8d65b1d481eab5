import type { GradingReport, ReportGroup } from '../api-types';
import { gradesOf } from '../../../shared/grading/glossary';
import { gradeColour } from '../../../shared/rating-scale';
import { say, t } from '../i18n';
import type { Charts } from '../lazy-charts';
import { gradeLabel } from './grading-common';

/**
 * §7 as a chart beside its table: each category's final grades this year (filled) against the
 * previous year's published grades (outlined). Its text alternative is every number it draws.
 * `previous` is the previous year's own report; a category is compared only when that report's
 * total is the one the server compared against (change.previousTotal), so the chart cannot
 * disagree with the table's change columns.
 */
export function ReportChart({ groups, previous, charts, year }: { groups: readonly ReportGroup[]; previous: GradingReport | null; charts: Charts; year: number }) {
  return (
    <div class="report-chart" data-testid="report-chart">
      {groups.map((g) => {
        const before = previous?.groups.find((p) => p.group.id === g.group.id);
        const compared = before && g.change && before.total === g.change.previousTotal ? before : undefined;
        const previousYear = g.change?.previousYear;
        const title = `${say(g.group)}（${g.total}）`;
        return (
          <figure key={g.group.id} class="grade-chart">
            <figcaption>{say(g.group)}</figcaption>
            <charts.GroupedBars
              testId={`report-chart-${g.group.id}`}
              group={{
                id: g.group.id,
                title,
                rows: gradesOf(g.group.kind).map((grade) => ({
                  key: grade,
                  label: gradeLabel(grade),
                  colour: gradeColour(grade),
                  current: g.counts[grade] ?? 0,
                  ...(compared ? { previous: compared.counts[grade] ?? 0 } : {}),
                })),
              }}
              describe={(r) =>
                t(
                  `${r.label} ${year}年 ${r.current}${r.previous !== undefined ? `，${previousYear}年 ${r.previous}` : ''}`,
                  `${r.label} ${r.current} in ${year}${r.previous !== undefined ? `, ${r.previous} in ${previousYear}` : ''}`,
                )
              }
            />
          </figure>
        );
      })}
    </div>
  );
}
