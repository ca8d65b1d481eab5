import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast } from '../../server/db/pg-ballot-box';
import { partitionOf, rewriteSittingLayout, tokenSitting, type PgQuery } from '../../server/db/pg-layout';
import { dedupeHash } from '../../server/services/crypto';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { createPgAssessment, issuePgSlips, openPgSitting } from '../helpers/pg-sittings';
import { orderRho, type OrderRho, type Placed } from '../helpers/page-order';
import { seededRandom } from '../helpers/stats';

/**
 * Where ballots, receipts and spent tokens lie in PostgreSQL's files (SECURITY.md, On
 * PostgreSQL), on PGlite and, when Debian's PostgreSQL is installed, on a real server. 200 of
 * 220 slips vote, in an order unrelated to the order they were issued in, with ballots of 1-7 KB
 * (stored-answers text, one digit per cell), through the ballot box's statements. Position is
 * the row's ctid (page, line pointer), read from outside; on the real server also the byte
 * offset in the files under base/<database oid>/ after a CHECKPOINT, as an insider with a copy
 * of the data directory would read it.
 *
 * Thresholds: for an order unrelated to arrival, Spearman's rho over n = 200 has sd ~ 1/sqrt(199)
 * = 0.07, so |rho| < 0.3 is more than four sd; rows appended in arrival order give rho ~ 1.
 */
const SLIPS = 220;
const VOTERS = 200;
const PIECE = 48;
/** The assessment prepare() makes on each fresh database. */
const ASSESSMENT = 1;
const MIGRATIONS_PG = join(dirname(fileURLToPath(import.meta.url)), '../../server/db/migrations-pg');

/** One sitting's voting, in arrival order: what the test sent, to find it again from outside. */
interface Voting {
  sittingId: number;
  /** Per arrival: the stored answers, the receipt, H(submissionId) kept on the spent token. */
  answers: string[];
  receipts: string[];
  dedupes: string[];
}

/** Stored-answers text (a digit per cell) of 1-7 KB; random digits, so its first and last 48 are its own. */
function ballotText(index: number): string {
  const random = seededRandom(1000 + index);
  const length = 1000 + Math.floor(random() * 6000);
  let text = '';
  for (let i = 0; i < length; i++) text += String(Math.floor(random() * 5));
  return text;
}

async function rows<T>(q: PgQuery, sql: string, params?: unknown[]): Promise<T[]> {
  return (await q.query(sql, params)).rows as T[];
}

/** A sitting where 200 of 220 slips vote, spent in an order unrelated to the order of issue. */
async function vote(q: PgQuery, name: string): Promise<Voting> {
  const sittingId = await openPgSitting(q, ASSESSMENT, name);
  const slips = await issuePgSlips(q, sittingId, SLIPS);
  const random = seededRandom(7);
  const order = slips.map((hash) => ({ hash, key: random() })).sort((a, b) => a.key - b.key).slice(0, VOTERS);
  const voting: Voting = { sittingId, answers: [], receipts: [], dedupes: [] };
  for (const [arrival, { hash }] of order.entries()) {
    const submissionId = randomUUID();
    const answers = ballotText(arrival);
    const outcome = await cast(q, hash, submissionId, answers);
    if (!outcome.cast) throw new Error(`ballot ${arrival} refused: ${outcome.reason}`);
    voting.answers.push(answers);
    voting.receipts.push(outcome.receipt);
    voting.dedupes.push(dedupeHash(submissionId));
  }
  return voting;
}

/** The close: the status and the rewrite in one transaction. Returns how long the rewrite took. */
async function close(q: PgQuery, sittingId: number): Promise<{ ms: number; ballots: number }> {
  await q.query('BEGIN');
  await q.query("UPDATE sittings SET status = 'closed', closed_at = 1 WHERE id = $1", [sittingId]);
  const started = performance.now();
  const rewritten = await rewriteSittingLayout(q, sittingId);
  const ms = performance.now() - started;
  await q.query('COMMIT');
  return { ms, ballots: rewritten.length };
}

