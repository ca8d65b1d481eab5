import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

let CONTRACT_DIR = '';

function lines(prefix: string): string[] {
  if (!existsSync(CONTRACT_DIR)) return [];
  return readdirSync(CONTRACT_DIR)
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) => readFileSync(resolve(CONTRACT_DIR, f), 'utf8').split('\n').filter(Boolean));
}

/** The main run starts with no record of exercised operations or contract problems. */
export function setup(): void {
  const root = resolve(import.meta.dirname, '../../test-results/contract');
  mkdirSync(root, { recursive: true });
  CONTRACT_DIR = mkdtempSync(resolve(root, 'run-'));
  // Workers start after this and inherit it.
  process.env.CEPING_CONTRACT_DIR = CONTRACT_DIR;
}

/**
 * At the end of the main run: every documented operation was exercised by some test, and no
 * response broke the document (a test that caught the error still fails the run here).
 */
export function teardown(): void {
  try {
    check();
  } finally {
    rmSync(CONTRACT_DIR, { recursive: true, force: true });
  }
}

function check(): void {
  const problems = [...new Set(lines('problems'))];
  const exercised = new Set(lines('exercised'));
  const file = resolve(CONTRACT_DIR, 'operations.json');
  if (!existsSync(file)) return; // no test reached an API
  const documented = JSON.parse(readFileSync(file, 'utf8')) as string[];
  // Only a whole run (npm test sets it) can be asked to exercise everything; a run of a few files cannot.
  const missing = process.env.CEPING_WHOLE_SUITE === '1' ? documented.filter((op) => !exercised.has(op)) : [];
  if (problems.length > 0 || missing.length > 0) {
    // Thrown alone, a teardown error is printed but leaves the exit code 0.
    process.exitCode = 1;
    throw new Error(
      [problems.length > 0 ? `Responses that break the OpenAPI document:\n  ${problems.join('\n  ')}` : '', missing.length > 0 ? `Documented operations no test exercised:\n  ${missing.join('\n  ')}` : '']
        .filter(Boolean)
        .join('\n'),
    );
  }
}
