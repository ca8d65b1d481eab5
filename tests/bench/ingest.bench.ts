import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Answers, BallotDefinition } from '../../shared/forms';
import { ApiClient, setUpSitting } from '../helpers/api-client';
import { startServerProcess } from '../helpers/process';
import { ADMIN_PASSWORD } from '../helpers/server';
import { memoryOf, mib, sampleMemory, type MemorySampler } from './memory';
import { startBareIngest } from './memory-bare-ingest';
import { summariseProfile } from './profile-summary';

/**
 * Plenary ingest over HTTP: 3,000 ballots of 100 cadres (cadre + political forms, ~15 KB bodies)
 * sent 40 at a time to the real server, in each of two rounds, beside the per-ballot durable limit measured in the same
 * run: a bare node:http server that parses the JSON and runs one prepared insert per ballot in
 * its own immediate transaction, WAL and synchronous=FULL (memory-bare-ingest.ts).
 *
 * Both run as child processes, the server as `npm start` runs it, so that the load generator's
 * memory and CPU are not counted as theirs: the server's resident set (VmRSS of /proc/<pid>/status,
 * sampled every 10 ms during the ingest, and VmHWM after it) is printed beside the same process
 * idle after its start. VmHWM counts the start too (~290 MiB: the admin's scrypt hash, 128 MiB,
 * on top of tsx compiling the server): it is the ingest's peak only if it rose during the ingest.
 * BENCH_SERVER_NODE_OPTIONS, if set, is the server's NODE_OPTIONS (to
 * try V8 heap limits, e.g. "--max-semi-space-size=8 --max-old-space-size=96"); BENCH_PROFILE=1
 * profiles the server (node --cpu-prof) and prints where its CPU went (profile-summary.ts).
 */
const BALLOTS = 3000;
/**
 * The two servers take turns, bare then ours, this many times: on two shared cores a single
 * 3-second load of each swung the ratio by ±15% from run to run; alternating spreads any drift
 * (a busy neighbour, the disk) over both, and the figures are over all rounds together.
 */
const ROUNDS = 2;
/** Ballots sent first to each server, not measured: both are timed warm (the JIT done), as a server is minutes into a sitting. */
const WARMUP = 300;
const CONCURRENCY = 40;

export function answersFor(definition: BallotDefinition, seed: number): Answers {
  const out: Answers = {};
  for (const form of definition.forms) {
    out[form.id] = Object.fromEntries(form.subjects.map((s, i) => [String(s.id), Object.fromEntries(form.questions.map((q, j) => [q.id, q.options[1 + ((seed + i + j) % (q.options.length - 1))]!.value]))]));
  }
  return out;
}

export interface Load {
  latencies: number[];
  seconds: number;
}