/** A row's position: its page, and where it lies in the file or heap (orders like the bytes). */
interface Rhos {
  ballots: OrderRho;
  receipts: OrderRho;
  spentTokens: OrderRho;
}

/** Each row's ctid (page, line pointer) against its arrival, per table of the sitting. */
async function ctidRhos(q: PgQuery, v: Voting): Promise<Rhos> {
  const rho = async (table: 'ballots' | 'receipts' | 'tokens', key: string, arrivalOf: Map<string, number>) => {
    const found = await rows<{ ctid: string; key: string }>(q, `SELECT ctid::text AS ctid, ${key} AS key FROM ${partitionOf(table, v.sittingId)}`);
    const located = found.filter((r) => arrivalOf.has(r.key));
    expect(located).toHaveLength(VOTERS);
    return orderRho(
      located.map((r) => {
        const [page, item] = r.ctid.slice(1, -1).split(',').map(Number) as [number, number];
        return { page, at: page * 65536 + item, arrival: arrivalOf.get(r.key)! };
      }),
    );
  };
  const arrivals = (keys: string[]) => new Map(keys.map((k, i) => [k, i]));
  return {
    ballots: await rho('ballots', `left(answers, ${PIECE})`, arrivals(v.answers.map((a) => a.slice(0, PIECE)))),
    receipts: await rho('receipts', 'receipt', arrivals(v.receipts)),
    spentTokens: await rho('tokens', 'dedupe_hash', arrivals(v.dedupes)),
  };
}

const fmtRho = (r: OrderRho) => `${r.across.toFixed(3)} (within pages ${r.within.toFixed(3)})`;
const fmt = (r: Rhos) => `ballots ${fmtRho(r.ballots)}, receipts ${fmtRho(r.receipts)}, spent tokens ${fmtRho(r.spentTokens)}`;

/** Neither across nor within pages may the position follow arrival. */
function expectNoOrder(r: OrderRho): void {
  expect(Math.abs(r.across)).toBeLessThan(0.3);
  expect(Math.abs(r.within)).toBeLessThan(0.3);
}

/**
 * What the test database turns off: PostgreSQL compresses values over ~2 KB (pglz), which would
 * hide the answers from a byte search, not from an insider (pglz is public). Stored plain, every
 * ballot can be located in the raw files. The layout mechanism does not depend on it.
 */
async function storeAnswersPlain(q: PgQuery): Promise<void> {
  await q.query('ALTER TABLE ballots ALTER COLUMN answers SET STORAGE EXTERNAL');
}

/** A migrated database with the answers stored plain, an assessment, and a small neighbouring sitting. */
async function prepare(q: PgQuery): Promise<number> {
  await storeAnswersPlain(q);
  if ((await createPgAssessment(q)) !== ASSESSMENT) throw new Error('not a fresh database');
  const neighbour = await openPgSitting(q, ASSESSMENT, 'neighbour');
  await issuePgSlips(q, neighbour, 5);
  return neighbour;
}

