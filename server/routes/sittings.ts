import { Hono } from 'hono';
import * as z from 'zod/mini';
import { streamSSE } from 'hono/streaming';
import { AssignOrganiserRequest, IssueTokensRequest, PaperEntryRequest } from '../../shared/api';
import { PaperEntryResponse, PaperResolveResponse } from '../../shared/contract/paper';
import {
  CloseResponse,
  DryRunClearResponse,
  OpenResponse,
  OrganiserResponse,
  OverviewResponse,
  PublishResponse,
  RehearseResponse,
  SittingDetailResponse,
  SittingResultsSchema,
  SittingsResponse,
  TokensResponse,
  TurnoutMinutesResponse,
  TurnoutSchema,
} from '../../shared/contract/sittings';
import type { Db } from '../db/database';
import { requireRole, sessionCookie, type AuthEnv } from '../http/auth';
import { attachment, postRequired } from '../http/download';
import { ApiError } from '../http/errors';
import { endpoint } from '../http/route';
import { idParam, jsonBody, optionalQuery } from '../http/validate';
import { STREAM_LIMITS } from '../limits';
import type { PaperDesk } from '../services/ballot-box/paper-entries';
import { refuseReservedKeys } from './voter';
import { sessionUser } from '../services/accounts/accounts';
import { appendAudit, publishedAuditHead } from '../services/audit/audit';
import { assertCanWatch, assignOrganiser } from '../services/sittings/access';
import { resultsCsv, resultsXlsx, type ExportInput } from '../services/sittings/export';
import {
  clearDryRun,
  closeSitting,
  getSitting,
  openSitting,
  publishSitting,
  rehearseSitting,
  sittingDetail,
  sittingForms,
  sittingOverview,
  sittingResults,
  visibleSittings,
} from '../services/sittings/sittings';
import { StreamSlots } from '../services/sittings/stream-limits';
import { readTurnout, turnoutByMinute, turnoutEvents } from '../services/sittings/turnout';
import { issueBatch, type PrintQueue } from '../services/slips/slips';
import { listSubjects } from '../services/subjects/subjects';

export interface SittingDeps {
  db: Db;
  printQueue: PrintQueue;
  paperDesk: PaperDesk;
}

