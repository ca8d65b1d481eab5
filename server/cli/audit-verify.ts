import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync } from 'node:fs';
import { parseAuditHead, type PublishedHead } from '../../shared/audit';
import { openDatabase } from '../db/connect';
import type { SqliteFile } from '../db/open';
import * as schema from '../db/schema';
import { sqliteDb } from '../db/sqlite-engine';
import { auditLog } from '../db/tables';
import { count as countRows } from 'drizzle-orm';
import { readEnv } from '../env';
import { publishedAuditHead, verifyAuditChain } from '../services/audit/audit';

/**
 * `npm run audit:verify [-- --head H]`: walks the hash-chained audit log of DB_FILE and exits
 * non-zero, naming the first broken entry, when any link fails. With `--head H` (a head printed
 * earlier on a close reconciliation, the receipt board, published results or an export, as
 * `#<seq>:<hash>` or a bare hash) it also fails when the chain no longer contains that entry:
 * the only way to catch a rewrite that recomputed every later hash. Opens the file read-only and
 * runs no migration: verifying must not change what it verifies.
 */

/** Exit 2 for a wrong invocation or a missing file, 1 for a broken chain, as before. */
function fail(code: 1 | 2, message: string): never {
  console.error(message);
  process.exit(code);
}

/**
 * The `--head H` (or `--head=H`) argument, parsed; undefined when none is given. Anything else
 * is refused: a mistyped option must not pass as a plain check that skipped the head.
 */
function headArgument(argv: string[]): PublishedHead | undefined {
  const at = argv.findIndex((a) => a === '--head' || a.startsWith('--head='));
  const inline = at !== -1 && argv[at]!.startsWith('--head=');
  const extra = argv.filter((_, i) => at === -1 || (i !== at && (inline || i !== at + 1)));
  if (extra.length > 0) fail(2, `未知参数 ${extra.join(' ')}，用法：npm run audit:verify -- [--head #序号:哈希] / unknown argument ${extra.join(' ')}; usage: npm run audit:verify -- [--head #<seq>:<hash>]`);
  if (at === -1) return undefined;
  const text = inline ? argv[at]!.slice('--head='.length) : argv[at + 1];
  const head = text === undefined ? null : parseAuditHead(text);
  if (!head) {
    fail(2, `审计链头格式有误：应为 #序号:64位十六进制哈希（或仅哈希），收到 ${JSON.stringify(text ?? '')} / malformed --head: expected #<seq>:<64 hex digits> (or the hash alone), got ${JSON.stringify(text ?? '')}`);
  }
  return head;
}

const head = headArgument(process.argv.slice(2));
const { dbFile, databaseUrl } = readEnv();
if (!databaseUrl && !existsSync(dbFile)) fail(2, `审计日志校验失败：数据库文件不存在 / audit verification failed: no database file at ${dbFile}`);
// The SQLite file read-only, unmigrated; a PostgreSQL database as the server opens it.
const db = databaseUrl ? await openDatabase({ databaseUrl }) : sqliteDb(drizzle(new Database(dbFile, { readonly: true, fileMustExist: true }), { schema }) as SqliteFile);
const [count] = await db.select({ n: countRows() }).from(auditLog);
const broken = await verifyAuditChain(db, head ? { head } : {});
const current = await publishedAuditHead(db);
await db.$engine.close();
if (broken?.missingHead) {
  fail(1, `审计日志与已公布的链头 ${broken.missingHead} 不符：该条目已不在链中，日志可能被删改后重算（当前链头 ${current}） / audit log does not lead to the published head ${broken.missingHead}: that entry is no longer in the chain (current head ${current})`);
}
if (broken) fail(1, `审计日志第 ${broken.seq} 条被篡改或缺失 / audit log entry ${broken.seq} is broken: ${broken.problem}`);
console.log(`审计日志完整：${count!.n} 条，哈希链无断裂${head ? '，包含已公布的链头' : ''} / audit log intact: ${count!.n} entries, every link holds${head ? ', the published head is in the chain' : ''}`);
console.log(`审计链头 / audit head: ${current}`);
