import { parentPort, workerData } from 'node:worker_threads';
import { renderReportPdf, type ReportPdfInput } from './report-pdf';

/** Draws one report PDF (report-pdf-export.ts starts it) and hands its bytes back, moved, not copied. */
const bytes = await renderReportPdf(workerData as ReportPdfInput);
parentPort!.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
