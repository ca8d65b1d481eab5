import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import type { IssuedBatch } from './slips';

const STYLE = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 0; color: #000; }
header { padding: 8px 0 12px; }
header p { margin: 2px 0; font-size: 13px; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.slip { border: 1px dashed #888; padding: 6mm; display: flex; gap: 5mm; align-items: center; height: 66mm; break-inside: avoid; }
.slip svg { width: 42mm; height: 42mm; flex: none; }
.slip h2 { font-size: 15px; margin: 0 0 4px; }
.slip p { margin: 2px 0; font-size: 12px; line-height: 1.4; }
.code { font-family: monospace; font-size: 13px; letter-spacing: 1px; }
.dry { border: 2px solid #c00; }
.dry-mark { color: #c00; font-weight: bold; }
@media print { header { display: none; } }
`;

const styleHash = createHash('sha256').update(STYLE).digest('base64');

/** The CSP for the slips page: its one inline stylesheet allowed by hash, nothing else inline. */
export const SLIPS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A short, human-readable code on the slip: the token's first characters, grouped for reading aloud. */
export function slipCode(token: string): string {
  return token.slice(0, 8).toUpperCase().replace(/(.{4})/, '$1-');
}

/** A printable A4 page of QR slips (8 a page), one per token of the batch. */
export async function renderSlipsPage(batch: IssuedBatch, origin: string, sittingTitle: string): Promise<string> {
  const slips = await Promise.all(
    batch.tokens.map(async (token) => {
      const url = `${origin}/vote#${token}`;
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      const dry = batch.dryRun ? '<p class="dry-mark">演练票 无效 · TEST SLIP, NOT A BALLOT</p>' : '';
      return `<section class="slip${batch.dryRun ? ' dry' : ''}">${svg}<div><h2>${escapeHtml(sittingTitle)}</h2>${dry}<p>${escapeHtml(batch.voterGroup)}</p><p class="code">${slipCode(token)}</p><p>用手机相机扫描二维码，在手机上完成测评。每张票只能使用一次。</p><p>Scan the QR code with your phone camera to vote. One slip, one ballot.</p></div></section>`;
    }),
  );
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>测评票 · Ballot slips</title><style>${STYLE}</style></head><body><header><p>${escapeHtml(sittingTitle)} · ${escapeHtml(batch.voterGroup)} · ${batch.tokens.length} 张 slips${batch.dryRun ? ' · 演练 dry run' : ''}</p><p>打印后请立即妥善保管；本页不会再次显示。Print now: this page is not shown again after the print window.</p></header><main class="sheet">${slips.join('')}</main></body></html>`;
}
