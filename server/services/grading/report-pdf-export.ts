import type { Db } from '../../db/database';
import { appendAudit, publishedAuditHead } from '../audit/audit';
import { getAssessment } from '../subjects/assessments';
import { buildReport } from '../../../shared/grading/report';
import { currentRun, previousYearResult, reportForRun } from './grading';
import { tsWorker } from '../ts-worker';
import type { ReportPdfInput } from './report-pdf';

/**
 * The committee's PDF of an assessment's current run, recorded in the audit log. As with the
 * sittings' result exports, the entry is appended once the report is known to exist (an
 * unknown or ungraded assessment records nothing) and before the file is made, so the head
 * the PDF prints is the one right after its own entry: the audit log can later be shown to
 * still hold this export. What the PDF shows, its entry and the head are read and written in
 * one transaction (one runs at a time), so no other act comes in between; the drawing follows.
 */
export async function exportReportPdf(db: Db, actor: string, assessmentId: number): Promise<{ file: Uint8Array; year: number }> {
  const { assessment, run, report, previous, auditHead } = await db.transaction(async (tx) => {
    const assessment = await getAssessment(tx, assessmentId);
    const run = await currentRun(tx, assessmentId);
    const report = await reportForRun(tx, run);
    // Last year's published result, the one the §7 change compares against, as a whole report
    // so that the chart has every grade's count, not only 优秀.
    const before = await previousYearResult(tx, report.year);
    const previous = before ? buildReport(before) : undefined;
    await appendAudit(tx, actor, 'report.export', `assessment:${assessmentId}`, { format: 'pdf', runId: run.id });
    const auditHead = await publishedAuditHead(tx);
    return { assessment, run, report, previous, auditHead };
  });
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
