import { SITTING_STATUSES } from '../../shared/forms';
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL twin of schema.ts (issue 14): table for table, column for column, index for
 * index, kept in step by tests/server/schema-parity.test.ts. Migrations: `npm run db:generate:pg`.
 *
 * Types: SQLite integers become `integer` where the values stay far below 2^31 (ids, counts,
 * minutes since the epoch), and `bigint` in number mode for millisecond timestamps (~1.8e12);
 * integer booleans become `boolean`; `real` becomes `double precision` (SQLite's real is an
 * 8-byte float); autoincrement ids become identity columns, "by default" so that rows copied
 * with their ids (a move from SQLite) keep them.
 *
 * Anonymity by construction (SECURITY.md): `tokens`, `ballots` and `receipts` share nothing
 * but the sitting (and tokens and ballots the voter group). No foreign key, no shared id, no
 * spend time. Turnout lives in counters on `sitting_groups`.
 *
 * Storage layout (SECURITY.md, On PostgreSQL): a heap appends rows in insert order, and an
 * UPDATE (spending a token) writes a new row version where there is room, so while a sitting is
 * open its ballots, receipts and spent tokens lie on disk in arrival order. So `ballots`,
 * `receipts` and `tokens` are partitioned by LIST (sitting_id), one partition per sitting
 * (created by a trigger on `sittings`, migrations-pg/0001_layout.sql), and closing a sitting
 * truncates its partitions and writes their rows again in a random order (db/pg-layout.ts):
 * the arrival-ordered files are unlinked. drizzle-kit cannot express partitioning; the
 * migration does, and tests/server/schema-parity.test.ts checks it.
 */

/** Milliseconds since the epoch: beyond 32 bits, well within a JavaScript number. */
const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const users = pgTable('users', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'organiser'] }).notNull(),
  createdAt: epochMs('created_at').notNull(),
});

export const sessions = pgTable('sessions', {
  /** SHA-256 of the cookie value: a stolen database holds no usable session. */
  idHash: text('id_hash').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id),
  expiresAt: epochMs('expires_at').notNull(),
});

export const assessments = pgTable('assessments', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  name: text('name').notNull(),
  year: integer('year').notNull(),
  createdAt: epochMs('created_at').notNull(),
  /** The grading run whose grades were published; set once, then the assessment is frozen. */
  publishedRunId: integer('published_run_id'),
});

export const subjects = pgTable(
  'subjects',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
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

export const sittings = pgTable('sittings', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
  name: text('name').notNull(),
  status: text('status', { enum: SITTING_STATUSES }).notNull().default('draft'),
  /** The ballot forms with their subjects, frozen as JSON (BallotForm[]). */
  forms: text('forms').notNull(),
  k: integer('k').notNull().default(5),
  minTurnout: doublePrecision('min_turnout').notNull().default(2 / 3),
  /** Set at close when the reconciliation fails or turnout is low (JSON list of flags). */
  flags: text('flags'),
  /** Aggregates computed once at close (SittingTally JSON). */
  results: text('results'),
  createdAt: epochMs('created_at').notNull(),
  openedAt: epochMs('opened_at'),
  closedAt: epochMs('closed_at'),
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
 * which ballot stays in the rows (the heap keeps dead row versions until VACUUM).
 */
export const paperEntries = pgTable(
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

export const sittingGroups = pgTable(
  'sitting_groups',
  {
    sittingId: integer('sitting_id').notNull().references(() => sittings.id),
    name: text('name').notNull(),
    weight: doublePrecision('weight').notNull(),
    issued: integer('issued').notNull().default(0),
    used: integer('used').notNull().default(0),
    dryRunIssued: integer('dry_run_issued').notNull().default(0),
    dryRunUsed: integer('dry_run_used').notNull().default(0),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.name] })],
);

