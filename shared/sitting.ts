import type { SittingStatus } from './forms';
import type { SittingTally } from './scoring';

/** What the server says about a sitting's turnout and its closing: read by the console as is. */

export interface GroupTurnout {
  name: string;
  issued: number;
  used: number;
  dryRunIssued: number;
  dryRunUsed: number;
}

export interface Turnout {
  sittingId: number;
  issued: number;
  used: number;
  dryRun: { issued: number; used: number };
  byGroup: GroupTurnout[];
}

export interface Reconciliation {
  issued: number;
  printed: number;
  dryRun: { issued: number; used: number; ballots: number };
  used: number;
  unused: number;
  ballots: number;
  /** Of the ballots: cast on a phone or a venue tablet, and paper ballots entered twice and cast (issued = phone + paper + unused). */
  phone: number;
  paper: number;
  /** Paper ballots entered but not cast when the sitting closed, discarded on the admin's confirmation: their slips are unused. */
  paperPending: PaperPending;
  /** Ballots counted equal slips used, and no more ballots than slips issued. */
  balanced: boolean;
}

/** Paper ballots entered by one clerk so far, and those whose two entries disagree (slips, not entries). */
export interface PaperPending {
  awaitingSecond: number;
  conflicts: number;
}

export type SittingFlag = 'ballots_exceed_slips' | 'ballots_differ_from_used' | 'low_turnout';

export interface SittingResults extends SittingTally {
  sittingId: number;
  status: SittingStatus;
  reconciliation: Reconciliation;
  flags: SittingFlag[];
  /** A sitting with more ballots than slips issued is void (GRADING §1). */
  void: boolean;
  /** The audit head (#seq:hash) right after the close entry: printed with the reconciliation. */
  closeAuditHead?: string;
}
