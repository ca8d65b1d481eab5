import { and, eq, gt, lt } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/open';
import { ApiError } from '../../http/errors';
import { sessions, users } from '../../db/schema';
import { appendAudit } from '../audit/audit';
import { sha256Hex } from '../crypto';
import { hashPassword, unmatchableHash, verifyPassword, type KdfLane } from './passwords';

export type Role = 'admin' | 'organiser';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The accounts, without their password hashes. */
export function listUsers(db: Db): { id: number; username: string; role: Role }[] {
  return db.select({ id: users.id, username: users.username, role: users.role }).from(users).all();
}

export function usernameTaken(db: Db, username: string): boolean {
  return db.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined;
}

export async function createUser(db: Db, actor: string, username: string, password: string, role: Role): Promise<number> {
  // Refused before the (slow) hash, and checked again after it.
  if (usernameTaken(db, username)) throw new ApiError(409, 'username_taken');
  const passwordHash = await hashPassword(password);
  return db.transaction(
    (tx) => {
      // Checked again after the (slow) hash: another request may have taken the name meanwhile.
      if (tx.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) throw new ApiError(409, 'username_taken');
      const { id } = tx.insert(users).values({ username, passwordHash, role, createdAt: Date.now() }).returning({ id: users.id }).get();
      appendAudit(tx, actor, 'user.create', `user:${id}`, { username, role });
      return id;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Checks a login. `lane` is the KDF queue it waits in ('trusted' for a browser with the user's
 * device cookie); throws KdfBusy (503) when that queue is full, without hashing.
 */
export async function checkCredentials(db: Db, username: string, password: string, lane: KdfLane = 'stranger'): Promise<SessionUser | null> {
  const user = db.select().from(users).where(eq(users.username, username)).get();
  // Hash anyway when the user is unknown, so response time does not reveal which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH, lane);
  return user && ok ? { id: user.id, username: user.username, role: user.role } : null;
}

// Used only to spend the same time on unknown users: a hash with the same parameters that no
// password matches, made without running the KDF (nothing is hashed at start-up).
const DUMMY_HASH = unmatchableHash();

/** Starts a session and records the login; returns the cookie value (only its hash is stored). */
export function startSession(db: Db, user: SessionUser): string {
  const cookie = randomBytes(32).toString('base64url');
  const now = Date.now();
  db.transaction(
    (tx) => {
      tx.delete(sessions).where(lt(sessions.expiresAt, now)).run();
      tx.insert(sessions).values({ idHash: sha256Hex('session', cookie), userId: user.id, expiresAt: now + SESSION_TTL_MS }).run();
      appendAudit(tx, user.username, 'session.login', `user:${user.id}`);
    },
    { behavior: 'immediate' },
  );
  return cookie;
}

export function sessionUser(db: Db, cookie: string): SessionUser | null {
  const row = db
    .select({ id: users.id, username: users.username, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256Hex('session', cookie)), gt(sessions.expiresAt, Date.now())))
    .get();
  return row ?? null;
}

export function endSession(db: Db, cookie: string): void {
  db.delete(sessions).where(eq(sessions.idHash, sha256Hex('session', cookie))).run();
}
