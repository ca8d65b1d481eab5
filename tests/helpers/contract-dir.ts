import { resolve } from 'node:path';

/**
 * Where test workers write down the operations they exercised and any contract problem: one
 * folder per run (contract-global.ts names it), so runs at the same time keep apart.
 */
export function contractDir(): string {
  return process.env.CEPING_CONTRACT_DIR ?? resolve(import.meta.dirname, '../../test-results/contract', `run-${process.ppid}`);
}
