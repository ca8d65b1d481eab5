import { api, byId, call } from './api';
import type { GradingRun } from './api-types';
import { useLoad } from './components';

/**
 * The published grading run of the year the report compares against (its `change.previousYear`,
 * which the server chose): the charts put its counts per grade beside this year's. The report
 * itself carries only the previous 优秀 and total; the full counts come from that year's own
 * run, read here. Null when there is no such year or no published run of it.
 */
export function usePreviousRun(previousYear: number | undefined) {
  return useLoad<GradingRun | null>(async () => {
    if (previousYear === undefined) return null;
    const { assessments } = await call(api.admin.assessments.$get());
    const published = assessments.find((a) => a.year === previousYear && a.publishedRunId !== null);
    if (!published) return null;
    const run = await call(api.admin.assessments[':id'].grading.$get(byId(published.id)));
    // The run the server compares against is the published one; anything else would compare wrong numbers.
    return run.runId === published.publishedRunId ? run : null;
  }, [previousYear]);
}

/** The year the run's report compares against, if the server found one. */
export function previousYearOf(run: Pick<GradingRun, 'report'> | null | undefined): number | undefined {
  return run?.report.groups.find((g) => g.change)?.change?.previousYear;
}
