import { sql } from 'drizzle-orm';
import { SITTING_STATUSES } from '../../shared/forms';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Anonymity by construction (SECURITY.md): `tokens`, `ballots` and `receipts` share nothing
 * but the sitting (and tokens and ballots the voter group). No foreign key, no shared id, no
 * spend time. The three are WITHOUT ROWID (see the migrations), so rows are ordered by their
 * random keys; and closing a sitting rewrites its ballots and receipts in a fresh random order
 * (services/sittings/layout.ts), because SQLite appends the overflow pages of large rows in commit order.
 * Turnout lives in counters on `sitting_groups`.
 */

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'organiser'] }).notNull(),
  createdAt: integer('created_at').notNull(),
});

export const sessions = sqliteTable('sessions', {
  /** SHA-256 of the cookie value: a stolen database holds no usable session. */
  idHash: text('id_hash').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  expiresAt: integer('expires_at').notNull(),
});

export const assessments = sqliteTable('assessments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  year: integer('year').notNull(),
  createdAt: integer('created_at').notNull(),
  /** The grading run whose grades were published; set once, then the assessment is frozen. */
  publishedRunId: integer('published_run_id'),
});

export const subjects = sqliteTable(
  'subjects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['team', 'cadre'] }).notNull(),
    name: text('name').notNull(),
    title: text('title').notNull().default(''),
    category: text('category'),
    type: text('type'),
    teamKey: text('team_key'),
    role: text('role', { enum: ['principal', 'deputy'] }),
  },
  (t) => [uniqueIndex('subjects_assessment_key').on(t.assessmentId, t.key)],
);

export const sittings = sqliteTable('sittings', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
  name: text('name').notNull(),
  status: text('status', { enum: SITTING_STATUSES }).notNull().default('draft'),
  /** The ballot forms with their subjects, frozen as JSON (BallotForm[]). */
  forms: text('forms').notNull(),
  k: integer('k').notNull().default(5),
  minTurnout: real('min_turnout').notNull().default(2 / 3),
  /** Set at close when the reconciliation fails or turnout is low (JSON list of flags). */
  flags: text('flags'),
  /** Aggregates computed once at close (SittingTally JSON). */
  results: text('results'),
  createdAt: integer('created_at').notNull(),
  openedAt: integer('opened_at'),
  closedAt: integer('closed_at'),
  /**
   * Counted ballots in the last results released (at close). After a reopen, results are
   * withheld until at least k ballots more than this were cast (no differencing).
   */
  releasedBallots: integer('released_ballots'),
  /** Paper ballots cast through double entry: a count only, never which ballots they are. */
  paperBallots: integer('paper_ballots').notNull().default(0),
});

/**
 * Paper ballot entries waiting for a second clerk (or for an admin, in conflict). Kept apart
 * from ballots and deleted the moment the ballot is cast or resolved: no trace of who entered
 * which ballot stays.
 */
export const paperEntries = sqliteTable(
  'paper_entries',
  {
    sittingId: integer('sitting_id').notNull().references(() => sittings.id),
    tokenHash: text('token_hash').notNull(),
    clerkId: integer('clerk_id').notNull(),
    /** The entered answers, canonical JSON (as a ballot stores them). */
    answers: text('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tokenHash, t.clerkId] })],
);

export const sittingGroups = sqliteTable(
  'sitting_groups',
  {
    sittingId: integer('sitting_id').notNull().references(() => sittings.id),
    name: text('name').notNull(),
    weight: real('weight').notNull(),
    issued: integer('issued').notNull().default(0),
    used: integer('used').notNull().default(0),
    dryRunIssued: integer('dry_run_issued').notNull().default(0),
    dryRunUsed: integer('dry_run_used').notNull().default(0),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.name] })],
);

