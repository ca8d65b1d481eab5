import { LOGIN_LIMITS } from '../../limits';

/**
 * A failure budget per key in a fixed window. A whole hall shares one NAT address, so the
 * voter budget counts only failed lookups (guesses), never successful ones.
 */
export class FailureBudget {
  #windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  exhausted(key: string): boolean {
    const w = this.#current(key);
    return w !== undefined && w.failures >= this.limit;
  }

  fail(key: string): void {
    const w = this.#current(key);
    if (w) w.failures++;
    else this.#windows.set(key, { start: this.now(), failures: 1 });
    if (this.#windows.size > 10_000) this.#prune();
  }

  #current(key: string) {
    const w = this.#windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) {
      this.#windows.delete(key);
      return undefined;
    }
    return w;
  }

  #prune(): void {
    const now = this.now();
    for (const [key, w] of this.#windows) if (now - w.start >= this.windowMs) this.#windows.delete(key);
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
      succeed(): void;
      /** Not tried after all (no hash ran): gives the attempt back. */
      release(): void;
    }
  | { ok: false; retryAfterMs: number };

interface Window {
  start: number;
  attempts: number;
}

/**
 * Login throttle with OWASP device cookies. A browser holding a valid device cookie for the
 * username is counted on that cookie alone (a flood from any address, the hall's shared NAT
 * included, never locks it out); everyone else ("strangers") on the username and on the address.
 *
 * `reserve` is synchronous and counts the attempt as a failure before any hash runs, so any
 * number of concurrent requests cannot hash more than the budget: a wrong password then releases
 * nothing, a right one clears the keys. A key's window starts at its first attempt.
 */
export class LoginThrottle {
  #windows = new Map<string, Window>();
  #lastPrune = 0;

  constructor(
    private readonly budgets: LoginBudgets = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  reserve(attempt: LoginAttempt): Reservation {
    const keys: [string, Budget][] = attempt.device
      ? [[`device:${attempt.device}`, this.budgets.perDevice]]
      : [
          [`user:${attempt.username.toLowerCase()}`, this.budgets.strangerPerUsername],
          [`ip:${attempt.address}`, this.budgets.strangerPerAddress],
        ];
    const now = this.now();
    let retryAfterMs = 0;
    let fresh = 0;
    const current = keys.map(([key, budget]) => {
      let w = this.#windows.get(key);
      if (w && now - w.start >= budget.windowMs) {
        this.#windows.delete(key);
        w = undefined;
      }
      if (!w) fresh++;
      else if (w.attempts >= budget.failures) retryAfterMs = Math.max(retryAfterMs, w.start + budget.windowMs - now);
      return w;
    });
    if (retryAfterMs > 0) return { ok: false, retryAfterMs };
    if (fresh > 0 && !attempt.device && this.#windows.size + fresh > this.budgets.throttleKeys) {
      this.#prune(now);
      // Full of live windows: strangers wait rather than evict anyone's lockout.
      if (this.#windows.size + fresh > this.budgets.throttleKeys) return { ok: false, retryAfterMs: Math.min(...keys.map(([, b]) => b.windowMs)) };
    }
    const reserved = keys.map(([key], i) => {
      let w = current[i];
      if (w) w.attempts++;
      else this.#windows.set(key, (w = { start: now, attempts: 1 }));
      return [key, w] as const;
    });
    let settled = false;
    return {
      ok: true,
      succeed: () => {
        if (settled) return;
        settled = true;
        for (const [key] of reserved) this.#windows.delete(key);
      },
      release: () => {
        if (settled) return;
        settled = true;
        for (const [key, w] of reserved) if (this.#windows.get(key) === w && w.attempts > 0) w.attempts--;
      },
    };
  }

  #prune(now: number): void {
    if (now - this.#lastPrune < 1000) return;
    this.#lastPrune = now;
    const { perDevice, strangerPerUsername, strangerPerAddress } = this.budgets;
    const windowOf = (key: string) => (key.startsWith('device:') ? perDevice : key.startsWith('user:') ? strangerPerUsername : strangerPerAddress).windowMs;
    for (const [key, w] of this.#windows) if (now - w.start >= windowOf(key)) this.#windows.delete(key);
  }
}
