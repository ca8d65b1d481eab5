import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a server's CPU went, from the V8 profile that `node --cpu-prof` wrote: self time by
 * what a reader of the issue asks about (Hono, validation, checkAnswers, hashing, SQL, JSON,
 * node:http, GC), as shares of the busy time (idle left out).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const CATEGORIES: [name: string, test: (fn: string, url: string) => boolean][] = [
  ['GC', (fn) => fn === '(garbage collector)'],
  ['JSON (parse, stringify)', (fn) => /^(parse|stringify)$/.test(fn) && !fn.includes('/')],
  ['validation (zod, standard-validator, isAnswersShape)', (fn, url) => /node_modules\/(zod|@hono\/standard-validator)\//.test(url) || fn === 'isAnswersShape'],
  ['loading modules at start (tsx, ESM hooks, worker)', (_, url) => /node:internal\/(modules|worker)|node_modules\/(tsx|esbuild)\//.test(url)],
  ['checkAnswers (shared/answers.ts)', (_, url) => url.endsWith('/shared/answers.ts')],
  ['storage encoding (stored-answers.ts)', (_, url) => url.endsWith('/stored-answers.ts')],
  ['hashing (node:crypto)', (fn, url) => url.includes('node:internal/crypto') || /^(createHash|digest|update|randomBytes|randomUUID)$/.test(fn)],
  ['SQL (better-sqlite3, drizzle; fsync inside)', (fn, url) => /node_modules\/(better-sqlite3|drizzle-orm)\//.test(url) || /^(run|get|all|exec|prepare|transaction)$/.test(fn)],
  ['ballot box, group commit (server/services)', (_, url) => url.includes('/server/services/')],
  ['Hono (router, middleware, node-server, its web Request/Response)', (_, url) => /node_modules\/(hono|@hono\/node-server)\/|node:internal\/deps\/undici/.test(url)],
  ['our HTTP layer (server/http, routes, app)', (_, url) => /\/server\/(http|routes)\/|\/server\/app\.ts/.test(url)],
  ['node:http, streams, net', (_, url) => /node:(_http|http|internal\/(streams|http|stream_base|net|webstreams)|net|events)/.test(url)],
  ['(program: native, not attributed)', (fn) => fn === '(program)'],
];

const OTHER = 'other';
/** The kinds whose largest functions are listed too: where to look next. */
const DETAILED = [OTHER, CATEGORIES.find(([name]) => name.startsWith('Hono'))![0]];

export function summariseProfile(dir: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return `no .cpuprofile in ${dir}`;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const detail = new Map<string, Map<string, number>>(DETAILED.map((name) => [name, new Map()]));
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const { functionName: fn, url } = byId.get(id)!.callFrame;
    if (fn === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    const category = CATEGORIES.find(([, test]) => test(fn, url))?.[0] ?? OTHER;
    totals.set(category, (totals.get(category) ?? 0) + dt);
    const functions = detail.get(category);
    if (functions) {
      const where = `${fn || '(anonymous)'} ${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(server|shared)\//, '$1/')}`;
      functions.set(where, (functions.get(where) ?? 0) + dt);
    }
  });
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const rows = [...totals].sort((a, b) => b[1] - a[1]).map(([name, us]) => `${share(us)}  ${name}`);
  const details = [...detail].flatMap(([name, functions]) => [
    `       the largest of "${name}":`,
    ...[...functions].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([where, us]) => `         ${share(us)}  ${where}`),
  ]);
  return [`server CPU busy ${(busy / 1e6).toFixed(2)} s, self time by kind:`, ...rows, ...details].join('\n');
}
