import { checkContract } from './contract';

/**
 * Every test file: responses of the test servers' /api (on loopback) are checked against the
 * OpenAPI document as they arrive, whichever client fetched them (ApiClient, hc, raw fetch).
 */
const originalFetch = globalThis.fetch;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const res = await originalFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOOPBACK.has(url.hostname) && url.pathname.startsWith('/api/')) {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    await checkContract(method, url, res);
  }
  return res;
};
