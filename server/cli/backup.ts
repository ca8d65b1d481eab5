import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { formatAuditHead, GENESIS_HASH } from '../../shared/audit';
import { readEnv } from '../env';

/**
 * `npm run backup -- FILE`: a consistent copy of DB_FILE while the server runs.
 *
 * `VACUUM INTO` reads one snapshot (a read transaction: the server keeps writing) and writes a
 * fresh, compact file, table by table in key order. So the copy meets the storage-layout rule
 * of SECURITY.md for every sitting, open ones included: ballots land in the order of their
 * random ids, never of their arrival, and no free page or WAL frame of the original comes along.
 * The copy is written beside FILE, flushed to disk, then renamed into place, so a half-written
 * backup never carries the name.
 */
const target = process.argv[2];
if (!target || target.startsWith('-')) {
  console.error('用法 / usage: npm run backup -- FILE');
  process.exit(2);
}
const { dbFile } = readEnv();
const out = resolve(target);
if (!existsSync(dbFile)) {
  console.error(`备份失败：数据库文件不存在 / backup failed: no database file at ${dbFile}`);
  process.exit(2);
}
if (existsSync(out)) {
  console.error(`备份失败：目标文件已存在 / backup failed: ${out} already exists`);
  process.exit(2);
}

const partial = join(dirname(out), `.${basename(out)}.partial`);
rmSync(partial, { force: true });
const source = new Database(dbFile, { readonly: true, fileMustExist: true });
try {
  source.pragma('busy_timeout = 5000');
  source.prepare('VACUUM INTO ?').run(partial);
} catch (err) {
  rmSync(partial, { force: true });
  console.error(`备份失败 / backup failed: ${(err as Error).message}`);
  process.exit(1);
} finally {
  source.close();
}

const copy = new Database(partial, { fileMustExist: true });
const check = copy.pragma('quick_check', { simple: true });
const ballots = (copy.prepare('SELECT count(*) AS n FROM ballots').get() as { n: number }).n;
const head = copy.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
copy.close();
if (check !== 'ok') {
  rmSync(partial, { force: true });
  console.error(`备份失败：副本校验未通过 / backup failed: the copy does not check out (${String(check)})`);
  process.exit(1);
}
const fd = openSync(partial, 'r');
fsyncSync(fd);
closeSync(fd);
renameSync(partial, out);
console.log(`备份完成 / backup written: ${out} (${ballots} 张选票 ballots, 审计链头 audit head ${formatAuditHead(head ?? { seq: 0, hash: GENESIS_HASH })})`);
