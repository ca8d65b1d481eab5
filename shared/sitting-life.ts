import type { SittingStatus } from './forms';

/**
 * The life of a sitting, in one table: which acts are allowed in which state, and where each
 * transition leads. The server's services check every act against it, and the console shows
 * only the buttons it allows.
 *
 *   draft → rehearsal → open → closed → published
 *     └──────────────────┘       └→ open (a reopen, audited; results withheld below k new ballots)
 */
export const SITTING_ACTS = {
  /** Start the rehearsal: only practice slips vote. */
  rehearse: ['draft'],
  /** Open for real (purging the rehearsal's ballots), or reopen a closed sitting. */
  open: ['draft', 'rehearsal', 'closed'],
  close: ['open'],
  publish: ['closed'],
  /** Issue real slips. */
  issueSlips: ['draft', 'rehearsal', 'open'],
  /** Practice slips vote only in the rehearsal, so they are issued only before opening. */
  issuePracticeSlips: ['draft', 'rehearsal'],
  clearRehearsal: ['draft', 'rehearsal', 'open'],
  /** A real slip's ballot is accepted. */
  vote: ['open'],
  /** A practice slip's ballot is accepted. */
  votePractice: ['rehearsal'],
  /** Results, exports and the receipt board exist only once the sitting is closed. */
  readResults: ['closed', 'published'],
} as const satisfies Record<string, readonly SittingStatus[]>;

export type SittingAct = keyof typeof SITTING_ACTS;

/** Where a transition leads; acts that are not transitions leave the status as it is. */
export const TRANSITIONS: Partial<Record<SittingAct, SittingStatus>> = { rehearse: 'rehearsal', open: 'open', close: 'closed', publish: 'published' };

export function allows(act: SittingAct, status: SittingStatus): boolean {
  return (SITTING_ACTS[act] as readonly SittingStatus[]).includes(status);
}
