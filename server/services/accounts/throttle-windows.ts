import { createHmac, randomBytes } from 'node:crypto';
import { count, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/database';
import { meta, throttleWindows } from '../../db/tables';

/** A throttle's count for one key since `start`, until `expiresAt` (ms since the epoch). */
export interface Window {
  start: number;
  count: number;
  expiresAt: number;
}

/**
 * Where the throttles keep their windows. `atomically` runs a read-check-write as one step, so
 * concurrent attempts (in this process or, for the database, on another app server) cannot
 * both take the last unit of a budget. Steps do not nest: a step never calls `atomically`.
 */
export interface Windows {
  get(key: string): Promise<Window | undefined>;
  put(key: string, window: Window): Promise<void>;
  delete(key: string): Promise<void>;
  size(): Promise<number>;
  deleteExpired(now: number): Promise<void>;
  atomically<T>(step: () => Promise<T>): Promise<T>;
}

/**
 * Windows in this process only: one app server, or a test. Nothing here touches the database.
 * Steps run one after the other (each waits for the one before it to settle), so the awaits
 * inside a step cannot let another attempt's step in between.
 */
export function memoryWindows(): Windows {
  const map = new Map<string, Window>();
  let last: Promise<unknown> = Promise.resolve();
  return {
    get: async (key) => map.get(key),
    put: async (key, window) => void map.set(key, { ...window }),
    delete: async (key) => void map.delete(key),
    size: async () => map.size,
    deleteExpired: async (now) => {
      for (const [key, w] of map) if (w.expiresAt <= now) map.delete(key);
    },
    atomically: (step) => {
      const run = last.then(step);
      last = run.catch(() => undefined);
      return run;
    },
  };
}

const META_KEY = 'throttle_key_hmac_key';

/**
 * Windows in the database, shared by every app server on it (issue 14: a login flood on one
 * server is throttled on all). Rows are keyed by an HMAC of the throttle's name and the key
 * under a secret kept in `meta`: the database holds no address and no username. Each step is
 * one transaction, and the data-access layer runs one at a time (on SQLite, BEGIN IMMEDIATE
 * across servers too), so two servers' attempts on one key are counted one after the other.
 */
export function databaseWindows(db: Db, throttle: 'login' | 'guess'): Windows {
  // Read (or made) at the first use, outside any step's transaction, then kept.
  let secret: Promise<Buffer> | undefined;
  const secretOf = () =>
    (secret ??= (async () => {
      await db.insert(meta).values({ key: META_KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
      const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, META_KEY)).limit(1);
      return Buffer.from(row!.value, 'base64url');
    })().catch((err: unknown) => {
      secret = undefined;
      throw err;
    }));
  const hashOf = async (key: string) => createHmac('sha256', await secretOf()).update(`${throttle}\u0000${key}`).digest('base64url');
  return {
    async get(key) {
      const [row] = await db.select().from(throttleWindows).where(eq(throttleWindows.keyHash, await hashOf(key))).limit(1);
      return row ? { start: row.startedAt, count: row.count, expiresAt: row.expiresAt } : undefined;
    },
    async put(key, { start, count, expiresAt }) {
      const row = { keyHash: await hashOf(key), startedAt: start, count, expiresAt };
      await db.insert(throttleWindows).values(row).onConflictDoUpdate({ target: throttleWindows.keyHash, set: row });
    },
    async delete(key) {
      await db.delete(throttleWindows).where(eq(throttleWindows.keyHash, await hashOf(key)));
    },
    async size() {
      const [row] = await db.select({ n: count() }).from(throttleWindows);
      return row!.n;
    },
    async deleteExpired(now) {
      await db.delete(throttleWindows).where(lte(throttleWindows.expiresAt, now));
    },
    async atomically(step) {
      await secretOf();
      // The step's queries go through `db`: inside the transaction, the layer sends them to it.
      return db.transaction(() => step());
    },
  };
}
