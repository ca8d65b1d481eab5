/**
 * Counts open turnout streams, per session and in all, so that one browser (or a script with a
 * stolen cookie) cannot hold every socket of the server open (server/limits.ts STREAM_LIMITS).
 */
export class StreamSlots {
  #bySession = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly perSession: number,
    private readonly total: number,
  ) {}

  /** A release function, or null when a cap is reached. */
  take(session: string): (() => void) | null {
    const mine = this.#bySession.get(session) ?? 0;
    if (mine >= this.perSession || this.#total >= this.total) return null;
    this.#bySession.set(session, mine + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#bySession.get(session) ?? 1) - 1;
      if (left > 0) this.#bySession.set(session, left);
      else this.#bySession.delete(session);
    };
  }
}
