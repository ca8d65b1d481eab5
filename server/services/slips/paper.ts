import type { BallotForm, BallotQuestion } from '../../../shared/forms';
import { drawQr, MM, pdfDocument } from './pdf-kit';
import { fullCode, slipCode } from './page';
import type { IssuedBatch } from './slips';

/**
 * Paper ballots (纸质测评票) for a batch: one per slip, on landscape A4, black and white. A paper
 * ballot *is* its slip: every page carries the slip's QR code (the same /vote#<token>) and its
 * short code, so either way of voting spends the same token once, and loose pages find their
 * ballot. Each form is a table, one row per subject, one column per question, a box per
 * option; the header row repeats on every page, so 120 subjects or more continue cleanly.
 */

const PAGE = { width: 297 * MM, height: 210 * MM };
const MARGIN = 10 * MM;
const QR = 24 * MM;
const HEADER = 30 * MM;
const FOOTER = 8 * MM;
const ROW = 8.2 * MM;
const NAME_COLUMN = 62 * MM;
const BOX = 3.4 * MM;

export const PAPER_INSTRUCTIONS = '每项只在一个方框内打 ✓；不选视为弃权。填好后交工作人员录入。 Tick one box per item; a blank item is an abstention.';

/** The option numbers on the boxes and what they stand for ("1 优秀 2 称职 …"). */
function legendOf(form: BallotForm): string {
  const seen = new Map<string, string>();
  for (const q of form.questions) if (q.kind === 'grade') q.options.forEach((o, i) => seen.set(`${i + 1}`, `${i + 1} ${o.label}`));
  return [...seen.values()].join('   ') + (form.questions.some((q) => q.kind === 'yesno') ? '   是/否 yes/no' : '');
}

function boxLabels(q: BallotQuestion): string[] {
  return q.kind === 'yesno' ? q.options.map((o) => o.label) : q.options.map((_, i) => String(i + 1));
}

interface Drawn {
  doc: PDFKit.PDFDocument;
  textFont: string;
  t: (s: string) => string;
}

function pageFrame({ doc, textFont, t }: Drawn, batch: IssuedBatch, token: string, url: string, sittingTitle: string, form: BallotForm, page: number, pages: number): void {
  doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
  drawQr(doc, url, PAGE.width - MARGIN - QR, MARGIN - 2 * MM, QR);
  doc.font('Courier-Bold').fontSize(11).fillColor('#000').text(slipCode(token), PAGE.width - MARGIN - QR, MARGIN + QR - 2 * MM, { width: QR, align: 'center' });
  const width = PAGE.width - 2 * MARGIN - QR - 6 * MM;
  doc.font(textFont).fontSize(14).text(t(sittingTitle), MARGIN, MARGIN, { width, height: 18, ellipsis: true });
  doc.fontSize(10).text(t(`纸质测评票 Paper ballot · ${batch.voterGroup} · ${form.title} ${form.titleEn}${batch.dryRun ? ' · 演练票 无效 TEST' : ''}`), MARGIN, MARGIN + 7 * MM, { width });
  doc.fontSize(8).fillColor('#222').text(t(PAPER_INSTRUCTIONS), MARGIN, MARGIN + 12.5 * MM, { width });
  doc.fontSize(8.5).fillColor('#000').text(t(legendOf(form)), MARGIN, MARGIN + 17.5 * MM, { width });
  doc.font(textFont).fontSize(7.5).fillColor('#222').text(t(`第 ${page} / ${pages} 页 · page ${page} of ${pages} · ${slipCode(token)} · 票码 code ${fullCode(token)}`), MARGIN, PAGE.height - MARGIN - 3 * MM, { width: PAGE.width - 2 * MARGIN, align: 'right' });
}

