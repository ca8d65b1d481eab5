import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STREAM_LIMITS } from '../../server/limits';
import { ApiClient, byId, setUpSitting } from '../helpers/api-client';
import { startServerProcess, type ServerProcess } from '../helpers/process';

/**
 * Issue 11, "turnout fan-out": 50 organiser screens hold turnout streams (SSE) while 200 ballots
 * a second arrive. Measures, on the server as `npm start` runs it (a child process):
 * - update latency: from a ballot's 201 to the first `turnout` event on each stream whose `used`
 *   count includes it (goal: p99 < 1 s);
 * - pushes per stream per second (coalesced by STREAM_LIMITS.minPushIntervalMs; goal: ≤ 4);
 * - the server's CPU (utime + stime of /proc/<pid>/stat) over the same ballot load with 50 streams,
 *   against a baseline of the same load with no stream, measured in the same run: half of it
 *   before the streams phase and half after (A B A), compared per ballot.
 * "Includes it": when ballot b's 201 is the r-th 201 of a phase, at least r ballots of the phase
 * are committed, b among them; the first event with used ≥ (used before the phase) + r counts it.
 */
const PASSWORD = 'bench-admin-password';
const RATE = 200; // ballots a second
const LOAD_MS = 10_000; // the streams phase, and the two baseline halves together
const WARM_MS = 2_000; // an unmeasured warm-up (JIT, SQLite cache) before the baseline
const DRAIN_MS = 1_000; // after the last ballot (sent and answered): the last pushes, inside the CPU window
const SESSIONS = 5;
const STREAMS = SESSIONS * STREAM_LIMITS.perSession; // 50
const CADRES = 20;

interface Ballot {
  body: string;
}

interface Phase {
  /** performance.now() of each 201, in arrival order. */
  acked: number[];
  /** Submit round trips (ms). */
  roundTrips: number[];
  /** Refusals by status, and requests that failed outright by their error code. */
  failed: Map<number | string, number>;
  firstSent: number;
  lastSent: number;
  cpuMs: number;
  windowMs: number;
}

interface TurnoutEvent {
  at: number;
  used: number;
}

