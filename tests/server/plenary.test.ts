import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballots as ballotRows, tokens as tokenRows } from '../../server/db/tables';
import type { Answers, BallotForm } from '../../shared/forms';
import { ApiClient, setUpSitting, byId, errorOf } from '../helpers/api-client';
import { onSqlite, startServer, type TestServer } from '../helpers/server';
import { seededRandom } from '../helpers/stats';

/**
 * A scripted plenary over HTTP only (issue 2, acceptance 2, 5 and 6): 200 voters rate 100
 * cadres on the cadre and political forms, 40 at a time, with retries, second tries, invalid
 * answers and unknown slips. Then the counts, the receipt board, the database and the server
 * log are checked.
 */
const VOTERS = 200;
const CADRES = 100;
const BATCH = 40;
const GROUPS = [
  { name: '委员', weight: 70, slips: 150 },
  { name: '候补委员', weight: 30, slips: 52 },
];

let server: TestServer;
let admin: ApiClient;
let voter: ApiClient;
let sittingId: number;
const tokens: { token: string; group: string }[] = [];
/** Our own tally: form → subject → question → value → count. */
const tally = new Map<string, number>();
const receiptsHandedOut: string[] = [];
const submissionIds: string[] = [];
let wallMs = 0;

const key = (...parts: (string | number)[]) => parts.join('|');
const ballotOf = (token: string) => voter.call(voter.api.voter.ballot.$post({ json: { token } }));
const submit = (json: { token: string; submissionId: string; answers: Answers }) => voter.call(voter.api.voter.submit.$post({ json }));

function randomAnswers(forms: BallotForm[], random: () => number): Answers {
  const answers: Answers = {};
  for (const form of forms) {
    const formAnswers: Answers[string] = {};
    let tops = 0;
    const cap = form.maxTopShare === undefined ? Infinity : Math.floor(form.maxTopShare * form.subjects.length);
    for (const subject of form.subjects) {
      const subjectAnswers: Record<string, string> = {};
      for (const q of form.questions) {
        if (random() < 0.05) continue; // an abstention
        let option = q.options[Math.floor(random() * q.options.length)]!.value;
        if (q.role === 'overall' && option === q.options[0]!.value && ++tops > cap) option = q.options[1]!.value;
        subjectAnswers[q.id] = option;
      }
      formAnswers[String(subject.id)] = subjectAnswers;
    }
    answers[form.id] = formAnswers;
  }
  return answers;
}

function count(answers: Answers): void {
  for (const [formId, subjects] of Object.entries(answers))
    for (const [subjectId, questions] of Object.entries(subjects))
      for (const [questionId, value] of Object.entries(questions)) tally.set(key(formId, subjectId, questionId, value), (tally.get(key(formId, subjectId, questionId, value)) ?? 0) + 1);
}

async function castOne(index: number, slip: { token: string }, random: () => number): Promise<void> {
  const ballot = await ballotOf(slip.token);
  expect(ballot.status).toBe(200);
  const answers = randomAnswers(ballot.body.forms, random);

  if (index % 5 === 2) {
    // Invalid answers: refused with the culprit named, and the slip stays unspent.
    const bad = structuredClone(answers);
    const cadre = ballot.body.forms.find((f) => f.kind === 'cadre')!;
    bad.cadre![String(cadre.subjects[0]!.id)] = { overall: 'superb' };
    const refused = await submit({ token: slip.token, submissionId: randomUUID(), answers: bad });
    expect(refused.status).toBe(422);
    expect(errorOf(refused).code).toBe('invalid_answers');
    expect((errorOf(refused).details as { problems: unknown[] }).problems[0]).toMatchObject({ formId: 'cadre', subjectId: String(cadre.subjects[0]!.id), questionId: 'overall' });
    expect((await ballotOf(slip.token)).status).toBe(200);
  }

  const submissionId = randomUUID();
  const first = await submit({ token: slip.token, submissionId, answers });
  expect(first.status).toBe(201);
  receiptsHandedOut.push(first.body.receipt);
  submissionIds.push(submissionId);
  count(answers);

  if (index % 5 === 0) {
    const retry = await submit({ token: slip.token, submissionId, answers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ receipt: first.body.receipt, duplicate: true });
  }
  if (index % 7 === 3) {
    const second = await submit({ token: slip.token, submissionId: randomUUID(), answers });
    expect(second.status).toBe(409);
    expect(errorOf(second).code).toBe('token_used');
  }
}

