import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync } from 'node:fs';
import type { Db } from '../db/open';
import * as schema from '../db/schema';
import { readEnv } from '../env';
import { verifyAuditChain } from '../services/audit';

/**
 * `npm run audit:verify`: walks the hash-chained audit log of DB_FILE and exits non-zero,
 * naming the first broken entry, when any link fails. Opens the file read-only and runs no
 * migration: verifying must not change what it verifies.
 */
const { dbFile } = readEnv();
if (!existsSync(dbFile)) {
  console.error(`审计日志校验失败：数据库文件不存在 / audit verification failed: no database file at ${dbFile}`);
  process.exit(2);
}
const sqlite = new Database(dbFile, { readonly: true, fileMustExist: true });
const db = drizzle(sqlite, { schema }) as unknown as Db;
const count = sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
const broken = verifyAuditChain(db);
sqlite.close();
if (broken) {
  console.error(`审计日志第 ${broken.seq} 条被篡改或缺失 / audit log entry ${broken.seq} is broken: ${broken.problem}`);
  process.exit(1);
}
console.log(`审计日志完整：${count.n} 条，哈希链无断裂 / audit log intact: ${count.n} entries, every link holds`);