/** The layout checks, the same on every engine: ctid order against arrival, before and after close. */
function layoutChecks(engine: () => { q: PgQuery; voting: Voting; neighbour: number }) {
  it('lays an open sitting out in arrival order (the documented residual risk): the probe sees an order', async () => {
    const { q, voting } = engine();
    const rhos = await ctidRhos(q, voting);
    console.log(`ctid vs arrival while open: ${fmt(rhos)}`);
    expect(rhos.ballots.across).toBeGreaterThan(0.9);
    expect(rhos.receipts.across).toBeGreaterThan(0.9);
    expect(rhos.spentTokens.within).toBeGreaterThan(0.5);
  });

  it('finds a token by its hash alone with one index probe, and spends it in its own sitting only', async () => {
    const { q, voting, neighbour } = engine();
    const [someHash] = await rows<{ token_hash: string }>(q, `SELECT token_hash FROM ${partitionOf('tokens', voting.sittingId)} LIMIT 1`);
    await q.query('BEGIN');
    // Tiny tables may be scanned whole; with scans off the plan shows that an index serves the lookup.
    await q.query('SET LOCAL enable_seqscan = off');
    const lookup = await plan(q, 'SELECT sitting_id FROM token_sittings WHERE token_hash = $1', [someHash!.token_hash]);
    const spend = await plan(q, 'UPDATE tokens SET spent = true, dedupe_hash = $3 WHERE sitting_id = $1 AND token_hash = $2 AND spent = false', [voting.sittingId, someHash!.token_hash, 'x']);
    await q.query('ROLLBACK');
    expect(lookup.nodes.some((n) => /Index/.test(n) && !/Seq/.test(n))).toBe(true);
    expect(lookup.relations).toEqual(['token_sittings']);
    expect(spend.relations).toEqual([`tokens_sitting_${voting.sittingId}`]);
    expect(spend.relations).not.toContain(`tokens_sitting_${neighbour}`);
  });

  it('after the close, no table of the sitting lies in arrival order, and nothing was lost or added', async () => {
    const { q, voting } = engine();
    const before = await rows<{ id: string }>(q, `SELECT id FROM ${partitionOf('ballots', voting.sittingId)}`);
    const { ms, ballots } = await close(q, voting.sittingId);
    expect(ballots).toBe(VOTERS);
    const rhos = await ctidRhos(q, voting);
    console.log(`ctid vs arrival after close: ${fmt(rhos)} (rewrite of ${VOTERS} ballots: ${ms.toFixed(0)} ms)`);
    expectNoOrder(rhos.ballots);
    expectNoOrder(rhos.receipts);
    expectNoOrder(rhos.spentTokens);

    // The same ballots under fresh ids; every slip still found by its hash, spent or not as it was.
    const after = await rows<{ id: string; answers: string }>(q, `SELECT id, answers FROM ${partitionOf('ballots', voting.sittingId)}`);
    expect(after.map((b) => b.answers).sort()).toEqual([...voting.answers].sort());
    const oldIds = new Set(before.map((b) => b.id));
    expect(after.some((b) => oldIds.has(b.id))).toBe(false);
    const slips = await rows<{ token_hash: string; spent: boolean }>(q, `SELECT token_hash, spent FROM ${partitionOf('tokens', voting.sittingId)}`);
    expect(slips).toHaveLength(SLIPS);
    expect(slips.filter((t) => t.spent)).toHaveLength(VOTERS);
    for (const slip of slips) expect(await tokenSitting(q, slip.token_hash)).toBe(voting.sittingId);
    // A slip arriving after the close is refused, spent or not.
    expect(await cast(q, slips.find((t) => !t.spent)!.token_hash, randomUUID(), '0')).toEqual({ cast: false, reason: 'sitting_closed' });
  });
}

/** The relations a statement's plan scans, and its node types. */
async function plan(q: PgQuery, sql: string, params: unknown[]): Promise<{ relations: string[]; nodes: string[] }> {
  const [row] = await rows<{ 'QUERY PLAN': unknown }>(q, `EXPLAIN (FORMAT JSON) ${sql}`, params);
  const raw = row!['QUERY PLAN'];
  const relations = new Set<string>();
  const nodes: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    nodes.push(String(node['Node Type']));
    if (/Scan/.test(String(node['Node Type'])) && typeof node['Relation Name'] === 'string') relations.add(node['Relation Name']);
    for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Record<string, unknown> }[];
  walk(parsed[0]!.Plan);
  return { relations: [...relations].sort(), nodes };
}

