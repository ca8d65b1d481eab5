import * as pg from './schema-pg';
import * as sqlite from './schema';
import { engineOf } from './engine-choice';

/**
 * The tables the services query, of the engine this process runs on (DATABASE_URL, read once
 * at start): SQLite's (schema.ts) or PostgreSQL's (schema-pg.ts). The two are twins, table for
 * table and column for column with the same TypeScript types (tests/server/schema-parity.test.ts),
 * so the services are typed against one of them, PostgreSQL's, and run unchanged on either:
 * services never branch on the dialect (issue 14).
 */
const chosen = (engineOf(process.env.DATABASE_URL) === 'sqlite' ? sqlite : pg) as unknown as typeof pg;

export const users = chosen.users;
export const sessions = chosen.sessions;
export const assessments = chosen.assessments;
export const subjects = chosen.subjects;
export const sittings = chosen.sittings;
export const paperEntries = chosen.paperEntries;
export const sittingGroups = chosen.sittingGroups;
export const sittingOrganisers = chosen.sittingOrganisers;
export const tokenBatches = chosen.tokenBatches;
export const tokens = chosen.tokens;
export const ballots = chosen.ballots;
export const receipts = chosen.receipts;
export const auditLog = chosen.auditLog;
export const throttleWindows = chosen.throttleWindows;
export const meta = chosen.meta;
export const turnoutMinutes = chosen.turnoutMinutes;
export const subjectInputs = chosen.subjectInputs;
export const gradingPolicies = chosen.gradingPolicies;
export const gradingRuns = chosen.gradingRuns;
