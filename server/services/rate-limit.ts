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

/**
 * Login throttle: after a few failures for a username or an address, each further attempt
 * must wait twice as long as the last (1 s, 2 s, 4 s … up to 15 min).
 */
export class LoginThrottle {
  #state = new Map<string, { failures: number; last: number }>();

  constructor(
    private readonly freeFailures = 3,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before another attempt for any of these keys (0 = go ahead). */
  waitMs(keys: string[]): number {
    let wait = 0;
    for (const key of keys) {
      const s = this.#state.get(key);
      if (!s || s.failures < this.freeFailures) continue;
      const delay = Math.min(1000 * 2 ** (s.failures - this.freeFailures), 15 * 60 * 1000);
      wait = Math.max(wait, s.last + delay - this.now());
    }
    return Math.max(0, wait);
  }

  fail(keys: string[]): void {
    for (const key of keys) {
      const s = this.#state.get(key);
      this.#state.set(key, { failures: (s?.failures ?? 0) + 1, last: this.now() });
    }
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.#state.delete(key);
  }
}