describe('on PGlite', () => {
  let db: PGlite;
  let voting: Voting;
  let neighbour: number;

  beforeAll(async () => {
    db = new PGlite();
    await migratePglite(drizzlePglite({ client: db }), { migrationsFolder: MIGRATIONS_PG });
    neighbour = await prepare(db);
    voting = await vote(db, 'plenary');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('refuses to rewrite outside a transaction (a crash after the TRUNCATE would lose ballots)', async () => {
    await expect(rewriteSittingLayout(db, voting.sittingId)).rejects.toThrow(/inside the closing transaction/);
  });

  layoutChecks(() => ({ q: db, voting, neighbour }));
});

/** Every file of the database's directory, as an insider with a copy of the data directory reads them. */
function databaseFiles(server: TestPostgres, oid: number): { name: string; bytes: Buffer }[] {
  const dir = join(server.dataDir, 'base', String(oid));
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

interface Found {
  file: string;
  offset: number;
}

/** Every occurrence of each piece in the files. */
function findAll(files: { name: string; bytes: Buffer }[], pieces: string[]): Found[][] {
  return pieces.map((piece) => {
    const needle = Buffer.from(piece);
    const found: Found[] = [];
    for (const { name, bytes } of files) {
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) found.push({ file: name, offset: at });
    }
    return found;
  });
}

/**
 * Order against arrival of each piece's first occurrence in every file that holds at least 150 of
 * the 200 (below that, rho's spread by chance grows too wide for the thresholds): pages are the
 * file's 8 KB blocks. Returns, across and within, the rho of largest magnitude over those files.
 */
function worstFileRho(found: Found[][]): OrderRho {
  const byFile = new Map<string, Placed[]>();
  found.forEach((occurrences, arrival) => {
    const seen = new Set<string>();
    for (const { file, offset } of occurrences) {
      if (seen.has(file)) continue;
      seen.add(file);
      byFile.set(file, [...(byFile.get(file) ?? []), { page: Math.floor(offset / 8192), at: offset, arrival }]);
    }
  });
  const worst: OrderRho = { across: 0, within: 0 };
  for (const placed of byFile.values()) {
    if (placed.length < 150) continue;
    const rho = orderRho(placed);
    if (Math.abs(rho.across) > Math.abs(worst.across)) worst.across = rho.across;
    if (Math.abs(rho.within) > Math.abs(worst.within)) worst.within = rho.within;
  }
  return worst;
}

interface RawRhos {
  heads: OrderRho;
  tails: OrderRho;
  receipts: OrderRho;
  dedupes: OrderRho;
}

/**
 * The last piece of a ballot that lies whole in the files: a long value is stored in TOAST chunks
 * of ~2 KB, so its very end may be split over two chunks; then the piece moves back until it fits.
 */
function tailPiece(files: { bytes: Buffer }[], text: string): string {
  for (let end = text.length; end - PIECE >= 0; end -= 8) {
    const piece = text.slice(end - PIECE, end);
    if (files.some((f) => f.bytes.includes(piece))) return piece;
  }
  throw new Error('no piece of the ballot found in the files');
}

function rawRhos(files: { name: string; bytes: Buffer }[], v: Voting): RawRhos & { headCopies: number[]; tailCopies: number[] } {
  const heads = findAll(files, v.answers.map((a) => a.slice(0, PIECE)));
  const tails = findAll(files, v.answers.map((a) => tailPiece(files, a)));
  return {
    heads: worstFileRho(heads),
    tails: worstFileRho(tails),
    receipts: worstFileRho(findAll(files, v.receipts)),
    dedupes: worstFileRho(findAll(files, v.dedupes)),
    headCopies: heads.map((f) => f.length),
    tailCopies: tails.map((f) => f.length),
  };
}

const fmtRaw = (r: RawRhos) => `ballot heads ${fmtRho(r.heads)}, tails ${fmtRho(r.tails)}, receipts ${fmtRho(r.receipts)}, spent tokens ${fmtRho(r.dedupes)}`;

/** How many ballots still have a copy of their first piece in the WAL directory. */
function ballotsInWal(server: TestPostgres, v: Voting): number {
  const dir = join(server.dataDir, 'pg_wal');
  const files = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  return findAll(files, v.answers.map((a) => a.slice(0, PIECE))).filter((f) => f.length > 0).length;
}

describe.skipIf(!postgresAvailable())('on a real PostgreSQL server', () => {
  let server: TestPostgres;
  let client: pg.Client;
  let voting: Voting;
  let neighbour: number;
  let oid: number;

  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client(server.url);
    await client.connect();
    await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder: MIGRATIONS_PG });
    neighbour = await prepare(client);
    voting = await vote(client, 'plenary');
    [{ oid }] = (await rows<{ oid: number }>(client, 'SELECT oid::int AS oid FROM pg_database WHERE datname = current_database()')) as [{ oid: number }];
  });

  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  describe('raw bytes while open', () => {
    it('hold the ballots, receipts and spent tokens in arrival order (the probe sees an order)', async () => {
      await client.query('CHECKPOINT');
      const raw = rawRhos(databaseFiles(server, oid), voting);
      console.log(`bytes vs arrival while open: ${fmtRaw(raw)}`);
      expect(raw.headCopies.every((n) => n === 1)).toBe(true);
      expect(raw.heads.across).toBeGreaterThan(0.9);
      // Within a page PostgreSQL places each new row below the last: offsets fall as arrivals rise.
      expect(Math.abs(raw.receipts.across)).toBeGreaterThan(0.9);
      expect(raw.dedupes.within).toBeLessThan(-0.5);
    });
  });

  layoutChecks(() => ({ q: client, voting, neighbour }));

  describe('raw bytes after the close and a CHECKPOINT', () => {
    it('hold each ballot once, and nothing in any file of the database follows arrival', async () => {
      await client.query('CHECKPOINT');
      const raw = rawRhos(databaseFiles(server, oid), voting);
      console.log(`bytes vs arrival after close: ${fmtRaw(raw)}`);
      // The old partitions' files were truncated at commit and unlinked by the checkpoint: no stale copy.
      expect(raw.headCopies.every((n) => n === 1)).toBe(true);
      expect(raw.tailCopies.every((n) => n === 1)).toBe(true);
      expectNoOrder(raw.heads);
      expectNoOrder(raw.tails);
      expectNoOrder(raw.receipts);
      expectNoOrder(raw.dedupes);
    });

    it('leave the WAL holding the arrival order until its segment is switched and checkpointed away', async () => {
      const beforeSwitch = ballotsInWal(server, voting);
      await client.query('SELECT pg_switch_wal()');
      await client.query('CHECKPOINT');
      const afterSwitch = ballotsInWal(server, voting);
      console.log(`WAL: ${beforeSwitch} of ${VOTERS} ballots found after close + CHECKPOINT, ${afterSwitch} after pg_switch_wal() + CHECKPOINT (wal_recycle = off)`);
      // The documented residual: the segment in use keeps them (a piece may straddle a WAL page header).
      expect(beforeSwitch).toBeGreaterThan(VOTERS * 0.9);
      // The test server runs with wal_recycle = off (helpers/postgres.ts): the old segment is unlinked,
      // not renamed for reuse with its bytes in it (with it on, 199 of 200 were still found here).
      expect(afterSwitch).toBe(0);
    });
  });

  it('spends a slip once under 30 parallel submits on separate connections', async () => {
    const [slip] = await issuePgSlips(client, neighbour, 1);
    const pool = new pg.Pool({ connectionString: server.url, max: 30 });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const c = await pool.connect();
          try {
            return await cast(c, slip!, randomUUID(), ballotText(999));
          } finally {
            c.release();
          }
        }),
      );
      expect(outcomes.filter((o) => o.cast)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.cast && o.reason === 'token_used')).toHaveLength(29);
      const [count] = await rows<{ ballots: number; receipts: number }>(
        client,
        `SELECT (SELECT count(*)::int FROM ${partitionOf('ballots', neighbour)}) AS ballots, (SELECT count(*)::int FROM ${partitionOf('receipts', neighbour)}) AS receipts`,
      );
      expect(count).toEqual({ ballots: 1, receipts: 1 });
    } finally {
      await pool.end();
    }
  });
});

if (!postgresAvailable()) {
  describe('on a real PostgreSQL server', () => {
    it.skip('skipped: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb; .ci/run installs Debian\'s postgresql)', () => undefined);
  });
}
