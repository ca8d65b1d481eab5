/**
 * Grading the demo province (issue 5: target under 1 s on two cores). Prints the median of
 * several runs and, measured in the same run, a baseline: sorting every pool once by the
 * quota's order, the least any grading must do. `npx tsx tests/bench/grading.bench.ts`
 */
import { fileURLToPath } from 'node:url';
import { demoProvince, gradeAssessment, poolIdOf, scoreSheet, type Subject } from '../../shared/grading';

const RUNS = 9;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(fn: () => unknown, runs: number): number {
  fn(); // warm-up: the first run pays for JIT compilation
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Baseline: composites of every subject, then each pool sorted once by composite. */
function sortPools(subjects: readonly Subject[], policy: ReturnType<typeof demoProvince>['policy']): number {
  const pools = new Map<string, number[]>();
  for (const s of subjects) {
    const composite = scoreSheet(s.kind, s.components, s.povertyResult, policy).composite ?? 0;
    const id = poolIdOf(s);
    const pool = pools.get(id);
    if (pool === undefined) pools.set(id, [composite]);
    else pool.push(composite);
  }
  let n = 0;
  for (const pool of pools.values()) n += pool.sort((a, b) => b - a).length;
  return n;
}

export async function run(): Promise<void> {
  const buildMs = time(() => demoProvince(), 3);
  const { current, policy } = demoProvince();
  const gradeMs = time(() => gradeAssessment(current, policy), RUNS);
  const baselineMs = time(() => sortPools(current.subjects, policy), RUNS);
  const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
  console.log(`grading the demo province (${current.subjects.length} subjects), median of ${RUNS}: ${fmt(gradeMs)} (target < 1000 ms)`);
  console.log(`baseline, composites + each pool sorted once: ${fmt(baselineMs)}; ratio ${(gradeMs / baselineMs).toFixed(1)}×`);
  console.log(`building the province's two years of inputs: ${fmt(buildMs)}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
