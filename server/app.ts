import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compressJson } from './http/compress-json';
import { readBody } from './http/read-body';
import { etag } from 'hono/etag';
import type { Db, Faults } from './db/database';
import { ApiError, errorResponse, onError } from './http/errors';
import { fileEtags } from './http/file-etags';
import { sameOriginOnly, securityHeaders } from './http/security';
import { siteOrigin } from './http/site-origin';
import { BODY_LIMITS, LOGIN_LIMITS } from './limits';
import { openApiDocument } from './openapi';
import { adminRoutes } from './routes/admin';
import { auditRoutes } from './routes/audit';
import { subjectRoutes } from './routes/subjects';
import { assessmentRoutes } from './routes/assessments';
import { gradingRoutes } from './routes/grading';
import { publicRoutes } from './routes/public';
import { batchRoutes } from './routes/batches';
import { sittingRoutes } from './routes/sittings';
import { userRoutes } from './routes/users';
import { voterRoutes } from './routes/voter';
import { turnoutEvents } from './services/sittings/turnout';
import { createPaperDesk } from './services/ballot-box/paper-entries';
import { FailureBudget, LoginThrottle } from './services/accounts/rate-limit';
import { databaseWindows, memoryWindows } from './services/accounts/throttle-windows';
import { PrintQueue } from './services/slips/slips';
import { StorageHealth } from './services/storage-health';

export interface AppDeps {
  db: Db;
  /** Where request and error lines go: never a body, a query string or a token. */
  log?: (line: string) => void;
  faults?: Faults;
  /** PUBLIC_ORIGIN: where people reach the app, when a proxy hides it from the request. */
  publicOrigin?: string | undefined;
  /** The built client (vite output); omitted in API-only tests. */
  clientDir?: string;
  /** Other app servers share the database: the throttles count in it (env.ts sharedDatabase). */
  sharedDatabase?: boolean;
}

/** Pages of the PWA: each path serves its HTML entry; the client routes within it. */
const PAGES: [RegExp, string][] = [
  [/^\/vote\/?$/, 'vote.html'],
  [/^\/admin(\/.*)?$/, 'admin.html'],
  [/^\/results(\/.*)?$/, 'results.html'],
  [/^\/$/, 'index.html'],
];

/** The /api routes; their type is what the client's `hc<ApiType>` is checked against. */
function apiRoutes({ db, faults, storage, sharedDatabase }: Pick<AppDeps, 'db' | 'faults' | 'sharedDatabase'> & { storage: StorageHealth }) {
  const printQueue = new PrintQueue();
  // One ballot box for phones and paper: a token is spent once, whichever way it votes.
  const ballotBox = db.$engine.ballotBox({ faults, changed: (sittingId) => turnoutEvents(db).changed(sittingId) });
  const tooLarge = { onError: (c: Context) => errorResponse(c, 413, 'body_too_large') };
  // One server: throttles count in memory, and nothing refused writes to the database. Several
  // on one database: they count in it, so a flood spread over servers spends one budget.
  const windows = (throttle: 'login' | 'guess') => (sharedDatabase ? databaseWindows(db, throttle) : memoryWindows());
  return new Hono()
    // The ballot definition of a 100-subject sitting is ~11 KB of JSON: compressed for the hall's
    // Wi-Fi. Not the submit route: its answer is a few bytes, not worth a look at each of a
    // plenary's ballots (hono's compress() on it gzipped every receipt: a tenth of the ingest CPU).
    .use('/voter/ballot', compressJson({ threshold: 1024 }))
    .use('/public/*', compressJson({ threshold: 1024 }))
    .use('/voter/*', readBody({ maxBytes: BODY_LIMITS.voterBytes, tooLarge: tooLarge.onError }))
    .use('/admin/*', bodyLimit({ maxSize: BODY_LIMITS.adminBytes, ...tooLarge }))
    .use('/admin/*', sameOriginOnly())
    .route('/voter', voterRoutes({ ballotBox, guessBudget: new FailureBudget(100, 10 * 60 * 1000, Date.now, windows('guess')) }))
    .route('/public', publicRoutes(db))
    .route('/admin', adminRoutes(db, new LoginThrottle(LOGIN_LIMITS, Date.now, windows('login')), storage))
    .route('/admin/users', userRoutes(db))
    .route('/admin/grading', gradingRoutes(db))
    .route('/admin/assessments', assessmentRoutes(db))
    .route('/admin/sittings', sittingRoutes({ db, printQueue, paperDesk: createPaperDesk(db, ballotBox) }))
    .route('/admin/batches', batchRoutes({ db, printQueue }))
    .route('/admin/subjects', subjectRoutes(db))
    .route('/admin/audit', auditRoutes(db));
}

export type ApiType = ReturnType<typeof apiRoutes>;

export function createApp({ db, log = () => {}, faults, clientDir, publicOrigin, sharedDatabase = false }: AppDeps): Hono {
  const app = new Hono();
  const storage = new StorageHealth();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // A write that went through: the database stores again.
    if (c.req.method === 'POST' && c.res.status < 300) storage.stored();
    // Method, path and status only: the token travels in bodies and URL fragments, never here.
    log(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${Math.round(performance.now() - started)}ms`);
  });
  app.use(securityHeaders());
  app.use(siteOrigin(publicOrigin));
  const api = apiRoutes({ db, faults, storage, sharedDatabase });
  let document: Promise<unknown> | undefined;
  app.get('/api/openapi.json', async (c) => c.json(await (document ??= openApiDocument(api)), 200));
  app.route('/api', api);
  app.all('/api/*', () => {
    throw new ApiError(404, 'not_found');
  });
  if (clientDir) {
    // Files named by their content hash never change: a phone keeps them a year and never asks
    // again. Everything else (pages, the service worker, the manifest, icons) is revalidated
    // with an ETag, answered 304 when unchanged.
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    const pageFile = (path: string) => PAGES.find(([pattern]) => pattern.test(path))?.[1] ?? path;
    const knownEtag = fileEtags(clientDir, pageFile);
    app.use('*', async (c, next) => {
      if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/assets/')) return next();
      return etag()(c, async () => {
        await knownEtag(c, async () => {
          await next();
          if (c.res.ok) c.header('Cache-Control', 'no-cache');
        });
      });
    });
    app.get('*', async (c, next) => {
      const page = PAGES.find(([pattern]) => pattern.test(new URL(c.req.url).pathname))?.[1];
      if (!page) return next();
      return serveStatic({ root: clientDir, path: page, precompressed: true })(c, next);
    });
    app.use('*', serveStatic({ root: clientDir, precompressed: true }));
  }
  app.notFound((c) => errorResponse(c, 404, 'not_found'));
  app.onError(onError(log, () => storage.failed()));
  return app;
}
