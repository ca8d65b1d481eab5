import { Fragment } from 'preact';
import { pickable } from './pick';

/** A bin [from, to) of composite scores (the last bin includes its upper edge). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
  /** The bin's text alternative, with its range and count. */
  label: string;
}

/** A vertical line: a band edge (dashed) or the quota line (solid, in the danger colour). */
export interface Marker {
  at: number;
  label: string;
  kind: 'band' | 'quota';
}

const W = 640;
const H = 220;
// No y axis: every bar has its count written on top.
const PAD = { left: 12, right: 12, top: 30, bottom: 28 };

/**
 * The distribution of composite scores in one pool: a bar per bin, the band edges and the
 * quota line over it. A bar is a button when `onPick` is given (it filters the list below).
 */
export function Histogram({ bins, markers, domain, label, onPick, picked, testId }: {
  bins: readonly HistogramBin[];
  markers: readonly Marker[];
  domain: readonly [number, number];
  label: string;
  onPick?: (bin: number) => void;
  picked?: number | null;
  testId?: string;
}) {
  const [lo, hi] = domain;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const x = (v: number) => PAD.left + ((v - lo) / (hi - lo)) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / max) * (H - PAD.top - PAD.bottom);
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / 10) * 10; v <= hi; v += 10) ticks.push(v);
  return (
    <svg class="chart histogram" viewBox={`0 0 ${W} ${H}`} role="group" aria-label={label} data-testid={testId}>
      <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
      {ticks.map((v) => (
        <text key={v} class="tick" x={x(v)} y={H - PAD.bottom + 16} text-anchor="middle" aria-hidden="true">
          {v}
        </text>
      ))}
      {bins.map((b, i) => {
        // The count is written beside the button, not in it: a button's visible text must be part of its name (axe).
        const bar = (
          <>
            {/* A full-height hit area, so a bin of one is as easy to click as a bin of a hundred. */}
            <rect class="hit" x={x(b.from)} y={PAD.top} width={x(b.to) - x(b.from)} height={H - PAD.top - PAD.bottom} />
            {b.count > 0 && <rect class="bar" x={x(b.from) + 1} y={y(b.count)} width={Math.max(1, x(b.to) - x(b.from) - 2)} height={H - PAD.bottom - y(b.count)} />}
          </>
        );
        const count = b.count > 0 && (
          <text class="count words" x={(x(b.from) + x(b.to)) / 2} y={y(b.count) - 3} text-anchor="middle" aria-hidden="true">
            {b.count}
          </text>
        );
        return onPick ? (
          <Fragment key={i}>
            <g {...pickable(b.label, picked === i, () => onPick(i))} data-testid="histogram-bin" data-count={b.count}>
              {bar}
            </g>
            {count}
          </Fragment>
        ) : (
          <g key={i} role="img" aria-label={b.label} data-count={b.count}>
            {bar}
            {count}
          </g>
        );
      })}
      {markers.filter((m) => m.at >= lo && m.at <= hi).map((m) => (
        <g key={`${m.kind}-${m.at}`} class={`marker ${m.kind}`} aria-hidden="true">
          <line x1={x(m.at)} x2={x(m.at)} y1={m.kind === 'quota' ? PAD.top - 12 : PAD.top - 2} y2={H - PAD.bottom} />
          {/* Near the right edge a label runs leftwards, so it stays inside the chart. */}
          <text x={x(m.at) > W - 150 ? x(m.at) - 3 : x(m.at) + 3} y={m.kind === 'quota' ? PAD.top - 16 : PAD.top - 6} text-anchor={x(m.at) > W - 150 ? 'end' : 'start'}>
            {m.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
