import type { Statement } from 'better-sqlite3';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import type { CreateSittingRequest, FormSettingsSchema } from '../../../shared/api';
import { buildForm, type BallotForm, type BallotSubject, type FormSettings, type SittingStatus } from '../../../shared/forms';
import { tallySitting, type CountedBallot } from '../../../shared/scoring';
import { allows, SITTING_ACTS, TRANSITIONS, type SittingAct } from '../../../shared/sitting-life';
import type { PaperPending, Reconciliation, SittingFlag, SittingResults } from '../../../shared/sitting';
import { discardPendingPaper, pendingPaper } from '../ballot-box/paper-entries';
import type { Db } from '../../db/open';
import { assessments, ballots, meta, receipts, sittingGroups, sittingOrganisers, sittings, subjects, tokenBatches, tokens, turnoutMinutes, users } from '../../db/schema';
import type { SessionUser } from '../accounts/accounts';
import type { PrintQueue } from '../slips/slips';
import { ApiError } from '../../http/errors';
import { appendAudit, publishedAuditHead, type Tx } from '../audit/audit';
import { decodeAnswers } from '../ballot-box/stored-answers';
import { checkpointTruncate, purgeRehearsal, shuffleSittingLayout, type RewrittenBallot } from './layout';
import { readTurnout, turnoutEvents } from './turnout';

type FormChoice = CreateSittingRequest['forms'][number];

function settingsOf(choice: FormChoice): FormSettings {
  if (typeof choice === 'string') return { kind: choice };
  const settings: z.output<typeof FormSettingsSchema> = choice;
  return settings;
}

export function getSitting(db: Db, id: number) {
  const sitting = db.select().from(sittings).where(eq(sittings.id, id)).get();
  if (!sitting) throw new ApiError(404, 'unknown_sitting');
  return sitting;
}

/** Refuses an act the sitting's state does not allow (shared/sitting-life.ts): 409 with the state. */
export function requireAct(sitting: { status: SittingStatus }, act: SittingAct): void {
  if (allows(act, sitting.status)) return;
  if (act === 'readResults') throw new ApiError(409, 'sitting_not_closed');
  throw new ApiError(409, 'invalid_state', { status: sitting.status });
}

export function sittingForms(sitting: { forms: string }): BallotForm[] {
  return JSON.parse(sitting.forms) as BallotForm[];
}

/** A sitting as the console shows it: its stored JSON columns parsed, so no answer carries a JSON string. */
export function sittingDetail(db: Db, id: number) {
  const s = getSitting(db, id);
  const flags: SittingFlag[] = s.flags ? (JSON.parse(s.flags) as SittingFlag[]) : [];
  return { id: s.id, assessmentId: s.assessmentId, name: s.name, status: s.status, k: s.k, minTurnout: s.minTurnout, flags, forms: sittingForms(s) };
}

/** Creates a sitting in draft: its forms are frozen with the chosen subjects. */
export function createSitting(db: Db, actor: string, assessmentId: number, request: CreateSittingRequest): number {
  const keys = [...new Set(request.subjectKeys)];
  const rows = db
    .select()
    .from(subjects)
    .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)))
    .all();
  const found = new Map(rows.map((r) => [r.key, r]));
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length > 0) throw new ApiError(400, 'unknown_subjects', { keys: missing.slice(0, 50) });
  const ordered = keys.map((k) => found.get(k)!);
  const groupNames = request.voterGroups.map((g) => g.name);
  if (new Set(groupNames).size !== groupNames.length) throw new ApiError(400, 'invalid_request', { issues: [{ path: 'voterGroups', message: 'duplicate voter group' }] });
  const kinds = request.forms.map((f) => settingsOf(f).kind);
  if (new Set(kinds).size !== kinds.length) throw new ApiError(400, 'invalid_request', { issues: [{ path: 'forms', message: 'duplicate form kind' }] });

  const forms = request.forms.map((choice) => {
    const settings = settingsOf(choice);
    const eligible = ordered.filter((s) => settings.kind === 'political' || s.kind === settings.kind);
    const formSubjects: BallotSubject[] = eligible.map((s) => ({ id: s.id, name: s.name, title: s.title }));
    return buildForm(settings, formSubjects);
  });
  const empty = forms.filter((f) => f.subjects.length === 0).map((f) => f.kind);
  if (empty.length > 0) throw new ApiError(400, 'unknown_subjects', { emptyForms: empty });

  return db.transaction(
    (tx) => {
      const { id } = tx
        .insert(sittings)
        .values({
          assessmentId,
          name: request.name,
          forms: JSON.stringify(forms),
          k: request.k ?? 5,
          minTurnout: request.minTurnout ?? 2 / 3,
          createdAt: Date.now(),
        })
        .returning({ id: sittings.id })
        .get();
      request.voterGroups.forEach((g, position) => tx.insert(sittingGroups).values({ sittingId: id, name: g.name, weight: g.weight, position }).run());
      appendAudit(tx, actor, 'sitting.create', `sitting:${id}`, { assessmentId, name: request.name, forms: kinds, subjects: keys.length, voterGroups: request.voterGroups });
      return id;
    },
    { behavior: 'immediate' },
  );
}

