import type { ExtractSchema } from 'hono/types';
import type { ApiType } from './app';

declare function writtenOut<T>(): { [K in keyof T]: T[K] };

/**
 * Only its emitted type matters (`npm run api-types`, server/tsconfig.api.json): the schema of
 * the /api routes written out in full, referring to shared/ and hono only. The client builds
 * its `hc` type from it and so never compiles server sources, nor sees Node.
 */
export const apiSchema = writtenOut<ExtractSchema<ApiType>>();
