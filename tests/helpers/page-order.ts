import { spearman } from './stats';

/** A row's place in a heap or a file (`page`, and `at`: its order there) and when it arrived. */
export interface Placed {
  page: number;
  at: number;
  arrival: number;
}

/** Order against arrival, across the whole heap or file and within each page. */
export interface OrderRho {
  across: number;
  /** Mean rho within the pages holding at least 10 of the rows, weighted by their rows. */
  within: number;
}

/**
 * Spearman's rho of position against arrival, across and within pages. Within matters for the
 * spent tokens: a spend's new row version stays on the slip's page when it fits (a HOT update),
 * and the page was chosen at issue, so across pages their order is blurred; within a page each
 * new version takes the next line pointer and the next free bytes down, in spend order.
 */
export function orderRho(placed: Placed[]): OrderRho {
  const across = spearman(
    placed.map((p) => p.at),
    placed.map((p) => p.arrival),
  );
  const pages = new Map<number, Placed[]>();
  for (const p of placed) pages.set(p.page, [...(pages.get(p.page) ?? []), p]);
  let weighted = 0;
  let rows = 0;
  for (const onPage of pages.values()) {
    if (onPage.length < 10) continue;
    weighted += onPage.length * spearman(onPage.map((p) => p.at), onPage.map((p) => p.arrival));
    rows += onPage.length;
  }
  return { across, within: rows === 0 ? 0 : weighted / rows };
}

