import { createHmac, randomBytes } from 'node:crypto';
import { eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/open';
import { meta, throttleWindows } from '../../db/schema';

/** A throttle's count for one key since `start`, until `expiresAt` (ms since the epoch). */
export interface Window {
  start: number;
  count: number;
  expiresAt: number;
}

/**
 * Where the throttles keep their windows. `atomically` runs a read-check-write as one step, so
 * concurrent attempts (in this process or, for the database, on another app server) cannot
 * both take the last unit of a budget.
 */
export interface Windows {
  get(key: string): Window | undefined;
  put(key: string, window: Window): void;
  delete(key: string): void;
  size(): number;
  deleteExpired(now: number): void;
  atomically<T>(step: () => T): T;
}

/** Windows in this process only: one app server, or a test. */
export function memoryWindows(): Windows {
  const map = new Map<string, Window>();
  return {
    get: (key) => map.get(key),
    put: (key, window) => void map.set(key, { ...window }),
    delete: (key) => void map.delete(key),
    size: () => map.size,
    deleteExpired: (now) => {
      for (const [key, w] of map) if (w.expiresAt <= now) map.delete(key);
    },
    atomically: (step) => step(),
  };
}

const META_KEY = 'throttle_key_hmac_key';

/**
 * Windows in the database, shared by every app server on it (issue 14: a login flood on one
 * server is throttled on all). Rows are keyed by an HMAC of the throttle's name and the key
 * under a secret kept in `meta`: the file holds no address and no username. Each step is one IMMEDIATE transaction, so
 * two servers' attempts on one key are counted one after the other.
 */
export function databaseWindows(db: Db, throttle: 'login' | 'guess'): Windows {
  db.insert(meta).values({ key: META_KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing().run();
  const secret = Buffer.from(db.select({ value: meta.value }).from(meta).where(eq(meta.key, META_KEY)).get()!.value, 'base64url');
  const hashOf = (key: string) => createHmac('sha256', secret).update(`${throttle}\u0000${key}`).digest('base64url');
  const find = db.select().from(throttleWindows).where(eq(throttleWindows.keyHash, sql.placeholder('keyHash'))).prepare();
  return {
    get(key) {
      const row = find.get({ keyHash: hashOf(key) });
      return row ? { start: row.startedAt, count: row.count, expiresAt: row.expiresAt } : undefined;
    },
    put(key, { start, count, expiresAt }) {
      const row = { keyHash: hashOf(key), startedAt: start, count, expiresAt };
      db.insert(throttleWindows).values(row).onConflictDoUpdate({ target: throttleWindows.keyHash, set: row }).run();
    },
    delete(key) {
      db.delete(throttleWindows).where(eq(throttleWindows.keyHash, hashOf(key))).run();
    },
    size() {
      return db.select({ n: sql<number>`count(*)` }).from(throttleWindows).get()!.n;
    },
    deleteExpired(now) {
      db.delete(throttleWindows).where(lte(throttleWindows.expiresAt, now)).run();
    },
    atomically(step) {
      return db.$client.transaction(step).immediate();
    },
  };
}
