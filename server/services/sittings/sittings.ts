import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import type { CreateSittingRequest, FormSettingsSchema } from '../../../shared/api';
import { buildForm, type Answers, type BallotForm, type BallotSubject, type FormSettings, type SittingStatus } from '../../../shared/forms';
import { tallySitting, type CountedBallot } from '../../../shared/scoring';
import { allows, SITTING_ACTS, TRANSITIONS, type SittingAct } from '../../../shared/sitting-life';
import type { PaperPending, Reconciliation, SittingFlag, SittingResults } from '../../../shared/sitting';
import { discardPendingPaper, pendingPaper } from '../ballot-box/paper-entries';
import { forUpdate, type Db, type Queryable, type Tx } from '../../db/database';
import { assessments, ballots, meta, receipts, sittingGroups, sittingOrganisers, sittings, subjects, tokenBatches, tokens, turnoutMinutes, users } from '../../db/tables';
import type { SessionUser } from '../accounts/accounts';
import type { PrintQueue } from '../slips/slips';
import { ApiError } from '../../http/errors';
import { appendAudit, publishedAuditHead } from '../audit/audit';
import { decodeAnswers } from '../ballot-box/stored-answers';
import { readTurnout, turnoutEvents } from './turnout';

type FormChoice = CreateSittingRequest['forms'][number];

/** A ballot as the close rewrote it, its answers parsed: the close tallies these, it does not read them again. */
export interface RewrittenBallot {
  voterGroup: string;
  dryRun: boolean;
  answers: Answers;
}

function settingsOf(choice: FormChoice): FormSettings {
  if (typeof choice === 'string') return { kind: choice };
  const settings: z.output<typeof FormSettingsSchema> = choice;
  return settings;
}

export async function getSitting(db: Queryable, id: number) {
  const [sitting] = await db.select().from(sittings).where(eq(sittings.id, id)).limit(1);
  if (!sitting) throw new ApiError(404, 'unknown_sitting');
  return sitting;
}

/**
 * The sitting, locked until the transaction ends: for an act that rewrites its ballots' storage
 * (open's rehearsal purge, the close, clearing a rehearsal). On PostgreSQL a cast holds its
 * sitting's row FOR SHARE while it writes: taking the row first waits for the casts in flight
 * and holds new ones back, so the rewrite's table locks never meet a cast halfway (a deadlock).
 */
async function lockSitting(tx: Tx, id: number) {
  const [sitting] = await forUpdate(tx.select().from(sittings).where(eq(sittings.id, id)));
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
export async function sittingDetail(db: Queryable, id: number) {
  const s = await getSitting(db, id);
  const flags: SittingFlag[] = s.flags ? (JSON.parse(s.flags) as SittingFlag[]) : [];
  return { id: s.id, assessmentId: s.assessmentId, name: s.name, status: s.status, k: s.k, minTurnout: s.minTurnout, flags, forms: sittingForms(s) };
}

/** Creates a sitting in draft: its forms are frozen with the chosen subjects. */
export async function createSitting(db: Db, actor: string, assessmentId: number, request: CreateSittingRequest): Promise<number> {
  const keys = [...new Set(request.subjectKeys)];
  const rows = await db
    .select()
    .from(subjects)
    .where(and(eq(subjects.assessmentId, assessmentId), inArray(subjects.key, keys)));
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

  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(sittings)
      .values({
        assessmentId,
        name: request.name,
        forms: JSON.stringify(forms),
        k: request.k ?? 5,
        minTurnout: request.minTurnout ?? 2 / 3,
        createdAt: Date.now(),
      })
      .returning({ id: sittings.id });
    const { id } = created!;
    if (request.voterGroups.length > 0) {
      await tx.insert(sittingGroups).values(request.voterGroups.map((g, position) => ({ sittingId: id, name: g.name, weight: g.weight, position })));
    }
    await appendAudit(tx, actor, 'sitting.create', `sitting:${id}`, { assessmentId, name: request.name, forms: kinds, subjects: keys.length, voterGroups: request.voterGroups });
    return id;
  });
}

/** draft → rehearsal: only practice (dry-run) slips vote until the sitting opens for real. */
export async function rehearseSitting(db: Db, actor: string, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const sitting = await getSitting(tx, id);
    if (sitting.status === TRANSITIONS.rehearse) return;
    requireAct(sitting, 'rehearse');
    await tx.update(sittings).set({ status: 'rehearsal' }).where(eq(sittings.id, id));
    await appendAudit(tx, actor, 'sitting.rehearse', `sitting:${id}`, {});
  });
  turnoutEvents(db).changed(id);
}

