import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { cast, castInTransaction, countCasts, type CastOutcome } from '../../server/db/pg-ballot-box';
import { rewriteSittingLayout } from '../../server/db/pg-layout';
import { openPostgres } from '../../server/db/open-pg';
import { createPgAssessment, issuePgSlips, openPgSitting } from '../helpers/pg-sittings';
import { postgresAvailable, startPostgres } from '../helpers/postgres';

/**
 * The ballot box's statements on a real PostgreSQL server (Debian's, in a temporary directory,
 * fsync and synchronous_commit on), database only: does it need the group commit the SQLite
 * ballot box has (issue 14, point 2)? 40 casters at once, each ballot a 100-cadre plenary's
 * stored answers (~1.8 KB), three ways in turn, twice, figures over both rounds:
 * - per ballot: each cast its own transaction on a connection of a pool of 10 (each updates its
 *   group's turnout counter, one row that every cast of a plenary locks until its commit);
 * - grouped: casts that arrive together share one transaction, each in a SAVEPOINT (as the
 *   SQLite ballot box does), their turnout counted once for the batch;
 * - baseline: a bare durable insert of the same bytes, one autocommitted INSERT each.
 * Then closing: the layout rewrite of a 200-ballot sitting in its closing transaction.
 */
const BALLOTS = 1500;
const ROUNDS = 2;
const CONCURRENCY = 40;
const POOL = 10;

interface Load {
  latencies: number[];
  seconds: number;
}

async function load(count: number, one: (i: number) => Promise<void>): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

function figures(loads: Load[]): string {
  const latencies = loads.flatMap((l) => l.latencies).sort((a, b) => a - b);
  const seconds = loads.reduce((n, l) => n + l.seconds, 0);
  return `${Math.round(latencies.length / seconds)}/s, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(0)} ms`;
}

const rate = (loads: Load[]) => loads.reduce((n, l) => n + l.latencies.length, 0) / loads.reduce((n, l) => n + l.seconds, 0);

/** Stored answers of a 100-cadre cadre + political ballot: one character per cell. */
function answersText(seed: number): string {
  let text = '';
  for (let i = 0; i < 1800; i++) text += String((seed * 7 + i * 13) % 5);
  return text;
}

/** Group commit on PostgreSQL: casts queued in one turn of the event loop share a transaction. */
function groupCommit(pool: pg.Pool): (tokenHash: string, answers: string) => Promise<CastOutcome> {
  let queue: { tokenHash: string; answers: string; done: (o: CastOutcome) => void; fail: (e: unknown) => void }[] = [];
  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    const client = await pool.connect();
    const outcomes: CastOutcome[] = [];
    try {
      await client.query('BEGIN');
      for (const [i, each] of batch.entries()) {
        await client.query(`SAVEPOINT c${i}`);
        const outcome = await castInTransaction(client, each.tokenHash, randomUUID(), each.answers, { countTurnout: false });
        await client.query(outcome.cast ? `RELEASE SAVEPOINT c${i}` : `ROLLBACK TO SAVEPOINT c${i}`);
        outcomes.push(outcome);
      }
      // The batch's turnout counted once: the group's counter row is locked for one commit, not for each cast's.
      await countCasts(client, outcomes.filter((o) => o.cast));
      await client.query('COMMIT');
      batch.forEach((each, i) => each.done(outcomes[i]!));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      for (const each of batch) each.fail(error);
    } finally {
      client.release();
    }
  }
  return (tokenHash, answers) =>
    new Promise((done, fail) => {
      queue.push({ tokenHash, answers, done, fail });
      if (queue.length === 1) setImmediate(() => void flush());
    });
}

export async function run(): Promise<void> {
  if (!postgresAvailable()) {
    console.log('PostgreSQL ballot box: skipped (needs Debian\'s postgresql; .ci/run installs it)');
    return;
  }
  const server = await startPostgres();
  const db = await openPostgres(server.url, POOL);
  const pool = db.$client;
  try {
    const assessmentId = await createPgAssessment(pool, 'bench');
    const openSitting = (name: string) => openPgSitting(pool, assessmentId, name);
    await pool.query('CREATE TABLE baseline (id text PRIMARY KEY, answers text NOT NULL)');
    const grouped = groupCommit(pool);
    const ways: Record<'per ballot' | 'grouped' | 'baseline', Load[]> = { 'per ballot': [], grouped: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const perBallot = await issuePgSlips(pool, await openSitting(`per-ballot-${round}`), BALLOTS);
      const together = await issuePgSlips(pool, await openSitting(`grouped-${round}`), BALLOTS);
      ways.baseline.push(await load(BALLOTS, async (i) => void (await pool.query('INSERT INTO baseline VALUES ($1, $2)', [randomUUID(), answersText(i)]))));
      ways['per ballot'].push(
        await load(BALLOTS, async (i) => {
          const client = await pool.connect();
          try {
            if (!(await cast(client, perBallot[i]!, randomUUID(), answersText(i))).cast) throw new Error('refused');
          } finally {
            client.release();
          }
        }),
      );
      ways.grouped.push(
        await load(BALLOTS, async (i) => {
          if (!(await grouped(together[i]!, answersText(i))).cast) throw new Error('refused');
        }),
      );
    }
    const base = rate(ways.baseline);
    for (const [way, loads] of Object.entries(ways)) console.log(`PostgreSQL ${way.padEnd(10)}: ${figures(loads)}; ${(rate(loads) / base).toFixed(2)}x the bare durable insert`);
    const gain = rate(ways.grouped) / rate(ways['per ballot']);
    const verdict =
      gain < 1
        ? "not needed: per-ballot transactions on a pool are faster (one connection running a batch serialises its round trips); both wait on the voter group's turnout counter row, locked by each cast until its commit (see pg-ballot-box.ts)"
        : 'kept: the server groups the casts that arrive together (pg-ballot-box.ts groupCommit), one commit and one counter update per batch';
    console.log(`group commit on PostgreSQL: ${gain.toFixed(2)}x the per-ballot transactions (${ROUNDS} x ${BALLOTS} ballots, ${CONCURRENCY} at once, pool of ${POOL}), so ${verdict}`);

    // Closing: the layout rewrite of a 200-ballot sitting, in the closing transaction.
    const sittingId = await openSitting('close');
    const slips = await issuePgSlips(pool, sittingId, 200);
    const client = await pool.connect();
    try {
      for (const [i, slip] of slips.entries()) await cast(client, slip, randomUUID(), answersText(i));
      await client.query('BEGIN');
      await client.query("UPDATE sittings SET status = 'closed' WHERE id = $1", [sittingId]);
      const started = performance.now();
      const rewritten = await rewriteSittingLayout(client, sittingId);
      const rewriteMs = performance.now() - started;
      await client.query('COMMIT');
      const read = performance.now();
      await client.query('SELECT answers FROM ballots WHERE sitting_id = $1', [sittingId]);
      const readMs = performance.now() - read;
      console.log(`PostgreSQL close of ${rewritten.length} ballots: layout rewrite ${rewriteMs.toFixed(0)} ms (baseline: reading the ballots alone ${readMs.toFixed(1)} ms)`);
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
