import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, castInTransaction } from '../../server/db/pg-ballot-box';
import { listenTurnout } from '../../server/db/pg-notify';
import { openPostgres, type PgDb } from '../../server/db/open-pg';
import { createPgAssessment, issuePgSlips, openPgSitting } from '../helpers/pg-sittings';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * Turnout across app servers on PostgreSQL (issue 14, point 3): a ballot cast through one
 * server's pool reaches a listener on another server's pool within 1 s, once, when its
 * transaction commits; a cast that rolls back notifies nobody. On Debian's PostgreSQL.
 */
describe.runIf(postgresAvailable())('turnout notifications on PostgreSQL', () => {
  let server: TestPostgres;
  let a: PgDb;
  let b: PgDb;
  let sittingId: number;
  let slips: string[];
  beforeAll(async () => {
    server = await startPostgres();
    a = await openPostgres(server.url, 3);
    b = await openPostgres(server.url, 3);
    sittingId = await openPgSitting(a.$client, await createPgAssessment(a.$client), 's');
    slips = await issuePgSlips(a.$client, sittingId, 3);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.$client.end(), b?.$client.end()]);
    await server?.stop();
  });

  it('reach a listener on another server within 1 s of the commit, once, and never for a cast rolled back', async () => {
    const heard: { sittingId: number; at: number }[] = [];
    const stop = await listenTurnout(b.$client, (id) => void (id !== undefined && heard.push({ sittingId: id, at: performance.now() })));
    try {
      // Rolled back: the cast went through inside the transaction, then the transaction did not commit.
      const client = await a.$client.connect();
      await client.query('BEGIN');
      expect((await castInTransaction(client, slips[0]!, randomUUID(), '0')).cast).toBe(true);
      await client.query('ROLLBACK');
      client.release();
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);

      const committed = performance.now();
      const session = await a.$client.connect();
      expect((await cast(session, slips[1]!, randomUUID(), '0')).cast).toBe(true);
      session.release();
      while (heard.length === 0 && performance.now() < committed + 2000) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.map((h) => h.sittingId)).toEqual([sittingId]);
      console.log(`PostgreSQL NOTIFY across pools: ${Math.round(heard[0]!.at - committed)} ms from the cast's start to the listener`);
      expect(heard[0]!.at - committed).toBeLessThan(1000);
      // The counters the listener then reads count the one committed ballot only.
      const { rows } = await b.$client.query('SELECT used FROM sitting_groups WHERE sitting_id = $1', [sittingId]);
      expect(rows[0].used).toBe(1);
    } finally {
      await stop();
    }
  });
});