/**
 * draft or rehearsal → open, or closed → open again (an audited reopen) while results are
 * unpublished. Opening for real purges the rehearsal's ballots: practice votes never stay
 * beside real ones.
 */
export async function openSitting(db: Db, actor: string, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const sitting = await lockSitting(tx, id);
    if (sitting.status === TRANSITIONS.open) return;
    requireAct(sitting, 'open');
    const reopen = sitting.status === 'closed';
    const purgedRehearsalBallots = reopen ? 0 : await db.$engine.purgeRehearsal(tx, id);
    await tx.update(sittings).set({ status: 'open', openedAt: sitting.openedAt ?? Date.now(), results: null, flags: null }).where(eq(sittings.id, id));
    if (reopen) await appendAudit(tx, actor, 'sitting.reopen', `sitting:${id}`, { k: sitting.k, releasedBallots: sitting.releasedBallots });
    else await appendAudit(tx, actor, 'sitting.open', `sitting:${id}`, { k: sitting.k, purgedRehearsalBallots });
  });
  turnoutEvents(db).changed(id);
}

/**
 * open → closed: no ballot is accepted after this. The tally and test scores are computed
 * once and stored with the reconciliation of SECURITY.md. The sitting's ballots are laid out
 * again in a random order (the engine's rewriteLayout: db/sqlite-layout.ts, db/pg-layout.ts),
 * and after the commit whatever copy of the old order the engine still keeps (SQLite's WAL)
 * goes (afterClose), so no copy of the files keeps the order in which they arrived.
 *
 * After a reopen, the results are withheld unless at least k ballots were added since the
 * results last released: otherwise the difference between the two would be those few ballots.
 */