/** draft → rehearsal: only practice (dry-run) slips vote until the sitting opens for real. */
export function rehearseSitting(db: Db, actor: string, id: number): void {
  db.transaction(
    (tx) => {
      const sitting = getSitting(db, id);
      if (sitting.status === TRANSITIONS.rehearse) return;
      requireAct(sitting, 'rehearse');
      tx.update(sittings).set({ status: 'rehearsal' }).where(eq(sittings.id, id)).run();
      appendAudit(tx, actor, 'sitting.rehearse', `sitting:${id}`, {});
    },
    { behavior: 'immediate' },
  );
  turnoutEvents(db).changed(id);
}

/**
 * draft or rehearsal → open, or closed → open again (an audited reopen) while results are
 * unpublished. Opening for real purges the rehearsal's ballots: practice votes never stay
 * beside real ones.
 */
export function openSitting(db: Db, actor: string, id: number): void {
  db.transaction(
    (tx) => {
      const sitting = getSitting(db, id);
      if (sitting.status === TRANSITIONS.open) return;
      requireAct(sitting, 'open');
      const reopen = sitting.status === 'closed';
      const purgedRehearsalBallots = reopen ? 0 : purgeRehearsal(tx, id);
      tx.update(sittings).set({ status: 'open', openedAt: sitting.openedAt ?? Date.now(), results: null, flags: null }).where(eq(sittings.id, id)).run();
      if (reopen) appendAudit(tx, actor, 'sitting.reopen', `sitting:${id}`, { k: sitting.k, releasedBallots: sitting.releasedBallots });
      else appendAudit(tx, actor, 'sitting.open', `sitting:${id}`, { k: sitting.k, purgedRehearsalBallots });
    },
    { behavior: 'immediate' },
  );
  turnoutEvents(db).changed(id);
}

/**
 * open → closed: no ballot is accepted after this. The tally and test scores are computed
 * once and stored with the reconciliation of SECURITY.md. The sitting's ballots are laid out
 * again in a random order and the WAL is checkpointed and truncated, so no copy of the files
 * keeps the order in which they arrived (services/sittings/layout.ts).
 *
 * After a reopen, the results are withheld unless at least k ballots were added since the
 * results last released: otherwise the difference between the two would be those few ballots.
 */
export function closeSitting(db: Db, actor: string, id: number, options: { discardPendingPaper?: boolean } = {}): SittingResults {
  const results = db.transaction(
    (tx) => {
      const sitting = getSitting(db, id);
      requireAct(sitting, 'close');
      // A paper ballot half entered would be lost silently: the admin confirms it, and it is audited.
      const paper = pendingPaper(tx, id);
      if (paper.awaitingSecond + paper.conflicts > 0) {
        if (!options.discardPendingPaper) throw new ApiError(409, 'paper_entries_pending', { pending: paper.awaitingSecond + paper.conflicts, ...paper });
        discardPendingPaper(tx, actor, id, paper);
      }
      // The ballots the rewrite read are the ones tallied: read and parsed once, in the same transaction.
      const computed = withholdAfterReopen(computeResults(db, id, 'closed', shuffleSittingLayout(db, id, sittingForms(sitting)), paper), sitting.releasedBallots);
      const released = computed.withheld ? sitting.releasedBallots : computed.ballots;
      appendAudit(tx, actor, 'sitting.close', `sitting:${id}`, { reconciliation: computed.reconciliation, flags: computed.flags, withheld: computed.withheld ?? null });
      // Stored with the results, so the reconciliation shows the head it was closed under, also later.
      const closed: SittingResults = { ...computed, closeAuditHead: publishedAuditHead(tx) };
      tx.update(sittings)
        .set({ status: 'closed', closedAt: Date.now(), results: JSON.stringify(closed), flags: JSON.stringify(computed.flags), releasedBallots: released })
        .where(eq(sittings.id, id))
        .run();
      return closed;
    },
    { behavior: 'immediate' },
  );
  checkpointTruncate(db);
  turnoutEvents(db).changed(id);
  return results;
}

