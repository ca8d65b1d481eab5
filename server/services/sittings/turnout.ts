import { asc, eq } from 'drizzle-orm';
import { EventEmitter } from 'node:events';
import type { Db, Queryable } from '../../db/database';
import type { GroupTurnout, Turnout } from '../../../shared/sitting';
import { sittingGroups, turnoutMinutes } from '../../db/tables';
import { STREAM_LIMITS } from '../../limits';

/** Turnout is kept as counters per voter group: never a per-slip time (SECURITY.md). */
export async function readTurnout(db: Queryable, sittingId: number): Promise<Turnout> {
  const byGroup = await db
    .select({ name: sittingGroups.name, issued: sittingGroups.issued, used: sittingGroups.used, dryRunIssued: sittingGroups.dryRunIssued, dryRunUsed: sittingGroups.dryRunUsed })
    .from(sittingGroups)
    .where(eq(sittingGroups.sittingId, sittingId))
    .orderBy(asc(sittingGroups.position));
  const sum = (pick: (g: GroupTurnout) => number) => byGroup.reduce((n, g) => n + pick(g), 0);
  return {
    sittingId,
    issued: sum((g) => g.issued),
    used: sum((g) => g.used),
    dryRun: { issued: sum((g) => g.dryRunIssued), used: sum((g) => g.dryRunUsed) },
    byGroup,
  };
}

/**
 * Tells live turnout views that a sitting's counters changed (after the commit). This server's
 * own services say so directly. Other app servers on the same database (issue 14: a ballot cast
 * on one shows on a stream held on another) are the engine's to notice, while any stream is
 * open (`db.$engine.watchOtherServers`: SQLite polls the file's `data_version`, PostgreSQL
 * LISTENs): when it names a sitting, that sitting's counters are read again, and when it cannot
 * say which, every watched sitting's are; each is announced if it differs from what was last seen.
 */
export class TurnoutEvents extends EventEmitter {
  #stopWatching: (() => void) | undefined;
  #seen = new Map<number, string>();
  /** Sittings the engine named while a check was running (`all`: it could not say which); checked next, not at once. */
  #pending = new Set<number>();
  #pendingAll = false;
  #checking = false;

  constructor(private readonly db?: Db) {
    super();
    // One listener per open stream, and STREAM_LIMITS allows far more than Node's default 10.
    this.setMaxListeners(STREAM_LIMITS.total + 1);
  }

  /** Called by this server's services after a commit: its own streams hear at once, other servers through the engine. */
  changed(sittingId: number): void {
    this.#announce(sittingId);
    this.db?.$engine.tellOtherServers(sittingId);
  }

  #announce(sittingId: number): void {
    this.emit(`sitting:${sittingId}`);
  }

  subscribe(sittingId: number, listener: () => void): () => void {
    this.on(`sitting:${sittingId}`, listener);
    this.#watchOtherServers();
    return () => {
      this.off(`sitting:${sittingId}`, listener);
      if (this.#watched().length === 0) this.#stopOtherServers();
    };
  }

  #watched(): number[] {
    return this.eventNames()
      .map(String)
      .filter((name) => name.startsWith('sitting:') && this.listenerCount(name) > 0)
      .map((name) => Number(name.slice('sitting:'.length)));
  }

  #watchOtherServers(): void {
    const db = this.db;
    if (this.#stopWatching || !db) return;
    this.#stopWatching = db.$engine.watchOtherServers((sittingId) => {
      if (sittingId === undefined) this.#pendingAll = true;
      else this.#pending.add(sittingId);
      void this.#check(db);
    });
  }

  /**
   * Reads again the counters of the sittings heard of, one check at a time: what is heard during
   * a check waits for the next, which starts as soon as this one ends (so no change is missed
   * and a burst of notices becomes a few reads).
   */
  async #check(db: Db): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      while (this.#stopWatching && (this.#pendingAll || this.#pending.size > 0)) {
        const watched = this.#watched();
        const due = this.#pendingAll ? watched : watched.filter((id) => this.#pending.has(id));
        this.#pendingAll = false;
        this.#pending.clear();
        for (const [i, sittingId] of due.entries()) {
          let counts: string;
          try {
            counts = JSON.stringify(await readTurnout(db, sittingId));
          } catch {
            // The database closing, or a lost connection: these sittings are checked again at the next notice.
            for (const rest of due.slice(i)) this.#pending.add(rest);
            return;
          }
          if (!this.#stopWatching) return;
          if (this.#seen.get(sittingId) === counts) continue;
          this.#seen.set(sittingId, counts);
          this.#announce(sittingId);
        }
      }
    } finally {
      this.#checking = false;
    }
  }

  #stopOtherServers(): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#seen.clear();
    this.#pending.clear();
    this.#pendingAll = false;
  }
}

/** Ballots per minute (aggregate counters), real and dry-run apart. */
export async function turnoutByMinute(db: Queryable, id: number) {
  const rows = await db
    .select({ minute: turnoutMinutes.minute, dryRun: turnoutMinutes.dryRun, ballots: turnoutMinutes.ballots })
    .from(turnoutMinutes)
    .where(eq(turnoutMinutes.sittingId, id))
    .orderBy(asc(turnoutMinutes.minute));
  return {
    minutes: rows.filter((r) => !r.dryRun).map((r) => ({ minute: r.minute, ballots: r.ballots })),
    dryRun: rows.filter((r) => r.dryRun).map((r) => ({ minute: r.minute, ballots: r.ballots })),
  };
}

const eventsByDb = new WeakMap<Db, TurnoutEvents>();

/**
 * The live turnout views of one database. The services that change a sitting's counters
 * (slips issued, ballots cast, rehearsal purged, close) tell them after their commit.
 */
export function turnoutEvents(db: Db): TurnoutEvents {
  let events = eventsByDb.get(db);
  if (!events) eventsByDb.set(db, (events = new TurnoutEvents(db)));
  return events;
}
