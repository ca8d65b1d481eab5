import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database';
import { meta } from '../../server/db/tables';
import { ENGINE, openTestDatabase } from '../helpers/server';

/**
 * The data-access layer's transaction rules (server/db/database.ts), on the engine this run
 * uses (SQLite, PGlite, or a PostgreSQL server): what the services rely on instead of
 * better-sqlite3 being synchronous.
 */
let db: Db;
let close: () => Promise<void>;
const tick = () => new Promise((done) => setTimeout(done, 5));
const value = async (key: string) => (await db.select().from(meta).where(eq(meta.key, key)))[0]?.value;

beforeAll(async () => {
  ({ db, close } = await openTestDatabase());
});
afterAll(() => close());

describe(`the data-access layer on ${ENGINE}`, () => {
  it('keeps an open transaction to itself: a query outside it never sees its rows, and a rollback leaves nothing', async () => {
    let inserted!: () => void;
    let release!: () => void;
    const insertedSignal = new Promise<void>((done) => (inserted = done));
    const releaseSignal = new Promise<void>((done) => (release = done));
    const failing = db.transaction(async (tx) => {
      await tx.insert(meta).values({ key: 'uncommitted', value: 'x' });
      inserted();
      await releaseSignal;
      throw new Error('rolled back');
    });
    await insertedSignal;
    // Another request's query, from outside the transaction's calls, while it is open.
    const outside = value('uncommitted');
    const seenOutside = await Promise.race([outside, tick().then(() => 'still waiting')]);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    // SQLite makes it wait for the transaction; PostgreSQL answers from the last commit.
    expect([undefined, 'still waiting']).toContain(seenOutside);
    expect(await outside).toBeUndefined();
    expect(await value('uncommitted')).toBeUndefined();
  });

  it('runs transactions one at a time: 20 read-then-write increments at once all count', async () => {
    await db.insert(meta).values({ key: 'counter', value: '0' });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.select().from(meta).where(eq(meta.key, 'counter'));
          await tick();
          await tx.update(meta).set({ value: String(Number(row!.value) + 1) }).where(eq(meta.key, 'counter'));
        }),
      ),
    );
    expect(await value('counter')).toBe('20');
  });

  it('sends a query through db inside a transaction to that transaction', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.insert(meta).values({ key: 'inside', value: 'y' });
      return value('inside'); // through db, not tx
    });
    expect(seen).toBe('y');
  });

  it('makes a nested transaction a savepoint: its rollback keeps the outer work', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(meta).values({ key: 'outer', value: '1' });
      await expect(
        db.transaction(async (inner) => {
          await inner.insert(meta).values({ key: 'inner', value: '2' });
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await value('outer')).toBe('1');
    expect(await value('inner')).toBeUndefined();
  });

  it('counts changed rows the same way on every engine', async () => {
    await db.insert(meta).values([{ key: 'a1', value: '' }, { key: 'a2', value: '' }]);
    const result = await db.update(meta).set({ value: 'z' }).where(eq(meta.value, ''));
    expect(result.rowCount).toBe(2);
  });
});
