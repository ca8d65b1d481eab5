import { resolve } from 'node:path';

/** The built client: dist/client, or CEPING_BUILD_DIR when the build went there (see vite.config.ts). */
export const BUILT_CLIENT = process.env.CEPING_BUILD_DIR ? resolve(process.env.CEPING_BUILD_DIR) : resolve(import.meta.dirname, '../../dist/client');