/**
 * What the database itself holds, read from its own catalog (not from schema.ts): every table
 * (PostgreSQL's partitions and its token_sittings too), their columns and foreign keys.
 */
interface TableName {
  schema: string | undefined;
  name: string;
}

async function tableNames(): Promise<TableName[]> {
  const { rows } = onSqlite
    ? await server.db.execute(sql`SELECT NULL AS schema, name FROM sqlite_master WHERE type = 'table'`)
    : await server.db.execute(sql`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`);
  return (rows as { schema: string | null; name: string }[]).map((r) => ({ schema: r.schema ?? undefined, name: r.name }));
}

async function rowsOf(table: TableName): Promise<Record<string, unknown>[]> {
  const name = table.schema ? sql`${sql.identifier(table.schema)}.${sql.identifier(table.name)}` : sql.identifier(table.name);
  return (await server.db.execute(sql`SELECT * FROM ${name}`)).rows;
}

async function columnsOf(table: string): Promise<string[]> {
  const { rows } = onSqlite
    ? await server.db.execute(sql`SELECT name FROM pragma_table_info(${table})`)
    : await server.db.execute(sql`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`);
  return (rows as { name: string }[]).map((c) => c.name);
}

async function foreignKeysOf(table: string): Promise<unknown[]> {
  const { rows } = onSqlite
    ? await server.db.execute(sql`SELECT * FROM pragma_foreign_key_list(${table})`)
    : await server.db.execute(sql`SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = to_regclass(${table})`);
  return rows;
}

beforeAll(async () => {
  server = await startServer();
  admin = await new ApiClient(server.url).login();
  voter = new ApiClient(server.url, null);
  ({ sittingId } = await setUpSitting(admin, {
    cadres: CADRES,
    forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'],
    voterGroups: GROUPS.map(({ name, weight }) => ({ name, weight })),
  }));
  for (const g of GROUPS) {
    const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: g.name, count: g.slips } }));
    expect(batch.status).toBe(201);
    for (const token of batch.body.tokens) tokens.push({ token, group: g.name });
  }
});

afterAll(() => server.close());

