/** A chart's key: a swatch per series, filled or outlined as the chart draws it. */
export interface LegendItem {
  key: string;
  label: string;
  colour: string;
  /** Drawn as an outline (the previous year beside this year's filled bar). */
  outline?: boolean;
}

export function ChartLegend({ items, testId }: { items: readonly LegendItem[]; testId?: string }) {
  return (
    <ul class="chart-legend" data-testid={testId}>
      {items.map((it) => (
        <li key={it.key}>
          <svg class="swatch" viewBox="0 0 12 12" aria-hidden="true">
            <rect x={1} y={1} width={10} height={10} fill={it.outline ? '#fff' : it.colour} stroke={it.colour} stroke-width={it.outline ? 2 : 0} />
          </svg>
          {it.label}
        </li>
      ))}
    </ul>
  );
}
