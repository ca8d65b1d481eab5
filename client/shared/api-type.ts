import type { Hono } from 'hono';
import type { apiSchema } from '../../dist/api-types/server/api-type';

/**
 * The server's /api routes as the clients' `hc` sees them. The schema comes from a declaration
 * the server emits (npm run api-types): written out in full, it refers to hono only, so no
 * client code compiles server sources or sees Node's types.
 */
export type ApiType = Hono<{}, typeof apiSchema, '/'>;
