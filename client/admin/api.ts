import { lang } from './i18n';

/** A failed API call: the contract's `{ error: { code, message, details } }` with its status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Called when the session has ended (401): the app shows the login page. */
let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function call<T>(method: string, path: string, body?: BodyInit, contentType?: string): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': lang.value === 'zh' ? 'zh-CN' : 'en' };
  if (contentType) headers['Content-Type'] = contentType;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body ?? null, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'network', lang.value === 'zh' ? '网络连接失败，请检查网络后重试。' : 'Network error: check the connection and try again.');
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && path !== '/api/admin/login') onUnauthenticated();
    throw new ApiFailure(res.status, error?.code ?? 'http_' + res.status, error?.message ?? `HTTP ${res.status}`, error?.details);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, JSON.stringify(body), 'application/json'),
  /** A file as the raw body with its own content type (CSV or XLSX). */
  upload: <T>(path: string, file: File) => call<T>('POST', path, file, file.type || (file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/octet-stream')),
};

export function errorText(err: unknown): string {
  if (err instanceof ApiFailure) return err.message;
  return err instanceof Error ? err.message : String(err);
}
