import { GRADE_LABELS, type Grade } from '../../../shared/grading';
import { GRADE_RANK, rankPrint, type PrintSwatch } from '../../../shared/rating-scale';
import { MM } from '../slips/pdf-kit';
import { write, type Pen } from './report-flow';

/**
 * The report's grouped bar chart (grades of one category, last year beside this year), drawn
 * with pdfkit's vector operations so it prints sharp at any size. It must read on a
 * black-and-white printer: this year's bars take the shared print scale (shared/rating-scale.ts:
 * grey and pattern by the grade's rank), last year's are empty with a dashed outline, so the two
 * years never depend on telling two greys apart; and every bar carries its number.
 */

export interface GradeBar {
  grade: Grade;
  current: number;
  /** Absent when there is no published result for last year. */
  previous?: number;
}

export interface ChartLabels {
  /** Names the category, its size and unit (个 / 人). */
  title: string;
  current: string;
  previous: string;
}

/** Round axis steps (1, 2, 5 × 10^n) giving at most `ticks` intervals up to `max`. */
function axisStep(max: number, ticks: number): number {
  const raw = Math.max(1, max) / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
}

/** The swatch's black pattern over its grey, clipped to the bar. */
function pattern(doc: PDFKit.PDFDocument, swatch: PrintSwatch, x: number, y: number, w: number, h: number): void {
  if (swatch.pattern === 'solid') return;
  doc.save().rect(x, y, w, h).clip().fillColor('#000').strokeColor('#000').lineWidth(0.5);
  if (swatch.pattern === 'dots') {
    for (let row = 0, cy = y + h - 1.5; cy > y; cy -= 2.6, row++) for (let cx = x + 1.2 + (row % 2) * 1.3; cx < x + w; cx += 2.6) doc.circle(cx, cy, 0.45);
    doc.fill();
  } else {
    for (let d = -h; d < w; d += 2.6) doc.moveTo(x + d, y + h).lineTo(x + d + h, y);
    if (swatch.pattern === 'crosshatch') for (let d = 0; d < w + h; d += 2.6) doc.moveTo(x + d, y + h).lineTo(x + d - h, y);
    doc.stroke();
  }
  doc.restore();
}

/** This year's bar in its grade's print swatch; last year's (`swatch` null) empty, dashed. A zero is a line on the axis. */
function bar(doc: PDFKit.PDFDocument, x: number, base: number, w: number, h: number, swatch: PrintSwatch | null): void {
  if (h <= 0) {
    doc.save().lineWidth(1.2).strokeColor('#000').moveTo(x, base).lineTo(x + w, base).stroke().restore();
    return;
  }
  if (swatch) {
    doc.save().rect(x, base - h, w, h).fill(swatch.fill).restore();
    pattern(doc, swatch, x, base - h, w, h);
    doc.save().lineWidth(0.6).strokeColor('#000').rect(x, base - h, w, h).stroke().restore();
  } else {
    doc.save().lineWidth(0.8).strokeColor('#000').dash(2, { space: 1.3 }).rect(x, base - h, w, h).stroke().undash().restore();
  }
}

const swatchOf = (grade: Grade): PrintSwatch => rankPrint(GRADE_RANK[grade]);

/** The legend, right-aligned on the title line: last year's dashed box, then this year's swatches, grade by grade. */
function legend(pen: Pen, right: number, y: number, labels: ChartLabels, grades: readonly Grade[], withPrevious: boolean): void {
  const { doc } = pen;
  const box = 3.2 * MM;
  const label = (text: string, x: number) => {
    const width = doc.font(pen.textFont).fontSize(7.5).widthOfString(pen.t(text));
    write(pen, text, x - width, y, width + 2, { size: 7.5 });
    return x - width - 1.2 * MM;
  };
  let x = label(labels.current, right);
  for (const grade of [...grades].reverse()) {
    x -= box;
    bar(doc, x, y + box, box, box, swatchOf(grade));
    x -= 0.5 * MM;
  }
  if (!withPrevious) return;
  x = label(labels.previous, x - 4 * MM);
  bar(doc, x - box, y + box, box, box, null);
}

/**
 * Draws the chart in the box (x, y, width, height): title and legend on top, the bars of each
 * grade side by side over a ruled count axis, the grade names below.
 */
export function gradeChart(pen: Pen, box: { x: number; y: number; width: number; height: number }, bars: readonly GradeBar[], labels: ChartLabels): void {
  const { doc } = pen;
  const withPrevious = bars.some((b) => b.previous !== undefined);
  write(pen, labels.title, box.x, box.y, box.width * 0.55, { size: 9 });
  legend(pen, box.x + box.width, box.y + 0.5, labels, bars.map((b) => b.grade), withPrevious);

  const axisWidth = 11 * MM;
  const plot = { x: box.x + axisWidth, y: box.y + 9 * MM, width: box.width - axisWidth, height: box.height - 9 * MM - 6.5 * MM };
  const base = plot.y + plot.height;
  const max = Math.max(1, ...bars.flatMap((b) => [b.current, b.previous ?? 0]));
  const step = axisStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const scale = (n: number) => (n / top) * plot.height;

  // Count axis: light dashed rules at round steps, labelled at the left.
  for (let v = 0; v <= top; v += step) {
    const y = base - scale(v);
    doc.save().lineWidth(0.3).strokeColor('#999');
    if (v > 0) doc.dash(1.5, { space: 1.5 });
    doc.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).stroke().undash().restore();
    write(pen, String(v), box.x, y - 3, axisWidth - 1.5 * MM, { size: 6.5, align: 'right', color: '#333' });
  }

  const slot = plot.width / bars.length;
  const barWidth = Math.min(9 * MM, slot / (withPrevious ? 2.8 : 1.8));
  bars.forEach((b, i) => {
    const pair: [number | undefined, PrintSwatch | null][] = withPrevious ? [[b.previous, null], [b.current, swatchOf(b.grade)]] : [[b.current, swatchOf(b.grade)]];
    const start = plot.x + i * slot + (slot - barWidth * pair.length - (pair.length - 1) * 0.8 * MM) / 2;
    pair.forEach(([value, swatch], k) => {
      const x = start + k * (barWidth + 0.8 * MM);
      const n = value ?? 0;
      bar(doc, x, base, barWidth, scale(n), swatch);
      // The number above its bar: the chart reads without a colour or a grey to tell apart.
      write(pen, value === undefined ? '—' : String(n), x - 3 * MM, base - scale(n) - 10.5, barWidth + 6 * MM, { size: 7, align: 'center' });
    });
    write(pen, GRADE_LABELS[b.grade].zh, plot.x + i * slot, base + 1.5 * MM, slot, { size: 8, align: 'center' });
  });
  doc.save().lineWidth(0.8).strokeColor('#000').moveTo(plot.x, base).lineTo(plot.x + plot.width, base).stroke().restore();
}
