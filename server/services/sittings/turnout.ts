import { asc, eq } from 'drizzle-orm';
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/open';
import type { GroupTurnout, Turnout } from '../../../shared/sitting';
import { sittingGroups, turnoutMinutes } from '../../db/schema';
import { STREAM_LIMITS } from '../../limits';

/** Turnout is kept as counters per voter group: never a per-slip time (SECURITY.md). */
export function readTurnout(db: Db, sittingId: number): Turnout {
  const byGroup = db
    .select({ name: sittingGroups.name, issued: sittingGroups.issued, used: sittingGroups.used, dryRunIssued: sittingGroups.dryRunIssued, dryRunUsed: sittingGroups.dryRunUsed })
    .from(sittingGroups)
    .where(eq(sittingGroups.sittingId, sittingId))
    .orderBy(asc(sittingGroups.position))
    .all();
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
 * How often a server with open turnout streams looks for commits made by other app servers on
 * the same database file (issue 14: a ballot cast on one shows on a stream held on another).
 */
const OTHER_SERVERS_POLL_MS = 250;

/**
 * Tells live turnout views that a sitting's counters changed (after the commit). This server's
 * own services say so directly. Other app servers on the same file are noticed by SQLite's
 * `data_version`, which changes when another connection commits: while any stream is open it is
 * read every 250 ms, and on a change each watched sitting's counters are read again and
 * announced if they differ from what was last seen.
 */
export class TurnoutEvents extends EventEmitter {
  #poll: ReturnType<typeof setInterval> | undefined;
  #dataVersion = 0;
  #seen = new Map<number, string>();

  constructor(private readonly db?: Db) {
    super();
    // One listener per open stream, and STREAM_LIMITS allows far more than Node's default 10.
    this.setMaxListeners(STREAM_LIMITS.total + 1);
  }

  changed(sittingId: number): void {
    this.emit(`sitting:${sittingId}`);
  }

  subscribe(sittingId: number, listener: () => void): () => void {
    this.on(`sitting:${sittingId}`, listener);
    this.#watchOtherServers();
    return () => {
      this.off(`sitting:${sittingId}`, listener);
      if (this.#watched().length === 0) this.#stopWatching();
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
    if (this.#poll || !db) return;
    this.#dataVersion = dataVersion(db);
    this.#poll = setInterval(() => {
      const version = dataVersion(db);
      if (version === this.#dataVersion) return;
      this.#dataVersion = version;
      for (const sittingId of this.#watched()) {
        const counts = JSON.stringify(readTurnout(db, sittingId));
        if (this.#seen.get(sittingId) === counts) continue;
        this.#seen.set(sittingId, counts);
        this.changed(sittingId);
      }
    }, OTHER_SERVERS_POLL_MS);
    this.#poll.unref();
  }

  #stopWatching(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#seen.clear();
  }
}

/** SQLite's counter of commits by other connections to the file (this one's own do not move it). */
function dataVersion(db: Db): number {
  return db.$client.pragma('data_version', { simple: true }) as number;
}

/** Ballots per minute (aggregate counters), real and dry-run apart. */
export function turnoutByMinute(db: Db, id: number) {
  const rows = db
    .select({ minute: turnoutMinutes.minute, dryRun: turnoutMinutes.dryRun, ballots: turnoutMinutes.ballots })
    .from(turnoutMinutes)
    .where(eq(turnoutMinutes.sittingId, id))
    .orderBy(asc(turnoutMinutes.minute))
    .all();
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
