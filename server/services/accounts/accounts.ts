import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database';
import { ApiError } from '../../http/errors';
import { sessions, users } from '../../db/tables';
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
export async function listUsers(db: Db): Promise<{ id: number; username: string; role: Role }[]> {
  return db.select({ id: users.id, username: users.username, role: users.role }).from(users).orderBy(asc(users.id));
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const [found] = await db.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1);
  return found !== undefined;
}

export async function createUser(db: Db, actor: string, username: string, password: string, role: Role): Promise<number> {
  // Refused before the (slow) hash, and checked again after it.
  if (await usernameTaken(db, username)) throw new ApiError(409, 'username_taken');
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    // Checked again after the (slow) hash: another request may have taken the name meanwhile.
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1);
    if (taken) throw new ApiError(409, 'username_taken');
    const [created] = await tx.insert(users).values({ username, passwordHash, role, createdAt: Date.now() }).returning({ id: users.id });
    const { id } = created!;
    await appendAudit(tx, actor, 'user.create', `user:${id}`, { username, role });
    return id;
  });
}

/**
 * Checks a login. `lane` is the KDF queue it waits in ('trusted' for a browser with the user's
 * device cookie); throws KdfBusy (503) when that queue is full, without hashing.
 */
export async function checkCredentials(db: Db, username: string, password: string, lane: KdfLane = 'stranger'): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  // Hash anyway when the user is unknown, so response time does not reveal which usernames exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH, lane);
  return user && ok ? { id: user.id, username: user.username, role: user.role } : null;
}

// Used only to spend the same time on unknown users: a hash with the same parameters that no
// password matches, made without running the KDF (nothing is hashed at start-up).
const DUMMY_HASH = unmatchableHash();

/** Starts a session and records the login; returns the cookie value (only its hash is stored). */
export async function startSession(db: Db, user: SessionUser): Promise<string> {
  const cookie = randomBytes(32).toString('base64url');
  const now = Date.now();
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(lt(sessions.expiresAt, now));
    await tx.insert(sessions).values({ idHash: sha256Hex('session', cookie), userId: user.id, expiresAt: now + SESSION_TTL_MS });
    await appendAudit(tx, user.username, 'session.login', `user:${user.id}`);
  });
  return cookie;
}

export async function sessionUser(db: Db, cookie: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, username: users.username, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256Hex('session', cookie)), gt(sessions.expiresAt, Date.now())))
    .limit(1);
  return row ?? null;
}

export async function endSession(db: Db, cookie: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, sha256Hex('session', cookie)));
}