/** Which organisers may watch turnout and print slips of which sitting. */
export const sittingOrganisers = pgTable(
  'sitting_organisers',
  {
    sittingId: integer('sitting_id').notNull().references(() => sittings.id),
    userId: integer('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.userId] })],
);

export const tokenBatches = pgTable('token_batches', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  sittingId: integer('sitting_id').notNull().references(() => sittings.id),
  voterGroup: text('voter_group').notNull(),
  count: integer('count').notNull(),
  dryRun: boolean('dry_run').notNull().default(false),
  /** Slips rendered on the printable page or PDF (reconciliation: printed = issued). */
  printed: integer('printed').notNull().default(0),
  createdAt: epochMs('created_at').notNull(),
});

export const tokens = pgTable(
  'tokens',
  {
    /** SHA-256 of the clear token; the clear token is shown once at issue and never stored. */
    tokenHash: text('token_hash').notNull(),
    sittingId: integer('sitting_id').notNull(),
    voterGroup: text('voter_group').notNull(),
    batchId: integer('batch_id').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    spent: boolean('spent').notNull().default(false),
    /** H("dedupe" ‖ submissionId) once spent: lets a retry get its receipt; the id itself is never stored. */
    dedupeHash: text('dedupe_hash'),
  },
  (t) => [
    // A partitioned table's primary key must hold the partition key; a token hash is still
    // unique across sittings through token_sittings' primary key.
    primaryKey({ columns: [t.tokenHash, t.sittingId] }),
    // Kept for parity with SQLite, where the close needs it to find a sitting's slips; here each
    // partition is one sitting, so it is tiny (one key, deduplicated) and never read.
    index('tokens_sitting').on(t.sittingId),
  ],
);

/**
 * Which sitting a token belongs to: a voter's submit knows only its token, and a lookup by hash
 * alone on the partitioned `tokens` would probe every sitting's partition. One row per token,
 * written by a trigger when the token is issued (and removed when it is deleted), never updated:
 * it holds no spend and lies in issue order, which the organiser who handed the slips out knows
 * anyway. PostgreSQL only (schema-parity.test.ts).
 */
export const tokenSittings = pgTable('token_sittings', {
  tokenHash: text('token_hash').primaryKey(),
  sittingId: integer('sitting_id').notNull(),
});

/** A sitting's ballots, keyed by sitting and a random id that is renewed at close. */
export const ballots = pgTable(
  'ballots',
  {
    sittingId: integer('sitting_id').notNull(),
    /** 128 random bits, drawn again when the sitting closes. */
    id: text('id').notNull(),
    voterGroup: text('voter_group').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    answers: text('answers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.id] })],
);

/**
 * The receipt board, apart from the ballots: a receipt proves that a ballot was counted and
 * leads to nothing else (no shared row, id, order or time). Derived from the voter's
 * submissionId, which the server never stores.
 */
export const receipts = pgTable(
  'receipts',
  {
    sittingId: integer('sitting_id').notNull(),
    receipt: text('receipt').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.receipt] })],
);

/** The hash chain; `seq` is assigned by the writer (previous + 1), not by the database. */
export const auditLog = pgTable('audit_log', {
  seq: integer('seq').primaryKey(),
  at: epochMs('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/**
 * The throttles' windows (login attempts, slip guesses), shared by every app server on the
 * database. Keyed by an HMAC of what is counted: no address or username is stored.
 */
export const throttleWindows = pgTable('throttle_windows', {
  keyHash: text('key_hash').primaryKey(),
  startedAt: epochMs('started_at').notNull(),
  count: integer('count').notNull(),
  expiresAt: epochMs('expires_at').notNull(),
});

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull().default(''),
});

/**
 * Ballots counted per minute of a sitting, for the live turnout chart: aggregate counts only,
 * incremented inside the submit transaction. No token, no group, no finer time than the minute.
 */
export const turnoutMinutes = pgTable(
  'turnout_minutes',
  {
    sittingId: integer('sitting_id').notNull(),
    /** Minutes since the Unix epoch (floor(ms / 60000)): ~3e7 today, 32 bits last for millennia. */
    minute: integer('minute').notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    ballots: integer('ballots').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sittingId, t.dryRun, t.minute] })],
);

/** Component scores and facts of a subject for grading (GRADING.md §2), entered or imported. */
export const subjectInputs = pgTable(
  'subject_inputs',
  {
    assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
    subjectKey: text('subject_key').notNull(),
    /** SubjectInputs JSON (shared/grading-inputs.ts). */
    inputs: text('inputs').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.subjectKey] })],
);

/** Versions of the grading policy; the newest is the one in force. */
export const gradingPolicies = pgTable('grading_policies', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  policy: text('policy').notNull(),
  createdAt: epochMs('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

/** A grading run keeps the policy, the inputs and the result it produced, overrides included. */
export const gradingRuns = pgTable('grading_runs', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  assessmentId: integer('assessment_id').notNull().references(() => assessments.id),
  policy: text('policy').notNull(),
  input: text('input').notNull(),
  result: text('result').notNull(),
  createdAt: epochMs('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});
