import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast } from '../../server/db/pg-ballot-box';
import { openPostgres, type PgDb } from '../../server/db/open-pg';
import { createPgAssessment, issuePgSlips, openPgSitting } from '../helpers/pg-sittings';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * Nothing acknowledged is lost on PostgreSQL (issue 14): 20 casters vote through the ballot
 * box's statements, each ballot acknowledged once its COMMIT returns (when the server would send
 * its 201); the database server is killed with SIGKILL mid-load, every process of it, then
 * started again on the same files. Every acknowledged receipt is there, and no cast is half
 * there: ballots, receipts and spent slips agree.
 */
describe.runIf(postgresAvailable())('a PostgreSQL server killed mid-load', () => {
  let server: TestPostgres;
  let db: PgDb;
  beforeAll(async () => {
    server = await startPostgres();
    db = await openPostgres(server.url, 10);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps every ballot whose commit was acknowledged', async () => {
    const pool = db.$client;
    const sittingId = await openPgSitting(pool, await createPgAssessment(pool), 's');
    const slips = await issuePgSlips(pool, sittingId, 3000);
    // Every connection dies with the server: idle, checked out, or still connecting.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));

    const acknowledged: string[] = [];
    let next = 0;
    let failures = 0;
    const casters = Array.from({ length: 20 }, async () => {
      while (next < slips.length) {
        const slip = slips[next++]!;
        try {
          // One connection per cast: its BEGIN, statements and COMMIT on the same session.
          const client = await pool.connect();
          try {
            const outcome = await cast(client, slip, randomUUID(), '0123401234'.repeat(100));
            if (outcome.cast) acknowledged.push(outcome.receipt);
          } finally {
            client.release(true);
          }
        } catch {
          failures++;
          if (failures > 20) return;
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    server.kill();
    await Promise.all(casters);
    await pool.end().catch(() => undefined);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    await server.restart();
    const after = await openPostgres(server.url, 2);
    try {
      const stored = new Set(((await after.$client.query('SELECT receipt FROM receipts WHERE sitting_id = $1', [sittingId])).rows as { receipt: string }[]).map((r) => r.receipt));
      const lost = acknowledged.filter((r) => !stored.has(r));
      console.log(`PostgreSQL kill -9: ${acknowledged.length} casts acknowledged before the kill, ${stored.size} receipts after the restart, ${lost.length} lost`);
      expect(lost).toEqual([]);
      const counts = (await after.$client.query(
        "SELECT (SELECT count(*)::int FROM ballots WHERE sitting_id = $1) AS ballots, (SELECT count(*)::int FROM tokens WHERE sitting_id = $1 AND spent) AS spent, (SELECT used FROM sitting_groups WHERE sitting_id = $1 AND name = '委员') AS used",
        [sittingId],
      )).rows[0] as { ballots: number; spent: number; used: number };
      expect(counts).toEqual({ ballots: stored.size, spent: stored.size, used: stored.size });
    } finally {
      await after.$client.end();
    }
  });
});
