import { randomInt } from 'node:crypto';
import { randomId } from '../services/crypto';

/**
 * Where a closed sitting's ballots lie in PostgreSQL's files must not follow their arrival
 * (SECURITY.md, On PostgreSQL). A heap appends rows in insert order, and spending a token writes
 * a new row version at the end (or wherever there is room), in spend order. So `ballots`,
 * `receipts` and `tokens` have one partition per sitting (migrations-pg/0001_layout.sql), and
 * closing a sitting truncates its three partitions and writes their rows again in a random order.
 *
 * TRUNCATE gives each partition (its TOAST table and indexes too) a new, empty file; at commit
 * the old files are truncated to zero bytes and unlinked, and their buffers dropped unwritten.
 * A DELETE would leave the dead row versions, arrival order and all, until VACUUM, and VACUUM
 * does not zero what it frees. Swapping in a new partition would do the same as TRUNCATE, but
 * detaching or dropping a partition locks the whole parent table, which would stall every other
 * sitting's voters until the close commits; TRUNCATE locks only this sitting's partitions.
 *
 * Everything here takes the minimal query interface that both node-postgres (a Client or a
 * PoolClient, not a Pool: a Pool's queries may each land on another connection) and PGlite satisfy.
 */
export interface PgQuery {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A ballot as the close rewrote it, answers as stored (stored-answers.ts decodes them with the forms). */
export interface StoredBallot {
  voterGroup: string;
  dryRun: boolean;
  answers: string;
}

type Table = 'ballots' | 'receipts' | 'tokens';

/** The partition of a sitting, named as create_sitting_storage() in the migration names it. */
export function partitionOf(table: Table, sittingId: number): string {
  // Interpolated into SQL (identifiers cannot be parameters): only a positive integer may pass.
  if (!Number.isSafeInteger(sittingId) || sittingId <= 0) throw new Error(`not a sitting id: ${sittingId}`);
  return `"${table}_sitting_${sittingId}"`;
}

/**
 * Creates a sitting's partitions if they do not exist. The migration's trigger on `sittings`
 * already does this for every sitting inserted; call it only for a sitting whose row came in
 * with triggers off (a restore with --disable-triggers). Without its partitions a sitting's
 * ballots cannot be stored at all: there is deliberately no default partition.
 */
export async function createSittingStorage(q: PgQuery, sittingId: number): Promise<void> {
  partitionOf('ballots', sittingId); // the same check as every other entry point
  await q.query('SELECT create_sitting_storage($1)', [sittingId]);
}

/**
 * The sitting of a token, by its hash alone: one probe of token_sittings' primary key. A voter's
 * submit knows only its token; with the sitting known, every further query on `tokens` names
 * `sitting_id` and so reaches one partition (a lookup by hash alone would probe every sitting's).
 */
export async function tokenSitting(q: PgQuery, tokenHash: string): Promise<number | null> {
  const rows = await select<{ sitting_id: number }>(q, 'SELECT sitting_id FROM token_sittings WHERE token_hash = $1', [tokenHash]);
  return rows[0]?.sitting_id ?? null;
}

/**
 * Rewrites a sitting's ballots (under fresh random ids), receipts and tokens in a fresh random
 * order. Call it inside the closing transaction, after the status is set to closed: nothing of
 * the sitting may be read back in arrival order once the close commits. Returns the ballots, in
 * their new order (never arrival), for the close to tally without reading them again.
 */
export async function rewriteSittingLayout(q: PgQuery, sittingId: number): Promise<StoredBallot[]> {
  await requireClosingTransaction(q);
  const ballots = partitionOf('ballots', sittingId);
  const receipts = partitionOf('receipts', sittingId);
  const tokens = partitionOf('tokens', sittingId);
  // A ballot committed between the reads and the TRUNCATE would be lost: nothing may write in between.
  await q.query(`LOCK TABLE ${ballots}, ${receipts}, ${tokens} IN ACCESS EXCLUSIVE MODE`);

  const stored = shuffled(await select<{ voter_group: string; dry_run: boolean; answers: string }>(q, `SELECT voter_group, dry_run, answers FROM ${ballots}`));
  const board = shuffled(await select<{ receipt: string; dry_run: boolean }>(q, `SELECT receipt, dry_run FROM ${receipts}`));
  const slips = shuffled(
    await select<{ token_hash: string; voter_group: string; batch_id: number; dry_run: boolean; spent: boolean; dedupe_hash: string | null }>(
      q,
      `SELECT token_hash, voter_group, batch_id, dry_run, spent, dedupe_hash FROM ${tokens}`,
    ),
  );
  await q.query(`TRUNCATE ${ballots}, ${receipts}, ${tokens}`);

  // One statement per table, rows in the array's order (WITH ORDINALITY ... ORDER BY n). Into the
  // partitions by name: the statement triggers on `tokens` that keep token_sittings do not fire,
  // so the rewritten tokens keep their lookup rows (migration 0001).
  await q.query(
    `INSERT INTO ${ballots} (sitting_id, id, voter_group, dry_run, answers)
     SELECT $1, id, voter_group, dry_run, answers
       FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[]) WITH ORDINALITY AS r(id, voter_group, dry_run, answers, n) ORDER BY n`,
    [sittingId, stored.map(() => randomId()), stored.map((b) => b.voter_group), stored.map((b) => b.dry_run), stored.map((b) => b.answers)],
  );
  await q.query(
    `INSERT INTO ${receipts} (sitting_id, receipt, dry_run)
     SELECT $1, receipt, dry_run FROM unnest($2::text[], $3::boolean[]) WITH ORDINALITY AS r(receipt, dry_run, n) ORDER BY n`,
    [sittingId, board.map((r) => r.receipt), board.map((r) => r.dry_run)],
  );
  await q.query(
    `INSERT INTO ${tokens} (token_hash, sitting_id, voter_group, batch_id, dry_run, spent, dedupe_hash)
     SELECT token_hash, $1, voter_group, batch_id, dry_run, spent, dedupe_hash
       FROM unnest($2::text[], $3::text[], $4::integer[], $5::boolean[], $6::boolean[], $7::text[])
            WITH ORDINALITY AS r(token_hash, voter_group, batch_id, dry_run, spent, dedupe_hash, n) ORDER BY n`,
    [
      sittingId,
      slips.map((t) => t.token_hash),
      slips.map((t) => t.voter_group),
      slips.map((t) => t.batch_id),
      slips.map((t) => t.dry_run),
      slips.map((t) => t.spent),
      slips.map((t) => t.dedupe_hash),
    ],
  );
  return stored.map((b) => ({ voterGroup: b.voter_group, dryRun: b.dry_run, answers: b.answers }));
}

/**
 * The rewrite must share the close's transaction: outside one, each statement commits alone and
 * a crash after the TRUNCATE would lose the sitting's ballots. SAVEPOINT fails outside a
 * transaction block, which no SQL function reports directly. And it must read what is committed
 * after its lock: under REPEATABLE READ or SERIALIZABLE its snapshot may predate a ballot that
 * committed before the lock, and the TRUNCATE would silently remove it.
 */
async function requireClosingTransaction(q: PgQuery): Promise<void> {
  try {
    await q.query('SAVEPOINT sitting_layout');
  } catch (error) {
    throw new Error('the layout rewrite runs inside the closing transaction', { cause: error });
  }
  await q.query('RELEASE SAVEPOINT sitting_layout');
  const [isolation] = await select<{ transaction_isolation: string }>(q, 'SHOW transaction_isolation');
  if (isolation?.transaction_isolation !== 'read committed') throw new Error('the layout rewrite needs READ COMMITTED (it must see every ballot committed before its lock)');
}

async function select<T>(q: PgQuery, sql: string, params?: unknown[]): Promise<T[]> {
  return (await q.query(sql, params)).rows as T[];
}

/** Fisher-Yates with the CSPRNG: the new order must not be predictable from the old. */
function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
