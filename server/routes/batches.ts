import { Hono, type Context } from 'hono';
import { requireRole, type AuthEnv } from '../http/auth';
import { attachment, postRequired } from '../http/download';
import { ApiError } from '../http/errors';
import { endpoint } from '../http/route';
import { idParam } from '../http/validate';
import { assertCanWatch } from '../services/sittings/access';
import { getSitting, sittingForms } from '../services/sittings/sittings';
import { renderPaperBallots } from '../services/slips/paper';
import { renderSlipsPdf } from '../services/slips/pdf';
import { renderPrintPrompt, renderSlipsPage, SLIPS_PAGE_CSP } from '../services/slips/page';
import { markPrinted } from '../services/slips/slips';
import type { SittingDeps } from './sittings';

const prompt = endpoint({
  summary: 'A page with a button that POSTs for the slips: a GET or HEAD prints and records nothing',
  errors: { 404: ['unknown_batch'] },
  files: { 200: 'text/html' },
});
const page = endpoint({
  summary: 'Printable A4 page of QR slips for a freshly issued batch; counts the slips as printed (audited)',
  errors: { 404: ['unknown_batch'] },
  files: { 200: 'text/html' },
});
const pdfRefused = endpoint({ summary: 'Refused: the PDF is recorded as printed, so it comes only from a POST', errors: { 405: ['post_required'] } });
const pdf = endpoint({
  summary: 'The same slips as an A4 PDF (from memory; clear tokens are never stored); counts them as printed (audited)',
  errors: { 404: ['unknown_batch'] },
  files: { 200: 'application/pdf' },
});

const paper = endpoint({
  summary:
    'Paper ballots (纸质测评票) for a freshly issued batch as an A4 landscape PDF: one per slip, each page with the slip\'s QR code and short code, every subject of every form with a box per option; counts the slips as printed (audited)',
  errors: { 404: ['unknown_batch'] },
  files: { 200: 'application/pdf' },
});

/** /api/admin/batches: a batch's slips, printable while its clear tokens are held (slipsUrl), as a page or a PDF. */
export function batchRoutes({ db, printQueue }: Pick<SittingDeps, 'db' | 'printQueue'>) {
  async function printable(c: Context<AuthEnv>) {
    const batch = printQueue.get(idParam(c.req.param('id')));
    if (!batch) throw new ApiError(404, 'unknown_batch');
    await assertCanWatch(db, c.var.user, batch.sittingId);
    return { batch, title: (await getSitting(db, batch.sittingId)).name, origin: c.get('siteOrigin') };
  }
  const staff = requireRole(db, 'admin', 'organiser');
  return new Hono<AuthEnv>()
    .get('/:id/slips', staff, prompt.doc, async (c) => {
      const { batch, title } = await printable(c);
      c.header('Cache-Control', 'no-store');
      return c.html(renderPrintPrompt(batch, title), 200);
    })
    .post('/:id/slips', staff, page.doc, async (c) => {
      const { batch, title, origin } = await printable(c);
      const html = await renderSlipsPage(batch, origin, title);
      await markPrinted(db, c.var.user.username, batch);
      c.header('Content-Security-Policy', SLIPS_PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      return c.html(html, 200);
    })
    .get('/:id/slips.pdf', staff, pdfRefused.doc, postRequired)
    .post('/:id/slips.pdf', staff, pdf.doc, async (c) => {
      const { batch, title, origin } = await printable(c);
      const file = await renderSlipsPdf(batch, origin, title);
      await markPrinted(db, c.var.user.username, batch);
      attachment(c, `slips-${batch.batchId}${batch.dryRun ? '-dry-run' : ''}.pdf`, 'application/pdf');
      return c.body(file as Uint8Array<ArrayBuffer>, 200);
    })
    .post('/:id/paper', staff, paper.doc, async (c) => {
      const { batch, title, origin } = await printable(c);
      const file = await renderPaperBallots(batch, sittingForms(await getSitting(db, batch.sittingId)), origin, title);
      await markPrinted(db, c.var.user.username, batch);
      attachment(c, `paper-ballots-${batch.batchId}${batch.dryRun ? '-dry-run' : ''}.pdf`, 'application/pdf');
      return c.body(file as Uint8Array<ArrayBuffer>, 200);
    });
}
