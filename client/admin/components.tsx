import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api';
import { statusLabel, t } from './i18n';

/** Loads data for a page; `reload` runs the loader again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
    // eslint-style deps are explicit: the loader is recreated on every render.
  }, [...deps, tick]);
  return { data, error, reload: useCallback(() => setTick((n) => n + 1), []) };
}

export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{statusLabel(status)}</span>;
}

export function Loading() {
  return <p class="muted">{t('加载中…', 'Loading…')}</p>;
}

interface ConfirmRequest {
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}

const pending = signal<ConfirmRequest | null>(null);

/** Asks the user to confirm a step (open, close, publish, clear): resolves true on confirm. */
export function confirmStep(request: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  return new Promise((resolve) => {
    pending.value = { ...request, resolve };
  });
}

/** The one confirmation dialog of the console (a native modal <dialog>). */
export function ConfirmDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const request = pending.value;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) dialog.showModal();
    if (!request && dialog.open) dialog.close();
  }, [request]);
  const finish = (ok: boolean) => {
    request?.resolve(ok);
    pending.value = null;
  };
  return (
    <dialog ref={ref} class="confirm" onCancel={() => finish(false)} aria-labelledby="confirm-title">
      {request && (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), finish(true))}>
          <h2 id="confirm-title">{request.title}</h2>
          <div class="confirm-body">{request.body}</div>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => finish(false)}>
              {t('取消', 'Cancel')}
            </button>
            <button type="submit" class={request.danger ? 'danger' : 'primary'} data-testid="confirm">
              {request.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(t('zh-CN', 'en-GB'), { hour12: false });
}

/**
 * A download or printable page that the server records (audit entry, printed count) comes from
 * a POST, never a GET link: the Origin check covers it, and a prefetch or a replayed URL records
 * nothing. A form made on the click and submitted (a real navigation, so the browser downloads
 * the file or opens the page in a new tab as a link would).
 */
export function PostButton({ action, newTab = false, class: className = 'link', testId, children }: { action: string; newTab?: boolean; class?: string; testId?: string; children: ComponentChildren }) {
  const submit = () => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    if (newTab) form.target = '_blank';
    form.hidden = true;
    document.body.appendChild(form);
    form.submit();
    // Removed later: taking the form out of the page at once can cancel the navigation it started.
    setTimeout(() => form.remove(), 10_000);
  };
  return (
    <button type="button" class={className} data-testid={testId} data-action={action} onClick={submit}>
      {children}
    </button>
  );
}