const paperEntry = endpoint({
  summary:
    'Enter a paper ballot (double entry): { token, answers } as in /api/voter/submit. Cast only once two different clerks (organisers of the sitting, or admins) entered the same answers; a disagreement is a conflict listing the differing cells only. Neither clerk sees the other entry',
  errors: { 404: ['unknown_token', 'unknown_sitting'], 409: ['token_used', 'same_clerk'], 422: ['invalid_answers'], 423: ['sitting_not_open', 'sitting_closed', 'rehearsal_over'] },
  responses: { 201: PaperEntryResponse },
});
const paperResolve = endpoint({
  summary: 'Resolve a paper entry conflict with the answers on the paper (admin, audited without the token or the answers)',
  errors: { 404: ['unknown_token', 'no_paper_conflict'], 409: ['token_used'], 422: ['invalid_answers'], 423: ['sitting_not_open', 'sitting_closed', 'rehearsal_over'] },
  responses: { 200: PaperResolveResponse },
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const list = endpoint({
  summary: 'The sittings the user may see: all for an admin, the assigned ones for an organiser',
  responses: { 200: SittingsResponse },
});
const detail = endpoint({
  summary: 'A sitting with its forms and state',
  errors: { 404: ['unknown_sitting'] },
  responses: { 200: SittingDetailResponse },
});
const overview = endpoint({
  summary: 'Voter groups, slip batches and organisers of a sitting',
  errors: { 404: ['unknown_sitting'] },
  responses: { 200: OverviewResponse },
});
const rehearse = endpoint({
  summary: 'Start the rehearsal of a draft sitting: only practice (dry-run) slips vote until it opens',
  errors: { 404: ['unknown_sitting'], 409: ['invalid_state'] },
  responses: { 200: RehearseResponse },
});
const open = endpoint({
  summary:
    'Open a draft or rehearsing sitting (purging the rehearsal ballots, audited), or reopen a closed one before publication; after a reopen, results are withheld unless at least k ballots are added',
  errors: { 404: ['unknown_sitting'], 409: ['invalid_state'] },
  responses: { 200: OpenResponse },
});
const CloseQuery = z.object({ discardPendingPaper: z.optional(z.enum(['true', 'false'])) });
const close = endpoint({
  summary:
    'Close a sitting: tally, reconciliation, flags; auditHead is the head including the close entry. Paper entries still waiting for a second clerk or in conflict refuse the close (409 paper_entries_pending, details: pending entries, awaitingSecond and conflicts in slips) unless ?discardPendingPaper=true confirms they are discarded (audited; counted in reconciliation.paperPending)',
  errors: { 404: ['unknown_sitting'], 409: ['invalid_state', 'paper_entries_pending'] },
  responses: { 200: CloseResponse },
});
const publish = endpoint({
  summary: 'Publish a closed sitting (it can no longer be reopened)',
  errors: { 404: ['unknown_sitting'], 409: ['invalid_state'] },
  responses: { 200: PublishResponse },
});
const tokens = endpoint({
  summary:
    'Issue a batch of one-time tokens (clear tokens returned once); practice (dryRun) batches only before the sitting opens; warnings has batch_below_k for any group below k',
  errors: { 400: ['unknown_voter_group'], 404: ['unknown_sitting'], 409: ['invalid_state', 'rehearsal_only'] },
  responses: { 201: TokensResponse },
});
const dryRunClear = endpoint({
  summary: 'Delete the dry-run tokens, ballots and counters of a sitting',
  errors: { 404: ['unknown_sitting'], 409: ['invalid_state'] },
  responses: { 200: DryRunClearResponse },
});
const organisers = endpoint({
  summary: 'Assign an organiser to a sitting',
  errors: { 404: ['unknown_sitting'] },
  responses: { 200: OrganiserResponse },
});
const turnout = endpoint({
  summary: 'Slips used / issued, overall and per voter group',
  errors: { 404: ['unknown_sitting'] },
  responses: { 200: TurnoutSchema },
});
const turnoutStream = endpoint({
  summary: 'Turnout as server-sent events (event: turnout); at most 10 per session and 200 in all; a stream ends when its session ends (logout or expiry)',
  errors: { 404: ['unknown_sitting'], 429: ['too_many_streams'] },
  files: { 200: 'text/event-stream' },
});
const turnoutMinutes = endpoint({
  summary: 'Ballots per minute (aggregate counters), real and dry-run apart',
  errors: { 404: ['unknown_sitting'] },
  responses: { 200: TurnoutMinutesResponse },
});
const results = endpoint({
  summary:
    'Tallies and test scores after close; groups below k are hidden and scored as one pool; withheld (too_few_ballots, reopen_below_k) means no per-subject numbers; closeAuditHead is the audit head right after the close',
  errors: { 404: ['unknown_sitting'], 409: ['sitting_not_closed'] },
  responses: { 200: SittingResultsSchema },
});
const exportRefused = endpoint({ summary: 'Refused: exports are audited, so they come only from a POST', errors: { 405: ['post_required'] } });
const resultsCsvFile = endpoint({
  summary: "Tally export as CSV (UTF-8 BOM, formula-injection escaped); small groups suppressed; last row 审计链头 audit head (AuditHead, including this export's audit entry)",
  errors: { 404: ['unknown_sitting'], 409: ['sitting_not_closed'] },
  files: { 200: 'text/csv' },
});
const resultsXlsxFile = endpoint({
  summary: "Tally, scores, shown group breakdowns and reconciliation as XLSX; the summary sheet ends with 审计链头 audit head (AuditHead, including this export's audit entry)",
  errors: { 404: ['unknown_sitting'], 409: ['sitting_not_closed'] },
  files: { 200: XLSX },
});

/**
 * What a results file is built from. The export's audit entry is appended once the results are
 * known to exist (a refused export records nothing) and before the file is rendered, so the head
 * the file prints includes its own export entry.
 */
async function exportInput(db: Db, sittingId: number, actor: string, format: 'csv' | 'xlsx'): Promise<ExportInput> {
  const sitting = await getSitting(db, sittingId);
  const results = await sittingResults(db, sittingId);
  const keys = new Map((await listSubjects(db, sitting.assessmentId)).map((s) => [s.id, s.key]));
  // One transaction: the entry and the head read right after it, with no other entry in between.
  const auditHead = await db.transaction(async (tx) => {
    await appendAudit(tx, actor, 'results.export', `sitting:${sittingId}`, { format });
    return publishedAuditHead(tx);
  });
  return { sittingName: sitting.name, forms: sittingForms(sitting), results, keys, auditHead };
}

/**
 * /api/admin/sittings: a sitting's life (rehearse, open, close, publish), its slips, turnout,
 * results and exports. Organisers watch and print the sittings assigned to them; every act
 * that changes a sitting is an admin's.
 */
export function sittingRoutes({ db, printQueue, paperDesk }: SittingDeps) {
  const adminOnly = requireRole(db, 'admin');
  const staff = requireRole(db, 'admin', 'organiser');
  const streams = new StreamSlots(STREAM_LIMITS.perSession, STREAM_LIMITS.total);

  return new Hono<AuthEnv>()
    .get('/', staff, list.doc, async (c) => list.json(c, { sittings: await visibleSittings(db, c.var.user) }, 200))
    .get('/:id', staff, detail.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      return detail.json(c, await sittingDetail(db, id), 200);
    })
    .get('/:id/overview', staff, overview.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      return overview.json(c, await sittingOverview(db, c.var.user, id, printQueue), 200);
    })
    .post('/:id/rehearse', adminOnly, rehearse.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await rehearseSitting(db, c.var.user.username, id);
      return rehearse.json(c, { id, status: 'rehearsal' }, 200);
    })
    .post('/:id/open', adminOnly, open.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await openSitting(db, c.var.user.username, id);
      return open.json(c, { id, status: 'open' }, 200);
    })
    .post('/:id/close', adminOnly, close.doc, optionalQuery(CloseQuery), async (c) => {
      const id = idParam(c.req.param('id'));
      const closed = await closeSitting(db, c.var.user.username, id, { discardPendingPaper: c.req.query('discardPendingPaper') === 'true' });
      // Read after closeSitting committed: the head includes the close entry (and any entry appended since).
      return close.json(c, { id, status: 'closed', reconciliation: closed.reconciliation, flags: closed.flags, auditHead: await publishedAuditHead(db) }, 200);
    })
    .post('/:id/publish', adminOnly, publish.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await publishSitting(db, c.var.user.username, id);
      return publish.json(c, { id, status: 'published' }, 200);
    })
    .post('/:id/tokens', adminOnly, tokens.doc, jsonBody(IssueTokensRequest), async (c) => {
      const id = idParam(c.req.param('id'));
      const { voterGroup, count, dryRun } = c.req.valid('json');
      const batch = await issueBatch(db, c.var.user.username, id, voterGroup, count, dryRun ?? false);
      printQueue.hold(batch);
      c.header('Cache-Control', 'no-store');
      return tokens.json(c, { batchId: batch.batchId, tokens: batch.tokens, slipsUrl: `/api/admin/batches/${batch.batchId}/slips`, dryRun: batch.dryRun, warnings: batch.warnings }, 201);
    })
    .post('/:id/dry-run/clear', adminOnly, dryRunClear.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      return dryRunClear.json(c, { id, cleared: await clearDryRun(db, c.var.user.username, id) }, 200);
    })
    .post('/:id/paper-entries', staff, paperEntry.doc, jsonBody(PaperEntryRequest, refuseReservedKeys), async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      const { token, answers } = c.req.valid('json');
      return paperEntry.json(c, await paperDesk.enter(c.var.user, id, token, answers), 201);
    })
    .post('/:id/paper-entries/resolve', adminOnly, paperResolve.doc, jsonBody(PaperEntryRequest, refuseReservedKeys), async (c) => {
      const { token, answers } = c.req.valid('json');
      await paperDesk.resolve(c.var.user.username, idParam(c.req.param('id')), token, answers);
      return paperResolve.json(c, { status: 'cast' }, 200);
    })
    .post('/:id/organisers', adminOnly, organisers.doc, jsonBody(AssignOrganiserRequest), async (c) => {
      await assignOrganiser(db, c.var.user.username, idParam(c.req.param('id')), c.req.valid('json').userId);
      return organisers.json(c, { ok: true }, 200);
    })
    .get('/:id/turnout', staff, turnout.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      await getSitting(db, id);
      return turnout.json(c, await readTurnout(db, id), 200);
    })
    .get('/:id/turnout/stream', staff, turnoutStream.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      await getSitting(db, id);
      const cookie = sessionCookie(c)!;
      const release = streams.take(cookie);
      if (!release) throw new ApiError(429, 'too_many_streams');
      return streamSSE(c, async (stream) => {
        // A stream lasts as long as its session: logout or expiry ends it at the next push or ping.
        const live = async () => !stream.aborted && (await sessionUser(db, cookie)) !== null;
        let unsubscribe = () => {};
        const finish = async () => {
          clearTimeout(scheduled);
          unsubscribe();
          release();
          if (!stream.closed) await stream.close();
        };
        let pending = Promise.resolve();
        const send = () => {
          pending = pending
            .then(async () => ((await live()) ? stream.writeSSE({ event: 'turnout', data: JSON.stringify(await readTurnout(db, id)) }) : finish()))
            // The database unreachable (a lost connection): the stream ends and the console reconnects.
            .catch(() => finish());
        };
        // A burst of ballots becomes one push per interval, carrying the latest counts.
        let lastPush = 0;
        let scheduled: ReturnType<typeof setTimeout> | undefined;
        const coalesced = () => {
          if (scheduled) return;
          scheduled = setTimeout(
            () => {
              scheduled = undefined;
              lastPush = Date.now();
              send();
            },
            Math.max(0, lastPush + STREAM_LIMITS.minPushIntervalMs - Date.now()),
          );
        };
        unsubscribe = turnoutEvents(db).subscribe(id, coalesced);
        stream.onAbort(() => void finish());
        send();
        while ((await live()) && !stream.closed) {
          await stream.sleep(STREAM_LIMITS.pingMs);
          if ((await live()) && !stream.closed) await stream.writeSSE({ event: 'ping', data: '' });
        }
        await finish();
      });
    })
    .get('/:id/turnout/minutes', staff, turnoutMinutes.doc, async (c) => {
      const id = idParam(c.req.param('id'));
      await assertCanWatch(db, c.var.user, id);
      await getSitting(db, id);
      return turnoutMinutes.json(c, await turnoutByMinute(db, id), 200);
    })
    .get('/:id/results', adminOnly, results.doc, async (c) => results.json(c, await sittingResults(db, idParam(c.req.param('id'))), 200))
    .get('/:id/results.csv', adminOnly, exportRefused.doc, postRequired)
    .get('/:id/results.xlsx', adminOnly, exportRefused.doc, postRequired)
    .post('/:id/results.csv', adminOnly, resultsCsvFile.doc, async (c) => {
      const input = await exportInput(db, idParam(c.req.param('id')), c.var.user.username, 'csv');
      attachment(c, `${input.sittingName}-测评结果.csv`, 'text/csv; charset=utf-8');
      return c.body(resultsCsv(input), 200);
    })
    .post('/:id/results.xlsx', adminOnly, resultsXlsxFile.doc, async (c) => {
      const input = await exportInput(db, idParam(c.req.param('id')), c.var.user.username, 'xlsx');
      const file = await resultsXlsx(input);
      attachment(c, `${input.sittingName}-测评结果.xlsx`, XLSX);
      return c.body(file as Uint8Array<ArrayBuffer>, 200);
    });
}
