import { effect } from '@preact/signals';
import { render } from 'preact';
import type { AppState } from '../state';
import { keepKioskOffline } from '../sw-bridge';
import { eraseBallots } from './erase';
import { KioskApp } from './KioskApp';

/**
 * The shared tablet (`/vote?kiosk`): one voter after another scans a slip, votes and sees the
 * receipt; then the tablet forgets that ballot (memory, IndexedDB, the URL) and shows the scan
 * screen again. Queued ballots stay in the outbox until delivered, and are erased then too.
 */
export async function startKiosk(state: AppState, root: HTMLElement, token: string | null): Promise<void> {
  document.documentElement.classList.add('kiosk');
  // The tablet's language is the staff's choice: each voter starts with it.
  const lang = state.lang.peek();
  const onScreen = () => state.ballot.peek()?.draft.token;

  async function nextVoter(): Promise<void> {
    state.forget();
    if (state.lang.peek() !== lang) state.setLang(lang);
    history.replaceState(null, '', `${location.pathname}?kiosk`);
    scrollTo({ top: 0 });
    await eraseBallots(() => false);
  }

  // Left by earlier voters before this start (the worker's deliveries, a crash): every receipt
  // and every queued draft (its outbox entry delivers it). A ballot being filled in or refused
  // when the tablet stopped is the voter's at the tablet: it resumes.
  await eraseBallots((draft) => draft.status !== 'queued');
  render(<KioskApp state={state} onNext={() => void nextVoter()} />, root);
  await (token ? state.openSlip(token) : state.resume());
  // After every delivery (this page's or the worker's), the receipts it stored go at once, and
  // the drafts of voters who have left; the receipt on screen lives in memory only.
  effect(() => {
    if (state.lastFlush.value) void eraseBallots((draft) => draft.token === onScreen());
  });
  keepKioskOffline();
}
