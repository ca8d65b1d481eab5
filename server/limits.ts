import { availableParallelism } from 'node:os';

/**
 * Every limit the server enforces, in one place (README "Settings" lists them). A request past a
 * limit gets a 4xx with a code naming it and changes nothing.
 */

/** Request bodies. */
export const BODY_LIMITS = {
  /** A voter's request: a ballot of a few hundred subjects fits many times over. */
  voterBytes: 256 * 1024,
  /** An admin's request, a spreadsheet upload included. */
  adminBytes: 4 * 1024 * 1024,
} as const;

const MINUTE_MS = 60 * 1000;

/**
 * Admin and organiser logins (SECURITY.md "login floods neither stall voters nor lock the admin
 * out"). Each password check runs scrypt with N=2^17, r=8: 128 MiB and ~0.3–1.3 s of a core, on
 * libuv's threadpool (4 threads), which static files and the rest of fs share.
 */
export const LOGIN_LIMITS = {
  /**
   * Password hashes at once: 2 at most, leaving half the threadpool for static files and using
   * 256 MiB of RAM at most; and never every core, so on a 2-core machine 1, and the event loop
   * (every voter's request) keeps a core of its own during a flood.
   */
  kdfConcurrency: Math.max(1, Math.min(2, availableParallelism() - 1)),
  /**
   * Hashes waiting per lane (strangers; browsers with a device cookie and admin actions go first);
   * past it, refused at once (503 busy). The last of 8 waits 8 / kdfConcurrency hashes (~2–8 s),
   * a wait a person at a login form still accepts.
   */
  kdfQueue: 8,
  /**
   * Failed logins for one username from browsers without its device cookie, per window: past it,
   * every stranger gets 429 at once, without hashing; 5 forgives a few typos on a new browser.
   */
  strangerPerUsername: { failures: 5, windowMs: 15 * MINUTE_MS },
  /**
   * Failed logins from one address without a device cookie, any username (guesses spread over
   * names): generous, since a hall or a proxy puts everyone behind one address.
   */
  strangerPerAddress: { failures: 50, windowMs: 15 * MINUTE_MS },
  /** Failed logins with one device cookie: past it that browser alone waits, like a stranger would. */
  perDevice: { failures: 5, windowMs: 15 * MINUTE_MS },
  /** How long a browser stays known after a login: a year covers the yearly assessment round. */
  deviceCookieMaxAgeSeconds: 365 * 24 * 60 * 60,
  /**
   * Throttle entries kept in memory (~100 bytes each): past it, strangers get 429 until windows
   * expire, so random usernames cannot grow memory or evict a locked-out key.
   */
  throttleKeys: 100_000,
  /** Retry-After of a refusal for a full hash queue: one hash's time. */
  busyRetryAfterSeconds: 1,
} as const;

/**
 * Spreadsheet and CSV imports (subject lists, grading inputs). A file is read in a worker thread
 * (XLSX) or in small slices (CSV), so the voters' requests go on while it is read; a file past
 * one of these limits is refused with a code naming the limit (import_too_*), before it is read
 * whole where the file tells its size up front. Rows and columns count only cells that hold a
 * value: a style on an empty cell far away (whole-column formatting in Excel) does not count.
 */
export const IMPORT_LIMITS = {
  /**
   * Rows of the table, the header row included: the last row holding a value. A province's
   * whole cadre list is a few thousand rows; 20,000 leaves room and keeps one file's rows,
   * their checks and the preview the console shows within a fraction of a second.
   */
  maxRows: 20_000,
  /**
   * Columns of the table: the last column holding a value. A subject list has under ten
   * columns and a grading-inputs sheet some thirty (one per department evaluator beyond);
   * 200 is far past both, and 20,000 × 200 cells still fit in memory comfortably.
   */
  maxColumns: 200,
  /**
   * The file's bytes once uncompressed: the XLSX parts as they inflate (told by the ZIP's
   * directory first, and counted again while inflating, since a directory can lie), or a CSV
   * as sent. 20,000 × 200 cells take a few megabytes of XML; 50 MB is ten times that, and
   * refuses a "zip bomb" long before it fills the memory.
   */
  maxBytes: 50 * 1024 * 1024,
  /** Wall-clock time to read one file; past it the reader is stopped. A legitimate file takes well under a second. */
  timeBudgetMs: 10_000,
  /**
   * Heap of the worker that reads an XLSX (V8 old generation, in MB). Reading 50 MB of
   * sheet XML stays far below it; a file that needs more is refused as too large, and the
   * server's own heap is untouched.
   */
  workerHeapMb: 256,
  /**
   * XLSX files read at once; more wait their turn. One leaves the other core of a small
   * (two-core) server to the voters' requests.
   */
  parallelReads: 1,
} as const;

/** The limits a file import is read under: IMPORT_LIMITS, or tighter ones in tests. */
export type ImportLimits = { readonly [K in keyof typeof IMPORT_LIMITS]: number };

/** Live turnout streams (server-sent events). */
export const STREAM_LIMITS = {
  /** A projector, a laptop and a few tabs of one organiser. */
  perSession: 10,
  /** Far above a province office's screens; each stream holds a socket. */
  total: 200,
  /** Keep-alive ping; the session is checked again at every push and ping. */
  pingMs: 15_000,
  /**
   * Pushes to one stream are coalesced to at most 4 a second: 200 ballots a second would
   * otherwise mean 200 pushes to each of 50 screens, while a projector needs a fresh number
   * within a second.
   */
  minPushIntervalMs: 250,
} as const;