describe('a scripted plenary of 200 voters x 100 cadres', () => {
  it('refuses ballots before the sitting opens (423), then counts every ballot exactly once', async () => {
    const early = await submit({ token: tokens[0]!.token, submissionId: randomUUID(), answers: {} });
    expect(early.status).toBe(423);
    expect(errorOf(early).code).toBe('sitting_not_open');
    expect((await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)))).status).toBe(200);

    const unknown = await ballotOf('a'.repeat(26));
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('unknown_token');

    // Slips are handed out at random: arrival order mixes the groups.
    const random = seededRandom(2026);
    const slips = tokens.slice(0, VOTERS).map((t) => ({ t, r: random() })).sort((a, b) => a.r - b.r).map(({ t }) => t);
    const started = performance.now();
    for (let i = 0; i < slips.length; i += BATCH) {
      await Promise.all(slips.slice(i, i + BATCH).map((slip, j) => castOne(i + j, slip, seededRandom(i + j))));
    }
    wallMs = performance.now() - started;
    console.log(`plenary: ${VOTERS} voters x ${CADRES} cadres in ${Math.round(wallMs)} ms`);

    const turnout = await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)));
    expect(turnout.body).toMatchObject({ issued: 202, used: 200 });

    const results = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)));
    expect(results.status).toBe(409); // no live results while open
    expect((await admin.call(admin.api.admin.sittings[':id'].close.$post(byId(sittingId)))).status).toBe(200);

    const late = await submit({ token: tokens[VOTERS]!.token, submissionId: randomUUID(), answers: {} });
    expect(late.status).toBe(423);
    expect(errorOf(late).code).toBe('sitting_closed');
  });

  it('reports per-option counts equal to the tally the voters made', async () => {
    const results = await admin.call(admin.api.admin.sittings[':id'].results.$get(byId(sittingId)));
    expect(results.status).toBe(200);
    expect(results.body.ballots).toBe(VOTERS);
    expect(results.body.reconciliation).toMatchObject({ issued: 202, used: 200, unused: 2, ballots: 200, balanced: true });
    let compared = 0;
    for (const form of results.body.forms) {
      for (const subject of form.subjects) {
        for (const question of subject.questions) {
          for (const [value, n] of Object.entries(question.counts)) {
            expect(n, key(form.id, subject.id, question.id, value)).toBe(tally.get(key(form.id, subject.id, question.id, value)) ?? 0);
            compared++;
          }
          expect(question.valid + question.blank).toBe(VOTERS);
        }
      }
    }
    expect(compared).toBe(CADRES * 4 + CADRES * (3 * 4 + 2 * 2));
  });

  it('publishes exactly the receipts handed out on the receipt board', async () => {
    const board = await voter.call(voter.api.public.sittings[':id'].receipts.$get(byId(sittingId)));
    expect(board.status).toBe(200);
    expect(board.body.receipts).toEqual([...receiptsHandedOut].sort());
    expect(new Set(board.body.receipts).size).toBe(VOTERS);
  });

  it('leaves a database that cannot link a slip to a ballot', async () => {
    const { db } = server;
    const tables = await tableNames();
    const cells: string[] = [];
    for (const table of tables) for (const row of await rowsOf(table)) for (const v of Object.values(row)) cells.push(String(v).toLowerCase());
    const everything = cells.join('\n');
    for (const { token } of tokens) expect(everything.includes(token)).toBe(false);
    for (const id of submissionIds) expect(everything.includes(id.toLowerCase())).toBe(false);

    // Nothing but the sitting, the voter group and the dry-run class is shared; receipts share only the sitting and class.
    const [tokenColumns, ballotColumns, receiptColumns] = [await columnsOf('tokens'), await columnsOf('ballots'), await columnsOf('receipts')];
    const shared = tokenColumns.filter((c) => ballotColumns.includes(c));
    expect(shared.sort()).toEqual(['dry_run', 'sitting_id', 'voter_group']);
    expect(receiptColumns.filter((c) => ballotColumns.includes(c)).sort()).toEqual(['dry_run', 'sitting_id']);
    for (const table of ['ballots', 'tokens', 'receipts']) expect(await foreignKeysOf(table), table).toEqual([]);
    for (const c of [...tokenColumns, ...ballotColumns, ...receiptColumns]) expect(c).not.toMatch(/time|_at$|date|seq/);
    const tokenValues = new Set<string>();
    for (const row of await db.select({ tokenHash: tokenRows.tokenHash, batchId: tokenRows.batchId, dedupeHash: tokenRows.dedupeHash }).from(tokenRows)) for (const v of Object.values(row)) if (v !== null) tokenValues.add(String(v));
    for (const row of await db.select({ id: ballotRows.id }).from(ballotRows)) for (const v of Object.values(row)) expect(tokenValues.has(String(v))).toBe(false);

    // No row holds a receipt beside answers (tests/server/layout.test.ts checks positions in the raw file).
    const receiptSet = new Set(receiptsHandedOut);
    for (const table of tables) {
      for (const row of await rowsOf(table)) {
        const values = Object.values(row).map(String);
        if (values.some((v) => receiptSet.has(v))) expect(values.some((v) => v.includes('"overall"') || v.includes('"loyalty"')), `${table.name} holds a receipt beside answers`).toBe(false);
      }
    }
    const stored = await db.select().from(ballotRows).where(eq(ballotRows.sittingId, sittingId));
    expect(stored).toHaveLength(VOTERS);
  });

  it('logs no token and no submission id', () => {
    expect(server.logs.length).toBeGreaterThan(VOTERS);
    const log = server.logs.join('\n').toLowerCase();
    for (const { token } of tokens) expect(log.includes(token)).toBe(false);
    for (const id of submissionIds) expect(log.includes(id.toLowerCase())).toBe(false);
  });
});
