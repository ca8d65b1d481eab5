import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openDatabase } from './db/connect';
import { createAccessLog } from './http/access-log';
import { readEnv } from './env';
import { bootstrap } from './services/bootstrap';

const env = readEnv();
const db = await openDatabase({ databaseUrl: env.databaseUrl, dbFile: env.dbFile });
console.log(
  env.databaseUrl
    ? `数据库 / database: PostgreSQL ${databaseLabel(env.databaseUrl)}`
    : `数据库 / database: SQLite ${env.dbFile}`,
);
const boot = await bootstrap(db, { adminPassword: env.adminPassword, loadDemo: env.loadDemo });
if (boot.generatedAdminPassword) {
  console.log(`管理员账号 admin 的初始密码（仅显示一次）/ Initial password of account "admin" (shown once): ${boot.generatedAdminPassword}`);
}
if (boot.demo) console.log(`已载入演示考核 / Demo assessment loaded (assessment ${boot.demo.assessmentId}, sitting ${boot.demo.sittingId}).`);

const app = createApp({ db, log: createAccessLog(), clientDir: env.clientDir, publicOrigin: env.publicOrigin, sharedDatabase: env.sharedDatabase });
const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
  console.log(`ceping 正在运行 / listening on http://localhost:${info.port}  (admin: http://localhost:${info.port}/admin)`);
});

function shutdown(): void {
  server.close(() => {
    void db.$engine.close().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

/** Host and database of a DATABASE_URL, never its password. */
function databaseLabel(url: string): string {
  if (url.startsWith('pglite:')) return `(PGlite ${url.slice('pglite:'.length) || 'in memory'})`;
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
}
