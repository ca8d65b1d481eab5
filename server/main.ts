import { serve } from '@hono/node-server';
import { createApp } from './app';
import { openDb } from './db/open';
import { createAccessLog } from './http/access-log';
import { readEnv } from './env';
import { bootstrap } from './services/bootstrap';

const env = readEnv();
const db = openDb(env.dbFile);
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
    db.$client.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
