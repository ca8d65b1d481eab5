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
 * Listens on a connection of its own, taken from the pool for as long as it is wanted, and
 * calls `changed` with each notified sitting. If the database ends that connection (a
 * restart), another is taken a second later and `changed` is called with no sitting (check all:
 * notifications may have been missed meanwhile). Returns a function that stops listening and
 * gives the connection back.
 */
export async function listenTurnout(pool: pg.Pool, changed: (sittingId: number | undefined) => void): Promise<() => Promise<void>> {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const onNotification = (message: pg.Notification) => {
    const sittingId = Number(message.payload);
    if (message.channel === TURNOUT_CHANNEL && Number.isSafeInteger(sittingId)) changed(sittingId);
  };
  const onError = (error: Error) => {
    const lost = client;
    client = undefined;
    lost?.release(error);
    if (!stopped) retry = setTimeout(() => void connect().then(() => changed(undefined), () => onError(new Error('reconnect failed'))), 1000);
  };
  async function connect(): Promise<void> {
    const taken = await pool.connect();
    taken.on('notification', onNotification);
    taken.on('error', onError);
    client = taken;
    await taken.query(`LISTEN ${TURNOUT_CHANNEL}`);
  }
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const held = client;
    client = undefined;
    if (!held) return;
    held.off('notification', onNotification);
    await held.query(`UNLISTEN ${TURNOUT_CHANNEL}`).catch(() => undefined);
    held.release();
  };
}
