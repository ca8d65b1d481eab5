import type pg from 'pg';
import type { PgQuery } from './pg-layout';

/**
 * Turnout pushes across app servers on PostgreSQL (issue 14, point 3): a transaction that
 * changes a sitting's counters (a ballot cast, slips issued, a close) calls `notifyTurnout`,
 * and PostgreSQL delivers the notification to every server LISTENing when, and only if, that
 * transaction commits; each server then re-reads that sitting's counters for its own streams.
 * The payload is the sitting's id only: nothing of the ballot or the slip.
 */
export const TURNOUT_CHANNEL = 'ceping_turnout';

export async function notifyTurnout(q: PgQuery, sittingId: number): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [TURNOUT_CHANNEL, String(sittingId)]);
}

/**
 * Listens on a connection of its own, taken from the pool for as long as the server runs, and
 * calls `changed` with each notified sitting. Returns a function that stops listening and
 * gives the connection back.
 */
export async function listenTurnout(pool: pg.Pool, changed: (sittingId: number) => void): Promise<() => Promise<void>> {
  const client = await pool.connect();
  const onNotification = (message: pg.Notification) => {
    const sittingId = Number(message.payload);
    if (message.channel === TURNOUT_CHANNEL && Number.isSafeInteger(sittingId)) changed(sittingId);
  };
  client.on('notification', onNotification);
  await client.query(`LISTEN ${TURNOUT_CHANNEL}`);
  return async () => {
    client.off('notification', onNotification);
    await client.query(`UNLISTEN ${TURNOUT_CHANNEL}`).catch(() => undefined);
    client.release();
  };
}
