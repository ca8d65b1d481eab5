import type { Subject } from './types';

/**
 * §3 Compare like with like [seed]: teams of one type; principals of teams of one type (one
 * platform); deputies only against the other deputies of their own team.
 */
export function poolIdOf(subject: Subject): string {
  if (subject.kind === 'team') return `team:${subject.type}`;
  if (subject.role === 'deputy') return `deputy:${subject.teamKey ?? subject.key}`;
  return `principal:${subject.type}`;
}

/** Subjects by pool id, in input order. */
export function groupByPool<T extends { poolId: string }>(items: readonly T[]): Map<string, T[]> {
  const pools = new Map<string, T[]>();
  for (const item of items) {
    const pool = pools.get(item.poolId);
    if (pool === undefined) pools.set(item.poolId, [item]);
    else pool.push(item);
  }
  return pools;
}
