import { LOGIN_LIMITS } from '../../limits';
import { memoryWindows, type Window, type Windows } from './throttle-windows';

/** Expired windows are swept at most this often: under a flood, not on every attempt. */
const SWEEP_EVERY_MS = 1000;

/**
 * A failure budget per key in a fixed window. A whole hall shares one NAT address, so the
 * voter budget counts only failed lookups (guesses), never successful ones. `windows` decides
 * who shares it: this process (memoryWindows) or every app server on the database.
 */
export class FailureBudget {
  #lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly windows: Windows = memoryWindows(),
  ) {}

  async exhausted(key: string): Promise<boolean> {
    const w = await this.windows.get(key);
    return w !== undefined && w.expiresAt > this.now() && w.count >= this.limit;
  }

  async fail(key: string): Promise<void> {
    const now = this.now();
    await this.windows.atomically(async () => {
      const w = await this.windows.get(key);
      await this.windows.put(key, w && w.expiresAt > now ? { ...w, count: w.count + 1 } : { start: now, count: 1, expiresAt: now + this.windowMs });
    });
    if (now - this.#lastSweep >= SWEEP_EVERY_MS) {
      this.#lastSweep = now;
      await this.windows.deleteExpired(now);
    }
  }
}

export interface Budget {
  failures: number;
  windowMs: number;
}

export interface LoginBudgets {
  strangerPerUsername: Budget;
  strangerPerAddress: Budget;
  perDevice: Budget;
  /** Entries kept: past it (after dropping expired ones) strangers are refused. */
  throttleKeys: number;
}

/** Who is trying: `device` is the nonce of a valid device cookie issued for this very username. */
export interface LoginAttempt {
  username: string;
  address: string;
  device?: string | undefined;
}

export type Reservation =
  | {
      ok: true;
      /** The password was right: clears this attempt's keys. */
      succeed(): Promise<void>;
      /** Not tried after all (no hash ran): gives the attempt back. */
      release(): Promise<void>;
    }
  | { ok: false; retryAfterMs: number };


/**
 * Login throttle with OWASP device cookies. A browser holding a valid device cookie for the
 * username is counted on that cookie alone (a flood from any address, the hall's shared NAT
 * included, never locks it out); everyone else ("strangers") on the username and on the address.
 *
 * `reserve` counts the attempt as a failure in one atomic step (Windows.atomically) before any
 * hash runs, so any number of concurrent requests cannot hash more than the budget: a wrong
 * password then releases nothing, a right one clears the keys. A key's window starts at its
 * first attempt.
 */
export class LoginThrottle {
  #lastSweep = 0;

  constructor(
    private readonly budgets: LoginBudgets = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly windows: Windows = memoryWindows(),
  ) {}

  async reserve(attempt: LoginAttempt): Promise<Reservation> {
    const keys: [string, Budget][] = attempt.device
      ? [[`device:${attempt.device}`, this.budgets.perDevice]]
      : [
          [`user:${attempt.username.toLowerCase()}`, this.budgets.strangerPerUsername],
          [`ip:${attempt.address}`, this.budgets.strangerPerAddress],
        ];
    const now = this.now();
    const outcome = await this.windows.atomically(async (): Promise<{ ok: false; retryAfterMs: number } | { ok: true; reserved: [string, Window][] }> => {
      let retryAfterMs = 0;
      let fresh = 0;
      const current: (Window | undefined)[] = [];
      for (const [key, budget] of keys) {
        const w = await this.windows.get(key);
        if (!w || w.expiresAt <= now) {
          fresh++;
          current.push(undefined);
          continue;
        }
        if (w.count >= budget.failures) retryAfterMs = Math.max(retryAfterMs, w.expiresAt - now);
        current.push(w);
      }
      if (retryAfterMs > 0) return { ok: false, retryAfterMs };
      if (fresh > 0 && !attempt.device && (await this.windows.size()) + fresh > this.budgets.throttleKeys) {
        await this.#sweep(now);
        // Full of live windows: strangers wait rather than evict anyone's lockout.
        if ((await this.windows.size()) + fresh > this.budgets.throttleKeys) return { ok: false, retryAfterMs: Math.min(...keys.map(([, b]) => b.windowMs)) };
      }
      const reserved: [string, Window][] = [];
      for (const [i, [key, budget]] of keys.entries()) {
        const w = current[i];
        const next = w ? { ...w, count: w.count + 1 } : { start: now, count: 1, expiresAt: now + budget.windowMs };
        await this.windows.put(key, next);
        reserved.push([key, next]);
      }
      return { ok: true, reserved };
    });
    if (!outcome.ok) return outcome;
    let settled = false;
    return {
      ok: true,
      succeed: async () => {
        if (settled) return;
        settled = true;
        await this.windows.atomically(async () => {
          for (const [key] of outcome.reserved) await this.windows.delete(key);
        });
      },
      release: async () => {
        if (settled) return;
        settled = true;
        await this.windows.atomically(async () => {
          for (const [key, reserved] of outcome.reserved) {
            // Only the window this attempt counted in: a later one (after expiry) is another's.
            const w = await this.windows.get(key);
            if (w && w.start === reserved.start && w.count > 0) await this.windows.put(key, { ...w, count: w.count - 1 });
          }
        });
      },
    };
  }

  async #sweep(now: number): Promise<void> {
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    await this.windows.deleteExpired(now);
  }
}
