import { Fragment } from 'preact';
import { pickable } from './pick';

/** One row of a group: a grade, this year's count (filled) and last year's (outlined). */
export interface BarSeries {
  key: string;
  label: string;
  colour: string;
  current: number;
  previous?: number;
}

export interface BarGroup {
  id: string;
  title: string;
  rows: readonly BarSeries[];
}

const W = 320;
const ROW = 30;
const LABEL = 70;
const NUM = 40;
const TOP = 4;
/** Counts as the console's tables print them (1,388). */
const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Grades of one category as horizontal bars, this year filled above last year outlined, each
 * with its count written at its end. `describe` words a row's text alternative (with its
 * numbers); a row is a button when `onPick` is given.
 */
export function GroupedBars({ group, describe, onPick, picked, testId }: {
  group: BarGroup;
  describe: (row: BarSeries) => string;
  onPick?: (rowKey: string) => void;
  picked?: string | null;
  testId?: string;
}) {
  const hasPrevious = group.rows.some((r) => r.previous !== undefined);
  const max = Math.max(1, ...group.rows.flatMap((r) => [r.current, r.previous ?? 0]));
  const width = (n: number) => (n === 0 ? 0 : Math.max(2, (n / max) * (W - LABEL - NUM)));
  const h = TOP + group.rows.length * ROW;
  const bar = hasPrevious ? 11 : 18;
  return (
    <svg class="chart grouped-bars" viewBox={`0 0 ${W} ${h}`} role={onPick ? 'group' : 'img'} aria-label={`${group.title}: ${group.rows.map(describe).join('; ')}`} data-testid={testId}>
      {group.rows.map((r, i) => {
        const top = TOP + i * ROW;
        // Bars inside the button, words beside it: a button's visible text must be part of its name (axe), and the name is the sentence with both years.
        const bars = (
          <>
            <rect class="hit" x={0} y={top} width={W} height={ROW - 2} />
            {r.current > 0 && <rect x={LABEL} y={top + 4} width={width(r.current)} height={bar} fill={r.colour} />}
            {r.previous !== undefined && r.previous > 0 && <rect x={LABEL + 1} y={top + 5 + bar + 2} width={Math.max(1, width(r.previous) - 2)} height={bar - 2} fill="#fff" stroke={r.colour} stroke-width={2} />}
          </>
        );
        const words = (
          <g class="words" aria-hidden="true">
            <text class="row-label" x={LABEL - 8} y={top + ROW / 2 + 4} text-anchor="end">
              {r.label}
            </text>
            <text class="count" x={LABEL + width(r.current) + 4} y={top + 4 + bar - 2}>
              {fmt(r.current)}
            </text>
            {r.previous !== undefined && (
              <text class="count previous" x={LABEL + width(r.previous) + 4} y={top + 4 + 2 * bar}>
                {fmt(r.previous)}
              </text>
            )}
          </g>
        );
        return onPick ? (
          <Fragment key={r.key}>
            <g {...pickable(describe(r), picked === r.key, () => onPick(r.key))} data-testid="grade-bar" data-key={r.key} data-count={r.current}>
              {bars}
            </g>
            {words}
          </Fragment>
        ) : (
          <g key={r.key} aria-hidden="true" data-key={r.key} data-count={r.current}>
            {bars}
            {words}
          </g>
        );
      })}
    </svg>
  );
}