/** Results that would differ from the released ones by fewer than k ballots publish no per-subject numbers. */
function withholdAfterReopen(results: SittingResults, releasedBallots: number | null): SittingResults {
  if (releasedBallots === null || results.withheld) return results;
  const newBallots = results.ballots - releasedBallots;
  if (newBallots === 0 || newBallots >= results.k) return results;
  return { ...results, forms: [], groups: results.groups.map((g) => ({ ...g, shown: false, pooled: false })), withheld: { reason: 'reopen_below_k', newBallots, k: results.k } };
}

/**
 * Results stored before hidden groups were pooled (SECURITY.md, no differencing through scores)
 * let a hidden voter's rating be solved from the scores: they are computed again, once, at start.
 * Their ballots are unchanged; only the published numbers change, and the act is audited.
 */
const RESCORED = 'results_pooled';

export function rescoreUnpooledResults(db: Db): number {
  // Done once per database: the marker spares every later start a scan of all stored results.
  if (db.select({ key: meta.key }).from(meta).where(eq(meta.key, RESCORED)).get()) return 0;
  const stale = db
    .select({ id: sittings.id, status: sittings.status, results: sittings.results })
    .from(sittings)
    .where(and(inArray(sittings.status, SITTING_ACTS.readResults), sql`${sittings.results} IS NOT NULL AND ${sittings.results} NOT LIKE '%"pooled"%'`))
    .all();
  for (const { id, status } of stale) {
    db.transaction(
      (tx) => {
        const computed = computeResults(db, id, status);
        tx.update(sittings).set({ results: JSON.stringify(computed), flags: JSON.stringify(computed.flags) }).where(eq(sittings.id, id)).run();
        appendAudit(tx, 'system', 'sitting.rescore', `sitting:${id}`, { reason: 'pool_hidden_groups' });
      },
      { behavior: 'immediate' },
    );
  }
  db.insert(meta).values({ key: RESCORED, value: '1' }).onConflictDoNothing().run();
  return stale.length;
}

/**
 * The tally, scores and reconciliation of a sitting from its stored ballots. The close passes the
 * ballots its layout rewrite has just read and parsed (`rewritten`, in the same transaction), so
 * they are neither read nor parsed a second time.
 */
export function computeResults(db: Db, id: number, status: SittingStatus, rewritten?: readonly RewrittenBallot[], paperPending: PaperPending = pendingPaper(db, id)): SittingResults {
  const sitting = getSitting(db, id);
  const forms = sittingForms(sitting);
  const groups = db.select().from(sittingGroups).where(eq(sittingGroups.sittingId, id)).orderBy(asc(sittingGroups.position)).all();
  const counted: CountedBallot[] = rewritten
    ? rewritten.filter((b) => !b.dryRun)
    : db
        .select({ voterGroup: ballots.voterGroup, answers: ballots.answers })
        .from(ballots)
        .where(and(eq(ballots.sittingId, id), eq(ballots.dryRun, false)))
        .all()
        .map((b) => ({ voterGroup: b.voterGroup, answers: decodeAnswers(forms, b.answers) }));
  const dryRunBallots = rewritten
    ? rewritten.length - counted.length
    : db
        .select({ n: sql<number>`count(*)` })
        .from(ballots)
        .where(and(eq(ballots.sittingId, id), eq(ballots.dryRun, true)))
        .get()!.n;
  const turnout = readTurnout(db, id);
  const printed = db
    .select({ n: sql<number>`coalesce(sum(${tokenBatches.printed}), 0)` })
    .from(tokenBatches)
    .where(and(eq(tokenBatches.sittingId, id), eq(tokenBatches.dryRun, false)))
    .get()!.n;
  const reconciliation: Reconciliation = {
    issued: turnout.issued,
    printed,
    dryRun: { issued: turnout.dryRun.issued, used: turnout.dryRun.used, ballots: dryRunBallots },
    used: turnout.used,
    unused: turnout.issued - turnout.used,
    ballots: counted.length,
    phone: counted.length - sitting.paperBallots,
    paper: sitting.paperBallots,
    paperPending,
    balanced: counted.length === turnout.used && counted.length <= turnout.issued,
  };
  const flags: SittingFlag[] = [];
  if (counted.length > turnout.issued) flags.push('ballots_exceed_slips');
  if (counted.length !== turnout.used) flags.push('ballots_differ_from_used');
  if (turnout.issued > 0 && counted.length < sitting.minTurnout * turnout.issued) flags.push('low_turnout');
  const tally = tallySitting(forms, counted, groups, { k: sitting.k });
  return { sittingId: id, status, ...tally, reconciliation, flags, void: flags.includes('ballots_exceed_slips') };
}