/** The table's header row: the questions, wrapped to their column; returns its height. */
function headerRow({ doc, textFont, t }: Drawn, form: BallotForm, y: number, column: number): number {
  doc.font(textFont).fontSize(7.5).fillColor('#000');
  const height = Math.max(9 * MM, ...form.questions.map((q) => doc.heightOfString(t(q.text), { width: column - 2 * MM }) + 3 * MM));
  doc.lineWidth(0.8).strokeColor('#000').rect(MARGIN, y, PAGE.width - 2 * MARGIN, height).stroke();
  doc.text(t('序号  姓名 · 职务'), MARGIN + 1.5 * MM, y + 1.5 * MM, { width: NAME_COLUMN - 3 * MM });
  form.questions.forEach((q, i) => {
    const x = MARGIN + NAME_COLUMN + i * column;
    doc.moveTo(x, y).lineTo(x, y + height).stroke();
    doc.text(t(q.text), x + 1 * MM, y + 1.5 * MM, { width: column - 2 * MM, align: 'center' });
  });
  return height;
}

function subjectRow({ doc, textFont, t }: Drawn, form: BallotForm, index: number, y: number, column: number): void {
  const subject = form.subjects[index]!;
  doc.lineWidth(0.4).strokeColor('#000').rect(MARGIN, y, PAGE.width - 2 * MARGIN, ROW).stroke();
  doc.font(textFont).fontSize(9).fillColor('#000').text(t(`${index + 1}. ${subject.name}`), MARGIN + 1.5 * MM, y + 1.2 * MM, { width: NAME_COLUMN - 3 * MM, height: 11, ellipsis: true, lineBreak: false });
  if (subject.title) doc.fontSize(6.5).fillColor('#333').text(t(subject.title), MARGIN + 1.5 * MM, y + 4.8 * MM, { width: NAME_COLUMN - 3 * MM, height: 8, ellipsis: true, lineBreak: false });
  form.questions.forEach((q, i) => {
    const x = MARGIN + NAME_COLUMN + i * column;
    doc.lineWidth(0.4).moveTo(x, y).lineTo(x, y + ROW).stroke();
    const labels = boxLabels(q);
    const slot = Math.min(8 * MM, (column - 2 * MM) / labels.length);
    const start = x + (column - slot * labels.length) / 2;
    labels.forEach((label, k) => {
      const bx = start + k * slot;
      doc.lineWidth(0.7).rect(bx, y + (ROW - BOX) / 2, BOX, BOX).stroke();
      doc.font(textFont).fontSize(7).fillColor('#000').text(t(label), bx + BOX + 0.6 * MM, y + (ROW - BOX) / 2 + 0.3 * MM, { width: slot - BOX - 0.6 * MM, lineBreak: false });
    });
  });
}

export async function renderPaperBallots(batch: IssuedBatch, forms: BallotForm[], origin: string, sittingTitle: string): Promise<Uint8Array> {
  const { doc, textFont, t, finish } = pdfDocument('纸质测评票 Paper ballots');
  const drawn = { doc, textFont, t };
  const body = PAGE.height - MARGIN - HEADER - FOOTER - MARGIN;
  // Header rows are as tall as the longest question's text: measured once per form.
  doc.font(textFont).fontSize(7.5);
  const layout = forms.map((form) => {
    const column = (PAGE.width - 2 * MARGIN - NAME_COLUMN) / Math.max(1, form.questions.length);
    const head = Math.max(9 * MM, ...form.questions.map((q) => doc.heightOfString(t(q.text), { width: column - 2 * MM }) + 3 * MM));
    const perPage = Math.max(1, Math.floor((body - head) / ROW));
    return { form, column, perPage, pages: Math.max(1, Math.ceil(form.subjects.length / perPage)) };
  });
  const pages = layout.reduce((n, l) => n + l.pages, 0);
  for (const token of batch.tokens) {
    const url = `${origin}/vote#${token}`;
    let page = 0;
    for (const { form, column, perPage, pages: formPages } of layout) {
      for (let p = 0; p < formPages; p++) {
        pageFrame(drawn, batch, token, url, sittingTitle, form, ++page, pages);
        const top = MARGIN + HEADER;
        const head = headerRow(drawn, form, top, column);
        const rows = form.subjects.slice(p * perPage, (p + 1) * perPage);
        rows.forEach((_, r) => subjectRow(drawn, form, p * perPage + r, top + head + r * ROW, column));
      }
    }
  }
  if (batch.tokens.length === 0) doc.addPage();
  return finish();
}
