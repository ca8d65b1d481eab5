import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from '../../server/app';
import { openSqlite } from '../../server/db/sqlite-engine';
import { contractDir } from './contract-dir';

/**
 * The API contract checked from outside: every response that a test receives from a test
 * server's /api is checked against /api/openapi.json, for its path and status. A status the
 * document does not list for the operation, or a body its schema refuses, fails the test that
 * received it and is written down for the run's end (contract-global.ts), which also fails the
 * run if a documented operation was never exercised.
 */


interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

let documentPromise: Promise<OpenApiDocument> | undefined;
/** The document as the server serves it (generated from the route declarations). */
export function openApiDocument(): Promise<OpenApiDocument> {
  return (documentPromise ??= (async () => {
    const res = await createApp({ db: openSqlite(':memory:') }).request('/api/openapi.json');
    const doc = (await res.json()) as OpenApiDocument;
    // For the run's end, which cannot load the server itself.
    mkdirSync(contractDir(), { recursive: true });
    writeFileSync(resolve(contractDir(), 'operations.json'), JSON.stringify(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((verb) => `${verb} ${path}`))));
    return doc;
  })());
}

const templates = new Map<string, RegExp>();
/** The documented path template a concrete path matches ({id} is one segment). */
export function templateOf(doc: OpenApiDocument, path: string): string | undefined {
  for (const template of Object.keys(doc.paths)) {
    let pattern = templates.get(template);
    if (!pattern) templates.set(template, (pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`)));
    if (pattern.test(path)) return template;
  }
  return undefined;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();
function validatorFor(doc: OpenApiDocument, pointer: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
    ajv.addSchema(doc as object, 'openapi');
  }
  let validate = validators.get(pointer);
  if (!validate) validators.set(pointer, (validate = ajv.compile({ $ref: `openapi#${pointer}` })));
  return validate;
}
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function record(file: string, line: string): void {
  mkdirSync(contractDir(), { recursive: true });
  appendFileSync(resolve(contractDir(), `${file}-${process.pid}.txt`), line + '\n');
}

/** What is wrong with a response by the document, or null. */
export async function contractProblem(method: string, path: string, res: Response): Promise<string | null> {
  const doc = await openApiDocument();
  const template = templateOf(doc, path);
  const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!template || !doc.paths[template]![verb]) {
    // Not an operation: only the contract's 404 / 405 error may answer.
    if ((res.status !== 404 && res.status !== 405) || type !== 'application/json') return `${method} ${path}: undocumented operation answered ${res.status} ${type}`;
    const body = (await res.clone().json()) as { error?: { code?: string } };
    return body.error?.code ? null : `${method} ${path}: ${res.status} without an error code`;
  }
  record('exercised', `${verb} ${template}`);
  const op = doc.paths[template]![verb]!;
  const response = op.responses[String(res.status)];
  if (!response) return `${verb} ${template}: status ${res.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`;
  const media = Object.keys(response.content ?? {});
  if (method === 'HEAD' || res.status === 304) return null;
  if (!media.includes(type)) return `${verb} ${template} ${res.status}: content type ${type || '(none)'} is not documented (${media.join(', ')})`;
  if (type !== 'application/json') return null;
  const body: unknown = await res.clone().json();
  const validate = validatorFor(doc, `/paths/${escape(template)}/${verb}/responses/${res.status}/content/${escape('application/json')}/schema`);
  if (validate(body)) return null;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  return `${verb} ${template} ${res.status}: body does not match the document: ${errors.join('; ')}`;
}

/** Checks a response a test received; a mismatch is written down and thrown. */
export async function checkContract(method: string, url: URL, res: Response): Promise<void> {
  const problem = await contractProblem(method, url.pathname, res);
  if (!problem) return;
  record('problems', problem);
  throw new Error(`API contract: ${problem}`);
}

/** The documented operations, with paths written as the routes write them (`:id`), for tests that visit them all. */
export async function documentedEndpoints(): Promise<{ method: 'get' | 'post'; path: string; body: boolean }[]> {
  const doc = (await openApiDocument()) as OpenApiDocument & { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method as 'get' | 'post', path: path.replace(/\{(\w+)\}/g, ':$1'), body: Boolean(op.requestBody?.content?.['application/json']) })),
  );
}
