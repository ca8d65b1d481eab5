import { asc, eq } from 'drizzle-orm';
import { EventEmitter } from 'node:events';
import type { Db } from '../db/open';
import type { GroupTurnout, Turnout } from '../../shared/sitting';
import { sittingGroups } from '../db/schema';

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
  changed(sittingId: number): void {
    this.emit(`sitting:${sittingId}`);
  }
  subscribe(sittingId: number, listener: () => void): () => void {
    this.on(`sitting:${sittingId}`, listener);
    return () => this.off(`sitting:${sittingId}`, listener);
  }
}
