import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations (issue 14), beside the SQLite ones of drizzle.config.ts: `npm run db:generate:pg`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema-pg.ts',
  out: './server/db/migrations-pg',
});