/**
 * The stored results of a closed sitting; nobody, admins included, sees results while it is open.
 * Results are computed once, at close: a read parses the stored JSON, and keeps what it parsed
 * (`readCache`) for the next read of the same bytes.
 */
export function sittingResults(db: Db, id: number): SittingResults {
  const { cache, readCached, readStored } = readCache(db);
  const cached = cache.get(id);
  if (cached) {
    // Whether the stored text is still byte for byte the one parsed, compared inside SQLite:
    // reading the ~100 KB text of a plenary's results into a string costs 20x more.
    const row = readCached.get(cached.bytes, id) as { status: SittingStatus; same: number } | undefined;
    if (!row) throw new ApiError(404, 'unknown_sitting');
    requireAct(row, 'readResults');
    if (row.same === 1 && row.status === cached.results.status) return cached.results;
    cache.delete(id);
  }
  const row = readStored.get(id) as { status: SittingStatus; results: string | null } | undefined;
  if (!row) throw new ApiError(404, 'unknown_sitting');
  requireAct(row, 'readResults');
  if (!row.results) return normalised(computeResults(db, id, row.status), row.status);
  const results = deepFreeze(normalised(JSON.parse(row.results) as SittingResults, row.status));
  cache.set(id, { bytes: Buffer.from(row.results), results });
  // A few sittings' results at most (a plenary's: ~100 KB of text, a few hundred KB parsed).
  for (const oldest of cache.keys()) {
    if (cache.size <= RESULTS_CACHED) break;
    cache.delete(oldest);
  }
  return results;
}

const RESULTS_CACHED = 8;

/** Results stored by an earlier release, until the start rescores them, lack `pooled`: nothing was pooled then. */
function normalised(stored: SittingResults, status: SittingStatus): SittingResults {
  // Closed before paper ballots were counted apart: every ballot came from a phone.
  const r = stored.reconciliation;
  const reconciliation = { ...r, phone: r.phone ?? r.ballots, paper: r.paper ?? 0, paperPending: r.paperPending ?? { awaitingSecond: 0, conflicts: 0 } };
  return { ...stored, status, reconciliation, groups: stored.groups.map((g) => ({ ...g, pooled: g.pooled ?? false })) };
}

/** Cached results are shared by every later read: frozen, so that no caller can change them for the next. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

interface ResultsReads {
  cache: Map<number, { bytes: Buffer; results: SittingResults }>;
  readCached: Statement;
  readStored: Statement;
}

const resultsReads = new WeakMap<Db, ResultsReads>();

function readCache(db: Db): ResultsReads {
  let reads = resultsReads.get(db);
  if (!reads) {
    reads = {
      cache: new Map(),
      readCached: db.$client.prepare('SELECT status, CAST(results AS BLOB) IS ? AS same FROM sittings WHERE id = ?'),
      readStored: db.$client.prepare('SELECT status, results FROM sittings WHERE id = ?'),
    };
    resultsReads.set(db, reads);
  }
  return reads;
}

/** The bulletin board: every counted receipt of a closed sitting, sorted. */
export function receiptBoard(db: Db, id: number): string[] {
  const sitting = getSitting(db, id);
  requireAct(sitting, 'readResults');
  return db
    .select({ receipt: receipts.receipt })
    .from(receipts)
    .where(and(eq(receipts.sittingId, id), eq(receipts.dryRun, false)))
    .all()
    .map((r) => r.receipt)
    .sort();
}

/**
 * closed → published: the sitting's aggregates are final. A published sitting cannot be
 * reopened (openSitting refuses it); publishing twice is harmless.
 */
