import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ApiError } from '../../http/errors';
import { LOGIN_LIMITS } from '../../limits';

/**
 * Memory-hard password hashes with Node's built-in scrypt (SECURITY.md: N=2^17, r=8 uses
 * 128 MiB, above Node's 32 MiB default, hence maxmem). No native dependency to build.
 */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** Who asked for a hash: a browser with a valid device cookie (or an admin's action) goes first. */
export type KdfLane = 'trusted' | 'stranger';

/** Refused at once: too many hashes already waiting in this lane (503 busy). */
export class KdfBusy extends ApiError {
  constructor() {
    super(503, 'busy');
  }
}

/**
 * Runs at most `concurrency` hashes at once, so a login flood cannot fill libuv's threadpool
 * (static files queue behind it). Each lane waits in a queue of at most `queueBound`; past it a
 * request is refused at once, without hashing. The trusted lane is served first.
 */
export class KdfGate {
  #running = 0;
  readonly #queues: Record<KdfLane, (() => void)[]> = { trusted: [], stranger: [] };

  constructor(
    private readonly concurrency: number,
    private readonly queueBound: number,
  ) {}

  async run<T>(lane: KdfLane, task: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) this.#running++;
    else {
      const queue = this.#queues[lane];
      if (queue.length >= this.queueBound) throw new KdfBusy();
      // The finishing task hands its slot over: #running stays counted.
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.#queues.trusted.shift() ?? this.#queues.stranger.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

/** One gate per process: the threadpool is per process. */
const gate = new KdfGate(LOGIN_LIMITS.kdfConcurrency, LOGIN_LIMITS.kdfQueue);

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, lane: KdfLane): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * 1024 * 1024 };
  return gate.run(
    lane,
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

/** Hashes a new password: only an admin's action or the first start does this, so the trusted lane. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, 'trusted');
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Checks a password; throws KdfBusy (503) when the lane's queue is full. */
export async function verifyPassword(password: string, stored: string, lane: KdfLane = 'stranger'): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }, lane);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A well-formed hash with the current parameters that no password matches (a random key, not
 * derived): verifying against it costs the same as against a real one, with no hash to make first.
 */
export function unmatchableHash(): string {
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${randomBytes(16).toString('base64url')}$${randomBytes(KEY_LENGTH).toString('base64url')}`;
}

/** A readable random password for a first start without ADMIN_PASSWORD. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
