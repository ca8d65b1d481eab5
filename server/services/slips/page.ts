import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import type { IssuedBatch } from './slips';

const STYLE = `
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
html { background: #e5e5e5; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif; margin: 0; color: #000; }
header { max-width: 210mm; margin: 0 auto; padding: 12px 4px; font-size: 14px; }
header p { margin: 2px 0; }
header .warn { color: #a00; font-weight: bold; }
.print-slips { font-size: 18px; min-height: 48px; padding: 10px 20px; margin: 10px 0; cursor: pointer; }
.sheet { width: 210mm; height: 297mm; margin: 0 auto 8mm; padding: 8.5mm 10mm; background: #fff; display: grid; grid-template-columns: repeat(2, 95mm); grid-template-rows: repeat(5, 56mm); box-shadow: 0 1px 6px rgba(0,0,0,.25); }
.slip { position: relative; border: 0.3mm dashed #999; padding: 4mm; display: flex; gap: 4mm; align-items: center; overflow: hidden; }
.slip svg { width: 36mm; height: 36mm; flex: none; }
.slip .text { min-width: 0; }
.slip h2 { font-size: 10.5pt; line-height: 1.25; margin: 0 0 1.5mm; max-height: 2.5em; overflow: hidden; }
.slip p { margin: 0 0 1mm; font-size: 8.5pt; line-height: 1.3; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 15pt !important; font-weight: bold; letter-spacing: 0.5mm; }
.full { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt !important; }
.how { color: #222; }
.cut { position: absolute; width: 3mm; height: 3mm; border: 0 solid #000; }
.cut.tl { top: -0.2mm; left: -0.2mm; border-top-width: 0.4mm; border-left-width: 0.4mm; }
.cut.tr { top: -0.2mm; right: -0.2mm; border-top-width: 0.4mm; border-right-width: 0.4mm; }
.cut.bl { bottom: -0.2mm; left: -0.2mm; border-bottom-width: 0.4mm; border-left-width: 0.4mm; }
.cut.br { bottom: -0.2mm; right: -0.2mm; border-bottom-width: 0.4mm; border-right-width: 0.4mm; }
.dry { border: 0.6mm solid #c00; }
.dry-mark { color: #c00; font-weight: bold; font-size: 10pt !important; }
.dry-stamp { position: absolute; right: 2mm; top: 1mm; color: #c00; font-weight: bold; font-size: 9pt; border: 0.4mm solid #c00; padding: 0 1.5mm; transform: rotate(8deg); }
@media print {
  html { background: none; }
  header { display: none; }
  .sheet { margin: 0; box-shadow: none; break-after: page; }
  .sheet:last-child { break-after: auto; }
}
`;

const styleHash = createHash('sha256').update(STYLE).digest('base64');

/** The slips stylesheet, also served as a file (SLIPS_CSS_PATH) so the page renders under the app-wide CSP too. */
export const SLIPS_CSS = STYLE;
export const SLIPS_CSS_PATH = '/api/admin/slips.css';

/** The CSP for the slips page: its one inline stylesheet allowed by hash, nothing else inline. */
export const SLIPS_PAGE_CSP = `default-src 'none'; style-src 'self' 'sha256-${styleHash}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A short, human-readable code on the slip: the token's first characters, grouped for reading aloud. */
export function slipCode(token: string): string {
  return token.slice(0, 8).toUpperCase().replace(/(.{4})/, '$1-');
}

/**
 * The whole token as printed for typing (upper case, groups of four): what a clerk or a voter
 * types when a QR code cannot be read. The short code above names the slip; this one votes.
 */
export function fullCode(token: string): string {
  return token.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

/** Slips on one A4 sheet: 2 columns x 5 rows (the PDF uses the same grid). */
export const SLIPS_PER_PAGE = 10;

/** The one line of instructions printed on every slip. */
export const SLIP_INSTRUCTIONS = '手机相机扫码投票，每票限用一次 · Scan to vote; one use only';

/** A printable A4 page of QR slips (10 a sheet, with cut marks), one per token of the batch. */
export async function renderSlipsPage(batch: IssuedBatch, origin: string, sittingTitle: string): Promise<string> {
  const slips = await Promise.all(
    batch.tokens.map(async (token) => {
      const url = `${origin}/vote#${token}`;
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      const dry = batch.dryRun ? '<span class="dry-stamp">演练 TEST</span><p class="dry-mark">演练票 无效 · TEST SLIP, NOT A BALLOT</p>' : '';
      const cuts = '<i class="cut tl"></i><i class="cut tr"></i><i class="cut bl"></i><i class="cut br"></i>';
      return `<section class="slip${batch.dryRun ? ' dry' : ''}">${cuts}${svg}<div class="text"><h2>${escapeHtml(sittingTitle)}</h2>${dry}<p>${escapeHtml(batch.voterGroup)}</p><p class="code">${slipCode(token)}</p><p class="full">${fullCode(token)}</p><p class="how">${SLIP_INSTRUCTIONS}</p></div></section>`;
    }),
  );
  const sheets: string[] = [];
  for (let i = 0; i < slips.length; i += SLIPS_PER_PAGE) sheets.push(`<div class="sheet">${slips.slice(i, i + SLIPS_PER_PAGE).join('')}</div>`);
  const pages = sheets.length;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>测评票 · Ballot slips</title><link rel="stylesheet" href="${SLIPS_CSS_PATH}"></head><body><header><p><strong>${escapeHtml(sittingTitle)}</strong> · ${escapeHtml(batch.voterGroup)} · ${batch.tokens.length} 张 slips · ${pages} 页 pages (A4)${batch.dryRun ? ' · <span class="warn">演练 dry run</span>' : ''}</p><p>按 Ctrl+P 打印，沿虚线裁开。Print with Ctrl+P (A4, no margins) and cut along the dashed lines.</p><p class="warn">打印后请妥善保管；打印时限过后本页不再显示。Keep the slips safe: this page is not shown again after the print window.</p></header>${sheets.join('')}</body></html>`;
}

/**
 * What a GET (or HEAD) of a slips URL shows: a button that POSTs for the slips. Rendering the
 * slips counts them as printed and is audited, and a state change never rides on a GET (a
 * prefetch, a replayed link or a HEAD must record nothing).
 */
export function renderPrintPrompt(batch: IssuedBatch, sittingTitle: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>打印测评票 · Print ballot slips</title><link rel="stylesheet" href="${SLIPS_CSS_PATH}"></head><body><header><p><strong>${escapeHtml(sittingTitle)}</strong> · ${escapeHtml(batch.voterGroup)} · ${batch.tokens.length} 张 slips${batch.dryRun ? ' · <span class="warn">演练 dry run</span>' : ''}</p><form method="post"><button type="submit" class="print-slips">显示并打印测评票 · Show and print the slips</button></form><p>打印将记入审计日志。Printing is recorded in the audit log.</p></header></body></html>`;
}
