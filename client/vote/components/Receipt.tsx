import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fetchReceiptBoard } from '../api';
import { useAppState } from '../state';
import { useFocusOnMount, useT } from './hooks';

/**
 * The counted ballot's receipt as the screen shows it: heading, sitting, the code. `children`
 * say what comes next (on a phone: how to check it; on a venue tablet: the next voter).
 */
export function ReceiptPanel({ extraClass = '', children }: { extraClass?: string; children: ComponentChildren }) {
  const state = useAppState();
  const t = useT();
  const receipt = state.receipt.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  if (!receipt) return null;
  return (
    <section class={`panel ok notice${extraClass ? ` ${extraClass}` : ''}`} aria-labelledby="receipt-title">
      <h2 id="receipt-title" tabIndex={-1} ref={heading}>
        {t('receiptTitle')}
      </h2>
      {receipt.sittingTitle && <p class="sitting">{receipt.sittingTitle}</p>}
      <p>{t('receiptText')}</p>
      <p class="receipt" data-receipt={receipt.receipt}>
        {receipt.receipt}
      </p>
      {children}
    </section>
  );
}

/** The receipt of the delivered ballot: all the phone keeps, and how to check it on the board. */
export function Receipt() {
  const state = useAppState();
  const t = useT();
  const receipt = state.receipt.value;
  const others = state.receipts.value.filter((r) => r.receipt !== receipt?.receipt);
  return (
    <ReceiptPanel>
      <p>{t('receiptHelp')}</p>
      <p class="muted">{t('receiptErased')}</p>
      <div class="pager">
        <button type="button" class="btn primary" onClick={() => (state.view.value = 'check')}>
          {t('checkReceipt')}
        </button>
      </div>
      {others.length > 0 && (
        <ul class="other-receipts">
          {others.map((r) => (
            <li key={r.receipt}>
              <button type="button" class="btn small" onClick={() => (state.receipt.value = r)}>
                {r.sittingTitle} · {r.receipt}
              </button>
            </li>
          ))}
        </ul>
      )}
    </ReceiptPanel>
  );
}

type Check = { kind: 'checking' } | { kind: 'found' | 'missing'; total: number } | { kind: 'notClosed' } | { kind: 'offline' };

/** Looks the receipt up on the sitting's public receipt board (published once the sitting closes). */
export function CheckReceipt() {
  const state = useAppState();
  const t = useT();
  const receipt = state.receipt.value;
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [check, setCheck] = useState<Check>({ kind: 'checking' });
  useEffect(() => {
    if (!receipt) return;
    void fetchReceiptBoard(receipt.sittingId).then((outcome) => {
      if (outcome.kind === 'ok') setCheck({ kind: outcome.value.includes(receipt.receipt) ? 'found' : 'missing', total: outcome.value.length });
      else setCheck({ kind: outcome.kind === 'retry' ? 'offline' : 'notClosed' });
    });
  }, [receipt]);
  if (!receipt) return null;
  const text =
    check.kind === 'checking'
      ? t('checking')
      : check.kind === 'found'
        ? t('checkFound', { total: check.total })
        : check.kind === 'missing'
          ? t('checkMissing', { total: check.total })
          : check.kind === 'notClosed'
            ? t('checkNotClosed')
            : t('checkOffline');
  return (
    <section class={`panel notice ${check.kind === 'found' ? 'ok' : check.kind === 'missing' ? 'bad' : ''}`} aria-labelledby="check-title">
      <h2 id="check-title" tabIndex={-1} ref={heading}>
        {t('checkTitle')}
      </h2>
      <p class="receipt">{receipt.receipt}</p>
      <p class="big" role="status" data-check={check.kind}>
        {text}
      </p>
      <div class="pager">
        <button type="button" class="btn" onClick={() => (state.view.value = 'receipt')}>
          {t('done')}
        </button>
      </div>
    </section>
  );
}
