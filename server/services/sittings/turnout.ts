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

/** Tells live turnout views that a sitting's counters changed (after the commit). */
export class TurnoutEvents extends EventEmitter {
  constructor() {
    super();
    // One listener per open stream, and STREAM_LIMITS allows far more than Node's default 10.
    this.setMaxListeners(STREAM_LIMITS.total + 1);
  }
  changed(sittingId: number): void {
    this.emit(`sitting:${sittingId}`);
  }
  subscribe(sittingId: number, listener: () => void): () => void {
    this.on(`sitting:${sittingId}`, listener);
    return () => this.off(`sitting:${sittingId}`, listener);
  }
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
  if (!events) eventsByDb.set(db, (events = new TurnoutEvents()));
  return events;
}
