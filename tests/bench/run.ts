import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: runs every tests/bench/*.bench.ts (each exports `run()` and prints its
 * figures with a baseline measured in the same run). Name one to run only that: `npm run bench -- grading`.
 */
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();
for (const file of files) {
  console.log(`\n== ${file} ==`);
  const mod = (await import(join(here, file))) as { run: () => Promise<void> };
  await mod.run();
}