export async function load(url: string, bodies: string[]): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`ingest: ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Ballots a second and p99 over one or more loads taken together. */
export function figures(loads: Load[]): { perSecond: number; p99: number } {
  const latencies = loads.flatMap((l) => l.latencies).sort((a, b) => a - b);
  const seconds = loads.reduce((sum, l) => sum + l.seconds, 0);
  return { perSecond: latencies.length / seconds, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ceping-ingest-'));
  // BENCH_PROFILE=1: the server runs under `node --cpu-prof`, summarised after it stops.
  const profileDir = process.env.BENCH_PROFILE ? mkdtempSync(join(tmpdir(), 'ceping-ingest-profile-')) : null;
  const server = await startServerProcess(
    { DB_FILE: join(dir, 'ceping.sqlite'), ADMIN_PASSWORD, CEPING_DEMO: '0', ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) },
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  try {
    const pid = server.child.pid!;
    await new Promise((r) => setTimeout(r, 500));
    const idle = memoryOf(pid);
    const admin = await new ApiClient(server.url).login();
    const { sittingId } = await setUpSitting(admin, { cadres: 100, forms: [{ kind: 'cadre', maxTopShare: 0.3 }, 'political'] });
    const sitting = admin.api.admin.sittings[':id'];
    const param = { id: String(sittingId) };
    const tokens: string[] = [];
    while (tokens.length < ROUNDS * BALLOTS + WARMUP) tokens.push(...(await admin.call(sitting.tokens.$post({ param, json: { voterGroup: '委员', count: 1000 } }))).body.tokens);
    await admin.call(sitting.open.$post({ param }));
    const definition: BallotDefinition = (await admin.call(admin.api.voter.ballot.$post({ json: { token: tokens[0]! } }))).body;
    const bodyOf = (token: string, i: number) => JSON.stringify({ token, submissionId: randomUUID(), answers: answersFor(definition, i) });
    const rounds = Array.from({ length: ROUNDS }, (_, r) => tokens.slice(r * BALLOTS, (r + 1) * BALLOTS).map(bodyOf));
    const warmUp = tokens.slice(ROUNDS * BALLOTS).map(bodyOf);
    // Both servers get the same bodies: the bare limit stores whatever it is sent.
    const bare = await startBareIngest(join(dir, 'bare.sqlite'));
    const bareLoads: Load[] = [];
    const ourLoads: Load[] = [];
    let bareMem: ReturnType<MemorySampler['stop']>;
    let during: ReturnType<MemorySampler['stop']>;
    const before = memoryOf(pid);
    try {
      const bareMemory = sampleMemory(bare.child.pid!);
      const memory = sampleMemory(pid);
      await load(bare.url, warmUp);
      await load(`${server.url}/api/voter/submit`, warmUp);
      for (const bodies of rounds) {
        bareLoads.push(await load(bare.url, bodies));
        ourLoads.push(await load(`${server.url}/api/voter/submit`, bodies));
      }
      bareMem = bareMemory.stop();
      during = memory.stop();
    } finally {
      await bare.stop();
    }
    const ours = figures(ourLoads);
    const limit = figures(bareLoads);
    const round = (l: Load) => `${Math.round(l.latencies.length / l.seconds)}/s p99 ${Math.round(figures([l]).p99)} ms`;
    console.log(`rounds (bare limit | ours): ${bareLoads.map((b, i) => `${round(b)} | ${round(ourLoads[i]!)}`).join('; ')}`);
    console.log(`ingest: ${ROUNDS} x ${BALLOTS} ballots after ${WARMUP} to warm up (${Math.round(rounds[0]![0]!.length / 1024)} KB bodies) at ${CONCURRENCY} concurrent: ${Math.round(ours.perSecond)} ballots/s, p99 ${Math.round(ours.p99)} ms`);
    console.log(`per-ballot durable limit (bare node:http, one immediate transaction each): ${Math.round(limit.perSecond)} /s, p99 ${Math.round(limit.p99)} ms; ratio ${(ours.perSecond / limit.perSecond).toFixed(2)} (goal >= 1.0)`);
    // VmHWM is the process's lifetime peak, first set by the start (tsx compiling the server):
    // it tells of the ingest only if it rose during it, and then it is the ingest's true peak.
    const hwm = during.hwmKiB > before.hwmKiB ? `VmHWM rose to ${mib(during.hwmKiB)} MiB during it (its true peak)` : `VmHWM ${mib(during.hwmKiB)} MiB unchanged since the start set it`;
    const peak = Math.max(during.peak.rssKiB, during.hwmKiB > before.hwmKiB ? during.hwmKiB : 0);
    console.log(
      `server memory (child process, VmRSS every 10 ms, ${during.samples} samples over both servers' rounds): peak ${mib(peak)} MiB during the ingest (goal < 200 MB = 191 MiB); sampled peak ${mib(during.peak.rssKiB)} MiB (${mib(during.peak.anonKiB)} anonymous, ${mib(during.peak.fileKiB)} file-backed), ${hwm}; baseline: the same process idle after start ${mib(idle.rssKiB)} MiB (${mib(idle.anonKiB)} anonymous, ${mib(idle.fileKiB)} file-backed), ${mib(before.rssKiB)} MiB once the sitting was set up; the bare limit server peaked at ${mib(bareMem.peak.rssKiB)} MiB (VmHWM ${mib(bareMem.hwmKiB)} MiB)`,
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (profileDir) {
    console.log(summariseProfile(profileDir));
    rmSync(profileDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