export function publishSitting(db: Db, actor: string, id: number): void {
  db.transaction((tx) => publishSittingIn(tx, db, actor, id), { behavior: 'immediate' });
}

/** The publishing of one sitting inside a caller's transaction (an assessment publishes all of its own). */
export function publishSittingIn(tx: Tx, db: Db, actor: string, id: number): void {
  const sitting = getSitting(db, id);
  if (sitting.status === TRANSITIONS.publish) return;
  requireAct(sitting, 'publish');
  tx.update(sittings).set({ status: 'published' }).where(eq(sittings.id, id)).run();
  appendAudit(tx, actor, 'sitting.publish', `sitting:${id}`, {});
}

/** The sittings a user may see: all for an admin, the assigned ones for an organiser. */
export function visibleSittings(db: Db, user: SessionUser) {
  const query = db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, assessmentId: sittings.assessmentId, assessmentName: assessments.name, year: assessments.year })
    .from(sittings)
    .innerJoin(assessments, eq(assessments.id, sittings.assessmentId));
  const rows =
    user.role === 'admin'
      ? query.orderBy(desc(sittings.id)).all()
      : query
          .where(inArray(sittings.id, db.select({ id: sittingOrganisers.sittingId }).from(sittingOrganisers).where(eq(sittingOrganisers.userId, user.id))))
          .orderBy(desc(sittings.id))
          .all();
  return rows;
}

/** What the sitting page needs beside the sitting itself: groups, batches, organisers. */
export function sittingOverview(db: Db, user: SessionUser, id: number, printQueue: PrintQueue) {
  const sitting = getSitting(db, id);
  const groups = db
    .select({ name: sittingGroups.name, weight: sittingGroups.weight })
    .from(sittingGroups)
    .where(eq(sittingGroups.sittingId, id))
    .orderBy(asc(sittingGroups.position))
    .all();
  const batches = db
    .select({ id: tokenBatches.id, voterGroup: tokenBatches.voterGroup, count: tokenBatches.count, dryRun: tokenBatches.dryRun, printed: tokenBatches.printed, createdAt: tokenBatches.createdAt })
    .from(tokenBatches)
    .where(eq(tokenBatches.sittingId, id))
    .orderBy(asc(tokenBatches.id))
    .all()
    .map((b) => ({ ...b, printable: printQueue.get(b.id) !== undefined }));
  const organisers =
    user.role === 'admin'
      ? db
          .select({ id: users.id, username: users.username })
          .from(sittingOrganisers)
          .innerJoin(users, eq(users.id, sittingOrganisers.userId))
          .where(eq(sittingOrganisers.sittingId, id))
          .orderBy(asc(users.username))
          .all()
      : [];
  const subjectCount = new Set(sittingForms(sitting).flatMap((f) => f.subjects.map((s) => s.id))).size;
  return { groups, batches, organisers, subjectCount, assessmentId: sitting.assessmentId };
}

/**
 * Removes a rehearsal: the dry-run tokens, ballots, batches and counters of a sitting, in one
 * audited transaction. Real slips and ballots are untouched.
 */
export function clearDryRun(db: Db, actor: string, id: number): { tokens: number; ballots: number } {
  const cleared = db.transaction(
    (tx) => {
      const sitting = getSitting(db, id);
      requireAct(sitting, 'clearRehearsal');
      const removedTokens = tx.delete(tokens).where(and(eq(tokens.sittingId, id), eq(tokens.dryRun, true))).run().changes;
      const removedBallots = purgeRehearsal(tx, id);
      tx.delete(tokenBatches).where(and(eq(tokenBatches.sittingId, id), eq(tokenBatches.dryRun, true))).run();
      tx.delete(turnoutMinutes).where(and(eq(turnoutMinutes.sittingId, id), eq(turnoutMinutes.dryRun, true))).run();
      tx.update(sittingGroups).set({ dryRunIssued: 0, dryRunUsed: 0 }).where(eq(sittingGroups.sittingId, id)).run();
      appendAudit(tx, actor, 'sitting.clear_dry_run', `sitting:${id}`, { tokens: removedTokens, ballots: removedBallots });
      return { tokens: removedTokens, ballots: removedBallots };
    },
    { behavior: 'immediate' },
  );
  turnoutEvents(db).changed(id);
  return cleared;
}

