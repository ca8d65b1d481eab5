import { resolve } from 'node:path';

/** Where test workers write down the operations they exercised and any contract problem. */
export const CONTRACT_DIR = resolve(import.meta.dirname, '../../test-results/contract');
