/**
 * One connection, one transaction at a time (SQLite, sqlite-engine.ts). better-sqlite3 runs each
 * statement synchronously, but a service's transaction awaits between its statements, and in
 * those gaps another request's statement would run on the same connection: inside that open
 * transaction, seeing its uncommitted rows and rolled back with it. So a transaction holds this
 * lock from BEGIN to COMMIT, and every statement of anyone else waits until it is free.
 *
 * A holder is named by an owner token, carried through its async calls (AsyncLocalStorage in
 * the engine): its own statements pass.
 */
export class WriteLock {
  #owner: symbol | undefined;
  #waiting: (() => void)[] = [];

  /** Takes the lock for `owner`; resolves once it holds it. */
  async acquire(owner: symbol): Promise<void> {
    while (this.#owner !== undefined) await this.#next();
    this.#owner = owner;
  }

  release(): void {
    this.#owner = undefined;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /**
   * Runs `work` (synchronous) once no one but `owner` holds the lock. The check and the work
   * run in one synchronous step, so no transaction can begin between them.
   */
  async whenFree<T>(owner: symbol | undefined, work: () => T): Promise<T> {
    while (this.#owner !== undefined && this.#owner !== owner) await this.#next();
    return work();
  }

  #next(): Promise<void> {
    return new Promise((wake) => this.#waiting.push(wake));
  }
}
