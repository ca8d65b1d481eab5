import { MM } from '../slips/pdf-kit';

/**
 * Page layout for the committee report (report-pdf.ts): blocks are measured and placed on pages
 * before anything is drawn. Two things need that plan: the footer's "共 M 页" must know M before
 * page 1 is drawn (pdfkit writes a page out when the next one begins), and a block placed only
 * where it fits whole can never be cut off at a page's foot. Tables repeat their caption and
 * header row on every page they continue onto.
 */

export const A4 = { width: 210 * MM, height: 297 * MM };
export const MARGIN = { x: 18 * MM, top: 20 * MM, bottom: 20 * MM };
export const CONTENT_WIDTH = A4.width - 2 * MARGIN.x;

/** What pdf-kit.ts's pdfDocument hands out: the document, its CJK font, and `t` (Latin only without one). */
export interface Pen {
  doc: PDFKit.PDFDocument;
  textFont: string;
  t: (s: string) => string;
}

export interface TextStyle {
  size: number;
  color?: string;
  font?: string;
  lineGap?: number;
  align?: 'left' | 'center' | 'right';
}

/** Font and size only: a colour is page content, and pages are measured before any exists. */
function sized(pen: Pen, style: TextStyle): PDFKit.PDFDocument {
  return pen.doc.font(style.font ?? pen.textFont).fontSize(style.size);
}

const measured = new WeakMap<PDFKit.PDFDocument, Map<string, number>>();

/**
 * The height `text` takes wrapped to `width`, in the style it will be drawn in. Remembered per
 * document: a province's lists repeat the same units and reason patterns thousands of times, and
 * laying out CJK text is what the report spends its time on.
 */
export function measure(pen: Pen, text: string, width: number, style: TextStyle): number {
  let cache = measured.get(pen.doc);
  if (!cache) measured.set(pen.doc, (cache = new Map()));
  const key = `${style.font ?? ''}|${style.size}|${style.lineGap ?? 1}|${width}|${text}`;
  let height = cache.get(key);
  if (height === undefined) cache.set(key, (height = sized(pen, style).heightOfString(pen.t(text), { width, lineGap: style.lineGap ?? 1 })));
  return height;
}

export function write(pen: Pen, text: string, x: number, y: number, width: number, style: TextStyle): void {
  sized(pen, style).fillColor(style.color ?? '#000').text(pen.t(text), x, y, { width, lineGap: style.lineGap ?? 1, align: style.align ?? 'left' });
}

type Draw = () => void;
interface Block {
  height: number;
  draw: (y: number) => void;
}

export class Flow {
  readonly pages: Draw[][] = [[]];
  private y = MARGIN.top;
  private repeat: Block | undefined;
  private readonly bottom = A4.height - MARGIN.bottom;

  /**
   * Places a block of `height` on this page, or on a new one when it does not fit together with
   * `keepWithNext` (a caption keeps its table's header and first row with it). A block taller than
   * a whole page is placed anyway; nothing the report prints comes near that (an override reason is
   * at most 2,000 characters: about 55 lines of its column, under a page).
   */
  block(height: number, draw: (y: number) => void, keepWithNext = 0): void {
    if (this.y + height + keepWithNext > this.bottom && this.y > this.pageTop()) this.newPage();
    const y = this.y;
    this.pages.at(-1)!.push(() => draw(y));
    this.y += height;
  }

  /** Vertical space; none at the top of a page. */
  gap(height: number): void {
    if (this.y > this.pageTop()) this.y = Math.min(this.y + height, this.bottom);
  }

  newPage(): void {
    this.pages.push([]);
    this.y = MARGIN.top;
    const repeat = this.repeat;
    if (repeat) {
      const y = this.y;
      this.pages.at(-1)!.push(() => repeat.draw(y));
      this.y += repeat.height;
    }
  }

  /** Runs `place` with `header` drawn again at the top of every page it continues onto. */
  repeating(header: Block, place: () => void): void {
    this.repeat = header;
    try {
      place();
    } finally {
      this.repeat = undefined;
    }
  }

  private pageTop(): number {
    return MARGIN.top + (this.repeat?.height ?? 0);
  }
}

