import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DIST, voterInitialAssets } from '../build/voter-assets';

/**
 * The voter route's weight on a slow phone: the gzip size of all JS and CSS vote.html loads
 * initially (entry, static imports, shared chunks, stylesheets), against a 30 KB target.
 * Baseline in the same run: the bare preact runtime (preact/dist/preact.mjs) gzipped the same way.
 */
const TARGET_KB = 30;

const gz = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number) => (n / 1024).toFixed(2);

export async function run(): Promise<void> {
  if (!existsSync(`${DIST}vote.html`)) execFileSync('npx', ['vite', 'build'], { cwd: new URL('../..', import.meta.url).pathname, stdio: 'inherit' });
  const { js, css } = voterInitialAssets();
  let total = 0;
  for (const file of [...js, ...css]) {
    const size = gz(readFileSync(DIST + file));
    total += size;
    console.log(`  ${file.padEnd(48)} ${kb(size).padStart(7)} KB gzip`);
  }
  const preact = gz(readFileSync(new URL('../../node_modules/preact/dist/preact.mjs', import.meta.url).pathname));
  console.log(`voter initial JS + CSS: ${kb(total)} KB gzip (${js.length} JS, ${css.length} CSS); target ≤ ${TARGET_KB} KB: ${total <= TARGET_KB * 1024 ? 'OK' : 'OVER'}`);
  console.log(`baseline, bare preact runtime: ${kb(preact)} KB gzip; voter page = ${(total / preact).toFixed(1)}x the runtime alone`);
}
