import { drawQr, MM, pdfDocument } from './pdf-kit';
import { fullCode, SLIP_INSTRUCTIONS, SLIPS_PER_PAGE, slipCode } from './page';
import type { IssuedBatch } from './slips';

/**
 * The slips of a freshly issued batch as an A4 PDF, built in memory from the PrintQueue and
 * sent once: the clear tokens never touch the disk. Same grid as the HTML page (2 x 5), QR
 * codes drawn as vector squares, dashed cut lines and corner marks.
 */

const SLIP = { width: 95 * MM, height: 56 * MM };
const MARGIN = { x: 10 * MM, y: 8.5 * MM };
const QR_SIZE = 36 * MM;

function drawCutMarks(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number): void {
  doc.save().lineWidth(0.4).strokeColor('#999').dash(3, { space: 2 }).rect(x, y, w, h).stroke().undash();
  const t = 3 * MM;
  doc.lineWidth(0.9).strokeColor('#000');
  for (const [cx, cy, dx, dy] of [
    [x, y, 1, 1],
    [x + w, y, -1, 1],
    [x, y + h, 1, -1],
    [x + w, y + h, -1, -1],
  ] as const) {
    doc.moveTo(cx + dx * t, cy).lineTo(cx, cy).lineTo(cx, cy + dy * t).stroke();
  }
  doc.restore();
}

export async function renderSlipsPdf(batch: IssuedBatch, origin: string, sittingTitle: string): Promise<Uint8Array> {
  const { doc, textFont, t, finish } = pdfDocument('测评票 Ballot slips');

  batch.tokens.forEach((token, i) => {
    const onPage = i % SLIPS_PER_PAGE;
    if (onPage === 0) doc.addPage({ size: 'A4', margin: 0 });
    const x = MARGIN.x + (onPage % 2) * SLIP.width;
    const y = MARGIN.y + Math.floor(onPage / 2) * SLIP.height;
    drawCutMarks(doc, x, y, SLIP.width, SLIP.height);
    if (batch.dryRun) doc.save().lineWidth(1.6).strokeColor('#c00').rect(x + 1.5, y + 1.5, SLIP.width - 3, SLIP.height - 3).stroke().restore();
    const pad = 4 * MM;
    drawQr(doc, `${origin}/vote#${token}`, x + pad, y + (SLIP.height - QR_SIZE) / 2, QR_SIZE);
    const tx = x + pad + QR_SIZE + 3 * MM;
    const tw = SLIP.width - (tx - x) - pad;
    let ty = y + 6 * MM;
    doc.fillColor('#000').font(textFont).fontSize(10.5);
    doc.text(t(sittingTitle), tx, ty, { width: tw, height: 31, ellipsis: true, lineGap: 1 });
    ty = y + 17 * MM;
    if (batch.dryRun) {
      doc.fillColor('#c00').fontSize(10).text(t('演练票 无效 · TEST SLIP'), tx, ty, { width: tw });
      ty += 5 * MM;
    }
    doc.fillColor('#000').fontSize(8.5).text(t(batch.voterGroup) || 'group', tx, ty, { width: tw });
    ty += 5 * MM;
    doc.font('Courier-Bold').fontSize(15).text(slipCode(token), tx, ty, { width: tw });
    ty += 7 * MM;
    doc.font('Courier').fontSize(8).text(fullCode(token), tx, ty, { width: tw });
    ty = doc.y + 1.5 * MM;
    doc.font(textFont).fontSize(7.5).fillColor('#222').text(t(SLIP_INSTRUCTIONS), tx, ty, { width: tw, lineGap: 0.5 });
  });
  if (batch.tokens.length === 0) doc.addPage();
  return finish();
}