interface Stream {
  controller: AbortController;
  events: TurnoutEvent[];
  done: Promise<void>;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `work` on `items` with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Submits `ballots` at a steady RATE (by the clock, catching up if a timer fires late). */
async function steadyLoad(url: string, ballots: Ballot[], pid: number): Promise<Phase> {
  const phase: Phase = { acked: [], roundTrips: [], failed: new Map(), firstSent: 0, lastSent: 0, cpuMs: 0, windowMs: 0 };
  const inFlight: Promise<void>[] = [];
  const submit = (ballot: Ballot) => {
    const sent = performance.now();
    return fetch(`${url}/api/voter/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ballot.body }).then(async (res) => {
      const at = performance.now();
      await res.arrayBuffer();
      if (res.status === 201) {
        phase.acked.push(at);
        phase.roundTrips.push(at - sent);
      } else phase.failed.set(res.status, (phase.failed.get(res.status) ?? 0) + 1);
    }, (err: Error & { cause?: { code?: string } }) => {
      const code = err.cause?.code ?? err.name;
      phase.failed.set(code, (phase.failed.get(code) ?? 0) + 1);
    });
  };
  const cpuBefore = cpuMsOf(pid);
  const start = performance.now();
  phase.firstSent = start;
  let sent = 0;
  while (sent < ballots.length) {
    const due = Math.min(ballots.length, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
    while (sent < due) inFlight.push(submit(ballots[sent++]!));
    phase.lastSent = performance.now();
    await sleep(Math.max(0, start + (sent * 1000) / RATE - performance.now()));
  }
  await Promise.all(inFlight);
  // The last pushes come up to minPushIntervalMs after the last 201, however late that was.
  await sleep(Math.max(0, Math.max(phase.lastSent, phase.acked.at(-1) ?? 0) + DRAIN_MS - performance.now()));
  phase.windowMs = performance.now() - start;
  phase.cpuMs = cpuMsOf(pid) - cpuBefore;
  return phase;
}

/** Opens a turnout stream and records every `turnout` event with its arrival time. */
async function openStream(url: string, sittingId: number, cookie: string): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/admin/sittings/${sittingId}/turnout/stream`, { headers: { Cookie: cookie }, signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream: ${res.status} ${await res.text()}`);
  const events: TurnoutEvent[] = [];
  const done = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        const at = performance.now();
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: turnout$/m.test(block)) continue;
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) events.push({ at, used: (JSON.parse(data) as { used: number }).used });
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
  })();
  return { controller, events, done };
}

function answersFor(forms: { id: string; subjects: { id: number }[]; questions: { id: string; options: { value: string }[] }[] }[], seed: number) {
  // Varied grades, as a hall votes; the top grade on a quarter of the subjects at most.
  return Object.fromEntries(
    forms.map((form) => [
      form.id,
      Object.fromEntries(
        form.subjects.map((s, i) => [
          String(s.id),
          Object.fromEntries(
            form.questions.map((q, j) => {
              const value = q.options[(seed + i + j) % q.options.length]!.value;
              return [q.id, value === 'excellent' && i % 4 !== 0 ? q.options[1]!.value : value];
            }),
          ),
        ]),
      ),
    ]),
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-bench-fanout-'));
  let server: ServerProcess | undefined;
  const streams: Stream[] = [];
  const benchStarted = performance.now();
  try {
    server = await startServerProcess({ DB_FILE: join(dir, 'ceping.sqlite'), ADMIN_PASSWORD: PASSWORD, CEPING_DEMO: '0' });
    const { url } = server;
    const pid = server.child.pid!;
    const admin = await new ApiClient(url).login('admin', PASSWORD);
    // The other organiser sessions log in (scrypt, one at a time on 2 cores) while the sitting is set up.
    const organisers = Promise.all(Array.from({ length: SESSIONS - 1 }, () => new ApiClient(url).login('admin', PASSWORD)));

    const { sittingId } = await setUpSitting(admin, { cadres: CADRES });
    const warm = Math.round((WARM_MS * RATE) / 1000);
    const measured = Math.round((LOAD_MS * RATE) / 1000);
    const needed = warm + 2 * measured;
    const tokens: string[] = [];
    while (tokens.length < needed) {
      const count = Math.min(2000, needed - tokens.length);
      const batch = await admin.call(admin.api.admin.sittings[':id'].tokens.$post({ ...byId(sittingId), json: { voterGroup: '委员', count } }));
      if (batch.status !== 201) throw new Error(`tokens: ${batch.status} ${JSON.stringify(batch.body)}`);
      tokens.push(...batch.body.tokens);
    }
    const opened = await admin.call(admin.api.admin.sittings[':id'].open.$post(byId(sittingId)));
    if (opened.status !== 200) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);

    // Phones open their ballots before the clock starts. Opening all 4,400 would cost the server ~9 s
    // of CPU (~2 ms each), so a spread sample is opened; every slip of the sitting's one voter group
    // gets the same definition (checked), and each ballot's answers are built from it.
    const voter = new ApiClient(url, null);
    const sample = Array.from({ length: 16 }, (_, k) => tokens[Math.floor((k * tokens.length) / 16)]!);
    const definitions: string[] = [];
    await pool(sample, 4, async (token) => {
      const def = await voter.call(voter.api.voter.ballot.$post({ json: { token } }));
      if (def.status !== 200) throw new Error(`ballot: ${def.status} ${JSON.stringify(def.body)}`);
      definitions.push(JSON.stringify(def.body.forms));
    });
    if (new Set(definitions).size !== 1) throw new Error('slips of one voter group opened different ballots');
    const forms = JSON.parse(definitions[0]!) as Parameters<typeof answersFor>[0];
    const ballots: Ballot[] = tokens.map((token, i) => ({ body: JSON.stringify({ token, submissionId: randomUUID(), answers: answersFor(forms, i) }) }));
    const sessions = [admin, ...(await organisers)];
    const bodyBytes = Buffer.byteLength(ballots[0]!.body);
    const usedNow = async () => (await admin.call(admin.api.admin.sittings[':id'].turnout.$get(byId(sittingId)))).body.used;

    // Client event-loop lag (timer lateness): jitter it adds to every arrival time measured here.
    let lagMaxMs = 0;
    let lagLast = performance.now();
    const lagTimer = setInterval(() => {
      const now = performance.now();
      lagMaxMs = Math.max(lagMaxMs, now - lagLast - 20);
      lagLast = now;
    }, 20);

    // Warm-up; then baseline (no stream) and streams phases as A B A, each A half as long, so a
    // drift of the machine's load over the run weighs on both sides alike.
    const half = measured / 2;
    let next = 0;
    const take = (n: number) => ballots.slice(next, (next += n));
    await steadyLoad(url, take(warm), pid);
    const used0 = await usedNow();
    const baseA = await steadyLoad(url, take(half), pid);

    // 50 screens: 10 streams on each of 5 sessions.
    for (const session of sessions) for (let k = 0; k < STREAM_LIMITS.perSession; k++) streams.push(await openStream(url, sittingId, session.cookie!));
    if (streams.length !== STREAMS) throw new Error(`opened ${streams.length} streams, wanted ${STREAMS}`);
    await sleep(500); // each stream's first push (the counts at open) arrives
    const fanUsed0 = await usedNow();
    lagMaxMs = 0;
    const fanout = await steadyLoad(url, take(measured), pid);
    const fanoutLagMs = lagMaxMs;
    for (const s of streams) s.controller.abort();
    await Promise.all(streams.map((s) => s.done));
    await sleep(300); // the server sees the streams end

    const baseB = await steadyLoad(url, take(measured - half), pid);
    clearInterval(lagTimer);
    const finalUsed = await usedNow();

    // Update latency, per ballot and stream.
    const latencies: number[] = [];
    let missing = 0;
    let countedFirst = 0; // the event reached the client before the ballot's 201 did: latency 0
    for (const s of streams) {
      const during = s.events.filter((e) => e.at >= fanout.firstSent);
      let k = 0;
      fanout.acked.forEach((ackAt, r) => {
        const threshold = fanUsed0 + r + 1;
        while (k < during.length && during[k]!.used < threshold) k++;
        if (k === during.length) return void missing++;
        const ms = during[k]!.at - ackAt;
        if (ms < 0) countedFirst++;
        latencies.push(Math.max(0, ms));
      });
    }
    latencies.sort((a, b) => a - b);

    // Pushes per stream per second while ballots arrive; the most in one second (whole seconds
    // from the first ballot, and any sliding 1 s); the gaps between arrivals.
    const from = fanout.firstSent;
    const to = fanout.lastSent;
    const rates: number[] = [];
    let maxPerSecond = 0;
    let maxSliding = 0;
    const gaps: number[] = [];
    for (const s of streams) {
      const at = s.events.filter((e) => e.at >= from && e.at <= to).map((e) => e.at);
      rates.push(at.length / ((to - from) / 1000));
      const buckets = new Map<number, number>();
      for (const t of at) buckets.set(Math.floor((t - from) / 1000), (buckets.get(Math.floor((t - from) / 1000)) ?? 0) + 1);
      maxPerSecond = Math.max(maxPerSecond, ...buckets.values());
      for (let i = 0, j = 0; i < at.length; i++) {
        while (at[i]! - at[j]! >= 1000) j++;
        maxSliding = Math.max(maxSliding, i - j + 1);
        if (i > 0) gaps.push(at[i]! - at[i - 1]!);
      }
    }
    gaps.sort((a, b) => a - b);
    const meanRate = rates.reduce((a, b) => a + b, 0) / rates.length;

    const f0 = (n: number) => n.toFixed(0);
    const f1 = (n: number) => n.toFixed(1);
    const roundTrips = (phases: Phase[]) => {
      const s = phases.flatMap((p) => p.roundTrips).sort((a, b) => a - b);
      return `p50 ${f1(percentile(s, 50))} ms, p99 ${f0(percentile(s, 99))} ms`;
    };
    const refused = (phases: Phase[]) => {
      const all = new Map<number | string, number>();
      for (const p of phases) for (const [status, n] of p.failed) all.set(status, (all.get(status) ?? 0) + n);
      return all.size === 0 ? 'none refused' : `refused ${JSON.stringify(Object.fromEntries(all))}`;
    };
    const acked = (phases: Phase[]) => phases.reduce((n, p) => n + p.acked.length, 0);
    const cpu = (phases: Phase[]) => phases.reduce((n, p) => n + p.cpuMs, 0);
    const windowMs = (phases: Phase[]) => phases.reduce((n, p) => n + p.windowMs, 0);
    const perBallot = (phases: Phase[]) => cpu(phases) / acked(phases);
    const base = [baseA, baseB];

    console.log(
      `set-up: ${CADRES} cadres, cadre + political forms, ballot body ${bodyBytes} bytes; ${SESSIONS} sessions x ${STREAM_LIMITS.perSession} = ${streams.length} streams; ${RATE} ballots/s, ${warm} warm-up, then baseline ${half} / streams ${measured} / baseline ${measured - half}`,
    );
    console.log(`ballots: baseline ${acked(base)} x 201 (${refused(base)}), with streams ${acked([fanout])} x 201 (${refused([fanout])}); used ${used0} -> ${fanUsed0} -> ${finalUsed}`);
    console.log(
      `update latency (201 -> first turnout event counting it), ${latencies.length} ballot x stream pairs: p50 ${f0(percentile(latencies, 50))} ms, p99 ${f0(percentile(latencies, 99))} ms, max ${f0(latencies.at(-1) ?? NaN)} ms (goal p99 < 1000 ms)${missing ? `; ${missing} pairs NEVER counted` : ''}; ${countedFirst} pairs' event arrived before their 201`,
    );
    console.log(
      `pushes per stream while ballots arrive: mean ${meanRate.toFixed(2)}/s (streams ${Math.min(...rates).toFixed(2)}-${Math.max(...rates).toFixed(2)}), most in a whole second ${maxPerSecond}, in any sliding 1 s ${maxSliding} (goal <= ${1000 / STREAM_LIMITS.minPushIntervalMs}/s; minPushIntervalMs ${STREAM_LIMITS.minPushIntervalMs}; uncoalesced it would be ${RATE}/s)`,
    );
    console.log(
      `gaps between a stream's pushes as the client saw them: min ${f0(gaps[0] ?? NaN)} ms, p1 ${f0(percentile(gaps, 1))} ms, p50 ${f0(percentile(gaps, 50))} ms; ${gaps.filter((g) => g < 240).length} of ${gaps.length} under 240 ms; client event-loop lag up to ${f0(fanoutLagMs)} ms`,
    );
    const share = (phases: Phase[]) => `${f0(cpu(phases))} ms CPU for ${acked(phases)} ballots in ${f1(windowMs(phases) / 1000)} s = ${f1((cpu(phases) / windowMs(phases)) * 100)}% of a core, ${perBallot(phases).toFixed(2)} ms per ballot`;
    console.log(`server CPU, baseline (0 streams, ${f0(baseA.cpuMs)} + ${f0(baseB.cpuMs)} ms): ${share(base)}`);
    console.log(`server CPU, ${streams.length} streams: ${share([fanout])}`);
    const extraPerSecond = (perBallot([fanout]) - perBallot(base)) * RATE;
    console.log(
      `streams cost: ${f0(cpu([fanout]) - (cpu(base) * acked([fanout])) / acked(base))} ms CPU over ${acked([fanout])} ballots = ${f1(extraPerSecond)} ms/s at ${RATE} ballots/s (${f1(extraPerSecond / 10)}% of a core, ${f1((extraPerSecond / 1000 / (streams.length * meanRate)) * 1e6)} µs per push), +${f0((perBallot([fanout]) / perBallot(base) - 1) * 100)}% over the baseline`,
    );
    console.log(`submit round trip: baseline ${roundTrips(base)}; with ${streams.length} streams ${roundTrips([fanout])}`);
    const warnings = server.output().match(/^.*Warning.*$/gm);
    if (warnings) console.log(`server warnings: ${[...new Set(warnings)].join(' | ')}`);
    console.log(`bench wall time ${f1((performance.now() - benchStarted) / 1000)} s`);
  } catch (err) {
    console.log(`server (exit ${server?.child.exitCode ?? 'running'}) said:\n${server?.output().slice(-3000)}`);
    throw err;
  } finally {
    for (const s of streams) s.controller.abort();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