/** Which organisers may watch turnout and print slips of which sitting. */
export const sittingOrganisers = sqliteTable(
  'sitting_organisers',
  {
    sittingId: integer('sitting_id').notNull().references(() => sittings.id),
    userId: integer('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.userId] })],
);

export const tokenBatches = sqliteTable('token_batches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sittingId: integer('sitting_id').notNull().references(() => sittings.id),
  voterGroup: text('voter_group').notNull(),
  count: integer('count').notNull(),
  dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
  /** Slips rendered on the printable page or PDF (reconciliation: printed = issued). */
  printed: integer('printed').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

export const tokens = sqliteTable(
  'tokens',
  {
    /** SHA-256 of the clear token; the clear token is shown once at issue and never stored. */
    tokenHash: text('token_hash').primaryKey(),
    sittingId: integer('sitting_id').notNull(),
    voterGroup: text('voter_group').notNull(),
    batchId: integer('batch_id').notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
    spent: integer('spent', { mode: 'boolean' }).notNull().default(false),
    /** H("dedupe" ‖ submissionId) once spent: lets a retry get its receipt; the id itself is never stored. */
    dedupeHash: text('dedupe_hash'),
  },
  // The close rewrites a sitting's slips (services/sittings/layout.ts): without this index it
  // scans a province's every slip to find them. The table is WITHOUT ROWID, so the index holds
  // (sitting, token hash): random, and untouched by a spend. It adds no trace of when a slip was used.
  (t) => [index('tokens_sitting').on(t.sittingId)],
);

/** A sitting's ballots, clustered by sitting; within it ordered by a random id that is renewed at close. */
export const ballots = sqliteTable(
  'ballots',
  {
    sittingId: integer('sitting_id').notNull(),
    /** 128 random bits, drawn again when the sitting closes. */
    id: text('id').notNull(),
    voterGroup: text('voter_group').notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
    answers: text('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.id] })],
);

/**
 * The receipt board, apart from the ballots: a receipt proves that a ballot was counted and
 * leads to nothing else (no shared row, id, order or time). Derived from the voter's
 * submissionId, which the server never stores.
 */
export const receipts = sqliteTable(
  'receipts',
  {
    sittingId: integer('sitting_id').notNull(),
    receipt: text('receipt').notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.receipt] })],
);

export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey(),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/**
 * The throttles' windows (login attempts, slip guesses), in the database so that every app
 * server on it counts against the same budget. Keyed by an HMAC of what is counted (a
 * username, an address, a device): no address or username is stored.
 */
export const throttleWindows = sqliteTable('throttle_windows', {
  keyHash: text('key_hash').primaryKey(),
  startedAt: integer('started_at').notNull(),
  count: integer('count').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull().default(sql`''`),
});

/**
 * Ballots counted per minute of a sitting, for the live turnout chart: aggregate counts only,
 * incremented inside the submit transaction. No token, no group, no finer time than the minute.
 */
export const turnoutMinutes = sqliteTable(
  'turnout_minutes',
  {
    sittingId: integer('sitting_id').notNull(),
    /** Minutes since the Unix epoch (floor(ms / 60000)). */
    minute: integer('minute').notNull(),
    dryRun: integer('dry_run', { mode: 'boolean' }).notNull().default(false),
    ballots: integer('ballots').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.dryRun, t.minute] })],
);

/** Component scores and facts of a subject for grading (GRADING.md §2), entered or imported. */
export const subjectInputs = sqliteTable(
  'subject_inputs',
  {
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
    subjectKey: text('subject_key').notNull(),
    /** SubjectInputs JSON (shared/grading-inputs.ts). */
    inputs: text('inputs').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.subjectKey] })],
);

/** Versions of the grading policy; the newest is the one in force. */
export const gradingPolicies = sqliteTable('grading_policies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  policy: text('policy').notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/** A grading run keeps the policy, the inputs and the result it produced, overrides included. */
export const gradingRuns = sqliteTable('grading_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
  policy: text('policy').notNull(),
  input: text('input').notNull(),
  result: text('result').notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});
