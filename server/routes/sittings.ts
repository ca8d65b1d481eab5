import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { IssueTokensRequest } from '../../shared/api';
import type { Db } from '../db/open';
import { requireRole, sessionCookie, type AuthEnv } from '../http/auth';
import { STREAM_LIMITS } from '../limits';
import { sessionUser } from '../services/accounts';
import { StreamSlots } from '../services/stream-limits';
import { attachment, postRequired } from '../http/download';
import { ApiError } from '../http/errors';
import { idParam, jsonBody } from '../http/validate';
import { assertCanWatch } from '../services/access';
import { publishedAuditHead } from '../services/audit';
import { closeSitting, getSitting, openSitting, rehearseSitting, sittingForms, sittingResults } from '../services/sittings';
import { issueBatch, markPrinted, type PrintQueue } from '../services/slips';
import { renderSlipsPdf } from '../services/pdf-slips';
import { renderPrintPrompt, renderSlipsPage, SLIPS_PAGE_CSP } from '../services/slips-page';
import { readTurnout, type TurnoutEvents } from '../services/turnout';

export interface SittingDeps {
  db: Db;
  printQueue: PrintQueue;
  turnout: TurnoutEvents;
}

function sittingId(c: Context): number {
  return idParam(c.req.param('id'));
}

export function sittingRoutes({ db, printQueue, turnout }: SittingDeps) {
  const adminOnly = requireRole(db, 'admin');
  const streams = new StreamSlots(STREAM_LIMITS.perSession, STREAM_LIMITS.total);
  const staff = requireRole(db, 'admin', 'organiser');

  return new Hono<AuthEnv>()
    .get('/:id', staff, (c) => {
      const id = sittingId(c);
      assertCanWatch(db, c.var.user, id);
      const s = getSitting(db, id);
      return c.json(
        {
          id: s.id,
          assessmentId: s.assessmentId,
          name: s.name,
          status: s.status,
          k: s.k,
          minTurnout: s.minTurnout,
          flags: s.flags ? (JSON.parse(s.flags) as string[]) : [],
          forms: sittingForms(s),
        },
        200,
      );
    })
    .post('/:id/rehearse', adminOnly, (c) => {
      const id = sittingId(c);
      rehearseSitting(db, c.var.user.username, id);
      turnout.changed(id);
      return c.json({ id, status: 'rehearsal' as const }, 200);
    })
    .post('/:id/open', adminOnly, (c) => {
      const id = sittingId(c);
      openSitting(db, c.var.user.username, id);
      return c.json({ id, status: 'open' as const }, 200);
    })
    .post('/:id/close', adminOnly, (c) => {
      const id = sittingId(c);
      const results = closeSitting(db, c.var.user.username, id);
      turnout.changed(id);
      // Read after closeSitting committed: the head includes the close entry (nothing runs in between).
      return c.json({ id, status: 'closed' as const, reconciliation: results.reconciliation, flags: results.flags, auditHead: publishedAuditHead(db) }, 200);
    })
    .post('/:id/tokens', adminOnly, jsonBody(IssueTokensRequest), (c) => {
      const id = sittingId(c);
      const { voterGroup, count, dryRun } = c.req.valid('json');
      const batch = issueBatch(db, c.var.user.username, id, voterGroup, count, dryRun ?? false);
      printQueue.hold(batch);
      turnout.changed(id);
      c.header('Cache-Control', 'no-store');
      return c.json({ batchId: batch.batchId, tokens: batch.tokens, slipsUrl: `/api/admin/batches/${batch.batchId}/slips`, dryRun: batch.dryRun, warnings: batch.warnings }, 201);
    })
    .get('/:id/turnout', staff, (c) => {
      const id = sittingId(c);
      assertCanWatch(db, c.var.user, id);
      getSitting(db, id);
      return c.json(readTurnout(db, id), 200);
    })
    .get('/:id/turnout/stream', staff, (c) => {
      const id = sittingId(c);
      assertCanWatch(db, c.var.user, id);
      getSitting(db, id);
      const cookie = sessionCookie(c)!;
      const release = streams.take(cookie);
      if (!release) throw new ApiError(429, 'too_many_streams');
      return streamSSE(c, async (stream) => {
        // A stream lasts as long as its session: logout or expiry ends it at the next push or ping.
        const live = () => !stream.aborted && sessionUser(db, cookie) !== null;
        let unsubscribe = () => {};
        const finish = async () => {
          clearTimeout(scheduled);
          unsubscribe();
          release();
          if (!stream.closed) await stream.close();
        };
        let pending = Promise.resolve();
        const send = () => {
          pending = pending.then(() => (live() ? stream.writeSSE({ event: 'turnout', data: JSON.stringify(readTurnout(db, id)) }) : finish()));
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
        unsubscribe = turnout.subscribe(id, coalesced);
        stream.onAbort(() => void finish());
        send();
        while (live() && !stream.closed) {
          await stream.sleep(STREAM_LIMITS.pingMs);
          if (live() && !stream.closed) await stream.writeSSE({ event: 'ping', data: '' });
        }
        await finish();
      });
    })
    .get('/:id/results', adminOnly, (c) => c.json(sittingResults(db, sittingId(c)), 200));
}

/** A batch's slips, printable while its clear tokens are held (slipsUrl), as a page or a PDF. */
export function batchRoutes({ db, printQueue }: SittingDeps) {
  function printable(c: Context<AuthEnv>) {
    const batch = printQueue.get(idParam(c.req.param('id')));
    if (!batch) throw new ApiError(404, 'unknown_batch');
    assertCanWatch(db, c.var.user, batch.sittingId);
    return { batch, title: getSitting(db, batch.sittingId).name, origin: c.get('siteOrigin') };
  }
  const staff = requireRole(db, 'admin', 'organiser');
  return new Hono<AuthEnv>()
    .get('/:id/slips', staff, (c) => {
      const { batch, title } = printable(c);
      c.header('Cache-Control', 'no-store');
      return c.html(renderPrintPrompt(batch, title), 200);
    })
    .post('/:id/slips', staff, async (c) => {
      const { batch, title, origin } = printable(c);
      const html = await renderSlipsPage(batch, origin, title);
      markPrinted(db, c.var.user.username, batch);
      c.header('Content-Security-Policy', SLIPS_PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      return c.html(html, 200);
    })
    .get('/:id/slips.pdf', staff, postRequired)
    .post('/:id/slips.pdf', staff, async (c) => {
      const { batch, title, origin } = printable(c);
      const pdf = await renderSlipsPdf(batch, origin, title);
      markPrinted(db, c.var.user.username, batch);
      attachment(c, `slips-${batch.batchId}${batch.dryRun ? '-dry-run' : ''}.pdf`, 'application/pdf');
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200);
    });
}