export interface Column<R> {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  text(row: R): string;
  /** A second line in small grey type (a cadre's team and post under the name). */
  sub?(row: R): string | undefined;
}

const CELL = { padX: 1.3 * MM, padY: 0.9 * MM, size: 7.8, subSize: 6.3, headSize: 7.5 };
const CAPTION = { size: 10 };

function cellHeight<R>(pen: Pen, column: Column<R>, row: R): number {
  const width = column.width - 2 * CELL.padX;
  const sub = column.sub?.(row);
  return measure(pen, column.text(row) || ' ', width, { size: CELL.size }) + (sub ? measure(pen, sub, width, { size: CELL.subSize }) + 0.2 * MM : 0);
}

/**
 * A table under a caption. Every row is measured (wrapped text included) before it is placed;
 * a row that does not fit starts a new page, which begins with "<caption>（续）" and the header
 * row again. Rows are ruled with hairlines, the header shaded light grey: plain on a
 * black-and-white printer.
 */
export function table<R>(flow: Flow, pen: Pen, options: { caption: string; columns: Column<R>[]; rows: readonly R[]; empty?: string }): void {
  const { caption, columns, rows } = options;
  const { doc } = pen;
  const headHeight = Math.max(...columns.map((c) => measure(pen, c.header, c.width - 2 * CELL.padX, { size: CELL.headSize }))) + 2 * CELL.padY;
  const captionHeight = (text: string) => measure(pen, text, CONTENT_WIDTH, CAPTION) + 1.5 * MM;

  const drawHeader = (y: number) => {
    doc.save().rect(MARGIN.x, y, CONTENT_WIDTH, headHeight).fill('#e4e4e4').restore();
    let x = MARGIN.x;
    for (const c of columns) {
      write(pen, c.header, x + CELL.padX, y + CELL.padY, c.width - 2 * CELL.padX, { size: CELL.headSize, align: c.align ?? 'left' });
      x += c.width;
    }
    doc.save().lineWidth(0.8).strokeColor('#000').moveTo(MARGIN.x, y).lineTo(MARGIN.x + CONTENT_WIDTH, y).moveTo(MARGIN.x, y + headHeight).lineTo(MARGIN.x + CONTENT_WIDTH, y + headHeight).stroke().restore();
  };
  const captionBlock = (text: string): Block => ({ height: captionHeight(text), draw: (y) => write(pen, text, MARGIN.x, y, CONTENT_WIDTH, CAPTION) });

  const first = captionBlock(caption);
  if (rows.length === 0) {
    const none = options.empty ?? '（无）';
    const h = measure(pen, none, CONTENT_WIDTH, { size: CELL.size }) + 2 * CELL.padY;
    flow.block(first.height, first.draw, h);
    flow.block(h, (y) => write(pen, none, MARGIN.x + CELL.padX, y + CELL.padY, CONTENT_WIDTH, { size: CELL.size, color: '#333' }));
    return;
  }
  const heights = rows.map((row) => Math.max(...columns.map((c) => cellHeight(pen, c, row))) + 2 * CELL.padY);
  flow.block(first.height, first.draw, headHeight + heights[0]!);
  flow.block(headHeight, drawHeader, heights[0]!);
  const continued = captionBlock(`${caption}（续）`);
  flow.repeating({ height: continued.height + headHeight, draw: (y) => (continued.draw(y), drawHeader(y + continued.height)) }, () => {
    rows.forEach((row, i) => {
      const height = heights[i]!;
      flow.block(height, (y) => {
        let x = MARGIN.x;
        for (const c of columns) {
          const width = c.width - 2 * CELL.padX;
          const text = c.text(row);
          write(pen, text, x + CELL.padX, y + CELL.padY, width, { size: CELL.size, align: c.align ?? 'left' });
          const sub = c.sub?.(row);
          if (sub) write(pen, sub, x + CELL.padX, y + CELL.padY + measure(pen, text || ' ', width, { size: CELL.size }) + 0.2 * MM, width, { size: CELL.subSize, color: '#333' });
          x += c.width;
        }
        doc.save().lineWidth(0.3).strokeColor('#777').moveTo(MARGIN.x, y + height).lineTo(MARGIN.x + CONTENT_WIDTH, y + height).stroke().restore();
      });
    });
  });
}
