import type { ImportPreview } from '../../shared/api';
import type { BallotForm, SittingStatus } from '../../shared/forms';

/** Response shapes of the console's endpoints (PRODUCT.md API, server/openapi.ts). */

export type { GroupTurnout, Reconciliation, Turnout } from '../../shared/sitting';
export type { SittingResults as Results } from '../../shared/sitting';

export type Role = 'admin' | 'organiser';
export interface User {
  id: number;
  username: string;
  role: Role;
}

export interface Assessment {
  id: number;
  name: string;
  year: number;
}

export interface Subject {
  id: number;
  key: string;
  kind: 'team' | 'cadre';
  name: string;
  title: string;
  category: string | null;
  type: string | null;
  teamKey: string | null;
  role: 'principal' | 'deputy' | null;
}

export interface SittingSummary {
  id: number;
  name: string;
  status: SittingStatus;
  assessmentId: number;
  assessmentName?: string;
  year?: number;
}

export interface Sitting {
  id: number;
  assessmentId: number;
  name: string;
  status: SittingStatus;
  k: number;
  minTurnout: number;
  flags: string[];
  forms: BallotForm[];
}

export interface Batch {
  id: number;
  voterGroup: string;
  count: number;
  dryRun: boolean;
  printed: number;
  createdAt: number;
  printable: boolean;
}

export interface Overview {
  groups: { name: string; weight: number }[];
  batches: Batch[];
  organisers: { id: number; username: string }[];
  subjectCount: number;
  assessmentId: number;
}

export type { AuditEntry } from '../../shared/audit';

export type { ImportPreview };
