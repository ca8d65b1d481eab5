import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { GradingReport } from '../../../shared/grading';
import type { Db } from '../../db/open';
import { assessments } from '../../db/schema';
import { appendAudit, publishedAuditHead } from '../audit/audit';
import { getAssessment } from '../subjects/assessments';
import { currentRun, reportFor } from './grading';
import { tsWorker } from '../ts-worker';
import type { ReportPdfInput } from './report-pdf';

/**
 * Last year's published report, for the chart's second bars: the same assessment the §7
 * comparison uses (grading.ts, previousYearResult: the first published one of year - 1),
 * as a whole report so that every grade's count is there, not only 优秀.
 */
function previousYearReport(db: Db, year: number): GradingReport | undefined {
  const previous = db
    .select({ id: assessments.id })
    .from(assessments)
    .where(and(eq(assessments.year, year - 1), isNotNull(assessments.publishedRunId)))
    .orderBy(asc(assessments.id))
    .limit(1)
    .get();
  return previous ? reportFor(db, previous.id) : undefined;
}

/**
 * The committee's PDF of an assessment's current run, recorded in the audit log. As with the
 * sittings' result exports, the entry is appended once the report is known to exist (an
 * unknown or ungraded assessment records nothing) and before the file is made, so the head
 * the PDF prints is the one right after its own entry: the audit log can later be shown to
 * still hold this export.
 */
export async function exportReportPdf(db: Db, actor: string, assessmentId: number): Promise<{ file: Uint8Array; year: number }> {
  const assessment = getAssessment(db, assessmentId);
  const run = currentRun(db, assessmentId);
  const report = reportFor(db, assessmentId);
  const previous = previousYearReport(db, report.year);
  appendAudit(db, actor, 'report.export', `assessment:${assessmentId}`, { format: 'pdf', runId: run.id });
  const auditHead = publishedAuditHead(db);
  const file = await renderOffTheEventLoop({
    assessment: { name: assessment.name, year: assessment.year },
    run: { id: run.id, createdAt: run.createdAt, createdBy: run.createdBy, published: assessment.publishedRunId === run.id },
    report,
    previous,
    result: run.result,
    auditHead,
    printedAt: Date.now(),
  });
  return { file, year: report.year };
}

/**
 * The PDF is drawn in a worker thread of its own: pdfkit is synchronous, and the demo
 * province's 25 pages take it ~2 s, which on the event loop would hold back every ballot of a
 * sitting under way (tests/server/report-pdf-live.solo.test.ts). Exports are rare: one worker
 * each, ended once it has answered.
 */
function renderOffTheEventLoop(input: ReportPdfInput): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = tsWorker(new URL('./report-pdf-worker.ts', import.meta.url), { workerData: input });
    worker.once('message', (bytes: Uint8Array) => {
      resolve(bytes);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the report PDF worker ended (${code}) before it answered`)));
  });
}
