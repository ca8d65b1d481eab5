import { randomUUID } from 'node:crypto';
import { hc, type ClientResponse } from 'hono/client';
import type { ApiType } from '../../server/app';
import type { CreateSittingRequest } from '../../shared/api';
import type { ApiErrorBody } from '../../shared/errors';

type CreateSittingForms = CreateSittingRequest['forms'];

/**
 * A small HTTP client for tests: JSON in and out, the admin session cookie and the Origin
 * header a browser would send. Returns status and body; never throws on 4xx/5xx.
 */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Status, headers and the body: parsed JSON, or the text when it is not JSON (an HTML page, SSE). */
async function answer<T>(res: { status: number; headers: Headers; text(): Promise<string> }): Promise<ApiResponse<T>> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export class ApiClient {
  cookie: string | undefined;
  /**
   * The typed client (`hc<ApiType>`), sending this client's cookie and Origin like a browser.
   * Tests of well-formed calls use it; `request` stays for what a typed client cannot send
   * (malformed bodies, wrong methods, hostile headers).
   */
  readonly api: ReturnType<typeof hc<ApiType>>;

  constructor(readonly baseUrl: string, readonly origin: string | null = baseUrl) {
    this.api = hc<ApiType>(`${baseUrl}/api`, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        if (this.origin && (init?.method ?? 'GET') !== 'GET') headers.set('Origin', this.origin);
        if (this.cookie) headers.set('Cookie', this.cookie);
        const res = await fetch(input, { ...init, headers });
        const setCookie = res.headers.get('set-cookie');
        if (setCookie) this.cookie = setCookie.split(';')[0];
        return res;
      },
    });
  }

  /** A typed call's status and body (success bodies typed; an error's is the contract's error). */
  async call<T, S extends number>(response: Promise<ClientResponse<T, S, 'json'>>): Promise<ApiResponse<T>> {
    return answer<T>(await response);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && typeof body !== 'string') h['Content-Type'] = 'application/json';
    if (this.origin && method !== 'GET') h.Origin = this.origin;
    if (this.cookie) h.Cookie = this.cookie;
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return answer<T>(res);
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }

  async login(username = 'admin', password = 'test-admin-password'): Promise<this> {
    const res = await this.post('/api/admin/login', { username, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }
}

/** Sets up an assessment with subjects and a sitting; returns their ids. */
export async function setUpSitting(
  admin: ApiClient,
  options: {
    cadres?: number;
    teams?: number;
    forms?: unknown[];
    voterGroups?: { name: string; weight: number }[];
  } = {},
): Promise<{ assessmentId: number; sittingId: number; subjectKeys: string[] }> {
  const cadres = options.cadres ?? 10;
  const teams = options.teams ?? 0;
  const a = await admin.call(admin.api.admin.assessments.$post({ json: { name: '测试考核', year: 2026 } }));
  if (a.status !== 201) throw new Error(`assessment: ${a.status} ${JSON.stringify(a.body)}`);
  const subjects = [
    ...Array.from({ length: teams }, (_, i) => ({ key: `T${i + 1}`, kind: 'team' as const, name: `班子${i + 1}` })),
    ...Array.from({ length: cadres }, (_, i) => ({ key: `C${i + 1}`, kind: 'cadre' as const, name: `干部${i + 1}`, title: '职务' })),
  ];
  const param = { id: String(a.body.id) };
  const s = await admin.call(admin.api.admin.assessments[':id'].subjects.$post({ param, json: subjects }));
  if (s.status !== 201) throw new Error(`subjects: ${s.status} ${JSON.stringify(s.body)}`);
  const sitting = await admin.call(
    admin.api.admin.assessments[':id'].sittings.$post({
      param,
      json: {
        name: '测试场次',
        forms: (options.forms ?? ['cadre', 'political']) as CreateSittingForms,
        subjectKeys: subjects.map((x) => x.key),
        voterGroups: options.voterGroups ?? [{ name: '委员', weight: 100 }],
      },
    }),
  );
  if (sitting.status !== 201) throw new Error(`sitting: ${sitting.status} ${JSON.stringify(sitting.body)}`);
  return { assessmentId: a.body.id, sittingId: sitting.body.id, subjectKeys: subjects.map((x) => x.key) };
}

/**
 * A scripted phone: opens a slip's ballot and submits it with every question of every subject
 * answered by `choose` (default: the second option). Returns the submit status.
 */
export async function castBallot(
  baseUrl: string,
  token: string,
  choose: (question: { id: string; options: { value: string }[] }, formId: string) => string = (q) => (q.options[1] ?? q.options[0])!.value,
): Promise<number> {
  const voter = new ApiClient(baseUrl, null);
  const ballot = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
  if (ballot.status !== 200) return ballot.status;
  const answers = Object.fromEntries(
    ballot.body.forms.map((form) => [form.id, Object.fromEntries(form.subjects.map((s) => [String(s.id), Object.fromEntries(form.questions.map((q) => [q.id, choose(q, form.id)]))]))]),
  );
  return (await voter.call(voter.api.voter.submit.$post({ json: { token, submissionId: randomUUID(), answers } }))).status;
}

/** The path parameter of a typed call: `api.admin.sittings[':id'].open.$post(byId(7))`. */
export const byId = (id: number) => ({ param: { id: String(id) } });

/** The contract's error of a refused call. */
export const errorOf = (res: { body: unknown }) => (res.body as ApiErrorBody).error;