export async function closeSitting(db: Db, actor: string, id: number, options: { discardPendingPaper?: boolean } = {}): Promise<SittingResults> {
  const results = await db.transaction(async (tx) => {
    const sitting = await lockSitting(tx, id);
    requireAct(sitting, 'close');
    // A paper ballot half entered would be lost silently: the admin confirms it, and it is audited.
    const paper = await pendingPaper(tx, id);
    if (paper.awaitingSecond + paper.conflicts > 0) {
      if (!options.discardPendingPaper) throw new ApiError(409, 'paper_entries_pending', { pending: paper.awaitingSecond + paper.conflicts, ...paper });
      await discardPendingPaper(tx, actor, id, paper);
    }
    // The ballots the rewrite read are the ones tallied: read and parsed once, in the same transaction.
    const forms = sittingForms(sitting);
    const rewritten: RewrittenBallot[] = (await db.$engine.rewriteLayout(tx, id)).map((b) => ({ voterGroup: b.voterGroup, dryRun: b.dryRun, answers: decodeAnswers(forms, b.answers) }));
    const computed = withholdAfterReopen(await computeResults(tx, id, 'closed', rewritten, paper), sitting.releasedBallots);
    const released = computed.withheld ? sitting.releasedBallots : computed.ballots;
    await appendAudit(tx, actor, 'sitting.close', `sitting:${id}`, { reconciliation: computed.reconciliation, flags: computed.flags, withheld: computed.withheld ?? null });
    // Stored with the results, so the reconciliation shows the head it was closed under, also later.
    const closed: SittingResults = { ...computed, closeAuditHead: await publishedAuditHead(tx) };
    await tx
      .update(sittings)
      .set({ status: 'closed', closedAt: Date.now(), results: JSON.stringify(closed), flags: JSON.stringify(computed.flags), releasedBallots: released })
      .where(eq(sittings.id, id));
    return closed;
  });
  db.$engine.afterClose();
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

export async function rescoreUnpooledResults(db: Db): Promise<number> {
  // Done once per database: the marker spares every later start a scan of all stored results.
  const [marked] = await db.select({ key: meta.key }).from(meta).where(eq(meta.key, RESCORED)).limit(1);
  if (marked) return 0;
  const stale = await db
    .select({ id: sittings.id, status: sittings.status, results: sittings.results })
    .from(sittings)
    .where(and(inArray(sittings.status, SITTING_ACTS.readResults), sql`${sittings.results} IS NOT NULL AND ${sittings.results} NOT LIKE '%"pooled"%'`))
    .orderBy(asc(sittings.id));
  for (const { id, status } of stale) {
    await db.transaction(async (tx) => {
      const computed = await computeResults(tx, id, status);
      await tx.update(sittings).set({ results: JSON.stringify(computed), flags: JSON.stringify(computed.flags) }).where(eq(sittings.id, id));
      await appendAudit(tx, 'system', 'sitting.rescore', `sitting:${id}`, { reason: 'pool_hidden_groups' });
    });
  }
  await db.insert(meta).values({ key: RESCORED, value: '1' }).onConflictDoNothing();
  return stale.length;
}

/**
 * The tally, scores and reconciliation of a sitting from its stored ballots. The close passes the
 * ballots its layout rewrite has just read and parsed (`rewritten`, in the same transaction), so
 * they are neither read nor parsed a second time.
 */
export async function computeResults(
  db: Queryable,
  id: number,
  status: SittingStatus,
  rewritten?: readonly RewrittenBallot[],
  paperPendingGiven?: PaperPending,
): Promise<SittingResults> {
  const paperPending = paperPendingGiven ?? (await pendingPaper(db, id));
  const sitting = await getSitting(db, id);
  const forms = sittingForms(sitting);
  const groups = await db.select().from(sittingGroups).where(eq(sittingGroups.sittingId, id)).orderBy(asc(sittingGroups.position));
  const counted: CountedBallot[] = rewritten
    ? rewritten.filter((b) => !b.dryRun)
    : (
        await db
          .select({ voterGroup: ballots.voterGroup, answers: ballots.answers })
          .from(ballots)
          .where(and(eq(ballots.sittingId, id), eq(ballots.dryRun, false)))
      ).map((b) => ({ voterGroup: b.voterGroup, answers: decodeAnswers(forms, b.answers) }));
  const dryRunBallots = rewritten
    ? rewritten.length - counted.length
    : (
        await db
          .select({ n: count() })
          .from(ballots)
          .where(and(eq(ballots.sittingId, id), eq(ballots.dryRun, true)))
      )[0]!.n;
  const turnout = await readTurnout(db, id);
  const [printedRow] = await db
    .select({ n: sql<number>`coalesce(sum(${tokenBatches.printed}), 0)`.mapWith(Number) })
    .from(tokenBatches)
    .where(and(eq(tokenBatches.sittingId, id), eq(tokenBatches.dryRun, false)));
  const printed = printedRow!.n;
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
 * (`resultsCache`) for the next read of the same text.
 */
export async function sittingResults(db: Db, id: number): Promise<SittingResults> {
  const cache = resultsCache(db);
  const cached = cache.get(id);
  if (cached) {
    // Whether the stored text is still the one parsed, compared inside the database: reading
    // the ~100 KB text of a plenary's results into a string costs 20x more. (`=` is NULL, so
    // not the same, when there are none; SQLite answers 1/0, PostgreSQL true/false.)
    const [row] = await db
      .select({ status: sittings.status, same: sql<boolean>`${sittings.results} = ${cached.text}`.mapWith((v: unknown) => v === true || v === 1 || v === 't') })
      .from(sittings)
      .where(eq(sittings.id, id))
      .limit(1);
    if (!row) throw new ApiError(404, 'unknown_sitting');
    requireAct(row, 'readResults');
    if (row.same && row.status === cached.results.status) return cached.results;
    cache.delete(id);
  }
  const [row] = await db.select({ status: sittings.status, results: sittings.results }).from(sittings).where(eq(sittings.id, id)).limit(1);
  if (!row) throw new ApiError(404, 'unknown_sitting');
  requireAct(row, 'readResults');
  if (!row.results) return normalised(await computeResults(db, id, row.status), row.status);
  const results = deepFreeze(normalised(JSON.parse(row.results) as SittingResults, row.status));
  cache.set(id, { text: row.results, results });
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

type ResultsCache = Map<number, { text: string; results: SittingResults }>;

const resultsCaches = new WeakMap<Db, ResultsCache>();

function resultsCache(db: Db): ResultsCache {
  let cache = resultsCaches.get(db);
  if (!cache) resultsCaches.set(db, (cache = new Map()));
  return cache;
}

/** The bulletin board: every counted receipt of a closed sitting, sorted. */
export async function receiptBoard(db: Queryable, id: number): Promise<string[]> {
  const sitting = await getSitting(db, id);
  requireAct(sitting, 'readResults');
  const rows = await db
    .select({ receipt: receipts.receipt })
    .from(receipts)
    .where(and(eq(receipts.sittingId, id), eq(receipts.dryRun, false)));
  return rows.map((r) => r.receipt).sort();
}

/**
 * closed → published: the sitting's aggregates are final. A published sitting cannot be
 * reopened (openSitting refuses it); publishing twice is harmless.
 */
export async function publishSitting(db: Db, actor: string, id: number): Promise<void> {
  await db.transaction((tx) => publishSittingIn(tx, db, actor, id));
}

/**
 * The publishing of one sitting inside a caller's transaction (an assessment publishes all of its own).
 * Every query goes through `tx`; `_db` is no longer needed and stays only for the callers' sake.
 */
export async function publishSittingIn(tx: Tx, _db: Db, actor: string, id: number): Promise<void> {
  const sitting = await getSitting(tx, id);
  if (sitting.status === TRANSITIONS.publish) return;
  requireAct(sitting, 'publish');
  await tx.update(sittings).set({ status: 'published' }).where(eq(sittings.id, id));
  await appendAudit(tx, actor, 'sitting.publish', `sitting:${id}`, {});
}

/** The sittings a user may see: all for an admin, the assigned ones for an organiser. */
export async function visibleSittings(db: Queryable, user: SessionUser) {
  const query = db
    .select({ id: sittings.id, name: sittings.name, status: sittings.status, assessmentId: sittings.assessmentId, assessmentName: assessments.name, year: assessments.year })
    .from(sittings)
    .innerJoin(assessments, eq(assessments.id, sittings.assessmentId));
  const rows =
    user.role === 'admin'
      ? await query.orderBy(desc(sittings.id))
      : await query
          .where(inArray(sittings.id, db.select({ id: sittingOrganisers.sittingId }).from(sittingOrganisers).where(eq(sittingOrganisers.userId, user.id))))
          .orderBy(desc(sittings.id));
  return rows;
}

/** What the sitting page needs beside the sitting itself: groups, batches, organisers. */
export async function sittingOverview(db: Queryable, user: SessionUser, id: number, printQueue: PrintQueue) {
  const sitting = await getSitting(db, id);
  const groups = await db
    .select({ name: sittingGroups.name, weight: sittingGroups.weight })
    .from(sittingGroups)
    .where(eq(sittingGroups.sittingId, id))
    .orderBy(asc(sittingGroups.position));
  const batches = (
    await db
      .select({ id: tokenBatches.id, voterGroup: tokenBatches.voterGroup, count: tokenBatches.count, dryRun: tokenBatches.dryRun, printed: tokenBatches.printed, createdAt: tokenBatches.createdAt })
      .from(tokenBatches)
      .where(eq(tokenBatches.sittingId, id))
      .orderBy(asc(tokenBatches.id))
  ).map((b) => ({ ...b, printable: printQueue.get(b.id) !== undefined }));
  const organisers =
    user.role === 'admin'
      ? await db
          .select({ id: users.id, username: users.username })
          .from(sittingOrganisers)
          .innerJoin(users, eq(users.id, sittingOrganisers.userId))
          .where(eq(sittingOrganisers.sittingId, id))
          .orderBy(asc(users.username))
      : [];
  const subjectCount = new Set(sittingForms(sitting).flatMap((f) => f.subjects.map((s) => s.id))).size;
  return { groups, batches, organisers, subjectCount, assessmentId: sitting.assessmentId };
}

/**
 * Removes a rehearsal: the dry-run tokens, ballots, batches and counters of a sitting, in one
 * audited transaction. Real slips and ballots are untouched.
 */
export async function clearDryRun(db: Db, actor: string, id: number): Promise<{ tokens: number; ballots: number }> {
  const cleared = await db.transaction(async (tx) => {
    const sitting = await lockSitting(tx, id);
    requireAct(sitting, 'clearRehearsal');
    const removedTokens = (await tx.delete(tokens).where(and(eq(tokens.sittingId, id), eq(tokens.dryRun, true)))).rowCount ?? 0;
    const removedBallots = await db.$engine.purgeRehearsal(tx, id);
    await tx.delete(tokenBatches).where(and(eq(tokenBatches.sittingId, id), eq(tokenBatches.dryRun, true)));
    await tx.delete(turnoutMinutes).where(and(eq(turnoutMinutes.sittingId, id), eq(turnoutMinutes.dryRun, true)));
    await tx.update(sittingGroups).set({ dryRunIssued: 0, dryRunUsed: 0 }).where(eq(sittingGroups.sittingId, id));
    await appendAudit(tx, actor, 'sitting.clear_dry_run', `sitting:${id}`, { tokens: removedTokens, ballots: removedBallots });
    return { tokens: removedTokens, ballots: removedBallots };
  });
  turnoutEvents(db).changed(id);
  return cleared;
}
