/** One subject's ratings as a thin stacked bar, best rating on the left. */
export interface RatingSegment {
  key: string;
  label: string;
  count: number;
  colour: string;
}

/** Gap between segments, in viewBox units (of 100): about a pixel on the console's ~140 px bar. */
const GAP = 0.8;

/**
 * Nothing is drawn when no rating was counted: an empty bar would still say "there is a group
 * here", which the small-group rule forbids for a group below k. `label` is the text
 * alternative and must carry the numbers (the caller words it in the console's language).
 */
export function RatingBar({ segments, label, testId }: { segments: readonly RatingSegment[]; label: string; testId?: string }) {
  const total = segments.reduce((n, s) => n + s.count, 0);
  if (total === 0) return null;
  const drawn = segments.filter((s) => s.count > 0);
  let x = 0;
  return (
    <svg class="rating-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label} data-testid={testId}>
      {drawn.map((s, i) => {
        const width = (s.count / total) * 100;
        const rect = (
          <rect key={s.key} x={x} y={0} width={Math.max(0.4, width - (i < drawn.length - 1 ? GAP : 0))} height={10} fill={s.colour} data-key={s.key} data-count={s.count}>
            <title>{`${s.label} ${s.count}`}</title>
          </rect>
        );
        x += width;
        return rect;
      })}
    </svg>
  );
}
