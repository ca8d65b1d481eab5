import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import QRCode from 'qrcode';

/** What the slips PDF and the paper ballots PDF share: the page unit, the CJK font, QR codes. */

export const MM = 72 / 25.4;

/**
 * pdfkit (with fontkit) is loaded on the first PDF, not at start: it holds ~12 MiB of a server's
 * memory (measured), which a server taking ballots has better use for.
 */
let pdfKit: typeof PDFKitDocument | undefined;
function loadPdfKit(): typeof PDFKitDocument {
  return (pdfKit ??= createRequire(import.meta.url)('pdfkit') as typeof PDFKitDocument);
}

/** A CJK font from the system (Debian: fonts-noto-cjk); without one, Latin text only. */
const CJK_FONTS: [string, string][] = [
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYiMicroHei'],
];

function cjkFont(): [string, string] | undefined {
  return CJK_FONTS.find(([file]) => existsSync(file));
}

function latinOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '').replace(/\s+/g, ' ').trim();
}

export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save().fillColor('#000');
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.data[row * n + col]) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell + 0.01, cell + 0.01);
    }
  }
  doc.fill().restore();
}

/**
 * A PDF built in memory (clear tokens never touch the disk), with the system's CJK font when
 * there is one: `t` keeps only Latin text otherwise. `finish` ends it and returns its bytes.
 */
export function pdfDocument(title: string) {
  const PDFDocument = loadPdfKit();
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: title, Creator: 'ceping' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const font = cjkFont();
  if (font) doc.registerFont('cjk', font[0], font[1]);
  return {
    doc,
    textFont: font ? 'cjk' : 'Helvetica',
    t: (s: string) => (font ? s : latinOnly(s)),
    finish: async (): Promise<Uint8Array> => {
      doc.end();
      await done;
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}
