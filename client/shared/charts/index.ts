/**
 * The console's charts (issue 13): hand-written SVG in Preact, no charting library.
 *
 * Why not uPlot or Chart.js: both draw on a <canvas> (nothing for a screen reader, nothing for
 * axe to check, every number needing a parallel text alternative anyway) and both set element
 * styles at run time, which a strict CSP (style-src 'self') is meant to forbid. Our charts are
 * three shapes (a stacked bar, a histogram with marker lines, grouped bars): a few hundred
 * lines of SVG whose geometry is attributes and whose colours are CSS classes and fill
 * attributes from the shared scale (shared/rating-scale.ts). Measured from the build, the
 * chunk is ~2.3 KB gzip (1.7 KB script, 0.5 KB CSS) against uPlot's ~23 KB and Chart.js's
 * several times more, and it renders to the same DOM the tests and axe read. Every bar
 * carries its numbers in an aria-label, and each chart says what it shows in its own.
 *
 * Loaded only by the pages that draw charts, through a dynamic import (client/admin/lazy-charts.ts):
 * the console's first page and the voter page carry none of it.
 */
export { RatingBar, type RatingSegment } from './rating-bar';
export { Histogram, type HistogramBin, type Marker } from './histogram';
export { GroupedBars, type BarGroup, type BarSeries } from './grouped-bars';
export { ChartLegend, type LegendItem } from './legend';
import './charts.css';
