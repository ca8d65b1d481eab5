import { useEffect, useState } from 'preact/hooks';

/**
 * The chart module (client/shared/charts), fetched the first time a page that draws charts
 * asks for it: the console's other pages and its first paint never download it. Until it
 * arrives the page shows its tables, which carry the same numbers.
 */
export type Charts = typeof import('../shared/charts');

let loading: Promise<Charts> | undefined;
let loaded: Charts | undefined;

export function useCharts(): Charts | undefined {
  const [charts, setCharts] = useState<Charts | undefined>(loaded);
  useEffect(() => {
    if (loaded) return;
    let live = true;
    loading ??= import('../shared/charts').then((m) => (loaded = m));
    loading.then((m) => live && setCharts(m), () => (loading = undefined));
    return () => {
      live = false;
    };
  }, []);
  return charts;
}
