import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process';

const run = promisify(execFile);

/** Runs `tsc -p <project>` as `npm run typecheck` does; returns its diagnostics. */
async function typecheck(project: string): Promise<{ ok: boolean; out: string; files: string }> {
  const tsc = resolve(ROOT, 'node_modules/.bin/tsc');
  const listed = await run(tsc, ['-p', project, '--listFilesOnly'], { cwd: ROOT }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  try {
    const { stdout } = await run(tsc, ['-p', project], { cwd: ROOT });
    return { ok: true, out: stdout, files: listed.stdout };
  } catch (e) {
    return { ok: false, out: (e as { stdout: string }).stdout, files: listed.stdout };
  }
}

const PROBE = ["import { readFileSync } from 'node:fs';", 'export const env = process.env.HOME;', "export const bytes = Buffer.from('x');", 'export const read = readFileSync;', ''].join('\n');

describe('client code cannot see Node', () => {
  for (const [project, dir] of [
    ['client', 'client/vote'],
    ['client', 'client/admin'],
    ['client/sw', 'client/sw'],
  ] as const) {
    it(`a file in ${dir} that uses process, Buffer or node:fs fails the typecheck of ${project}`, async () => {
      const probe = resolve(ROOT, dir, `boundary-probe-${process.pid}.ts`);
      writeFileSync(probe, PROBE);
      try {
        const { ok, out, files } = await typecheck(project);
        expect(ok).toBe(false);
        const mine = out.split('\n').filter((line) => line.includes(`boundary-probe-${process.pid}.ts`));
        expect(mine.some((l) => l.includes("'node:fs'"))).toBe(true);
        expect(mine.some((l) => l.includes("'process'"))).toBe(true);
        expect(mine.some((l) => l.includes("'Buffer'"))).toBe(true);
        // Neither Node's types nor a server source is part of the client's program: only the emitted API type.
        const program = files.split('\n').filter(Boolean);
        expect(program.filter((f) => f.includes('@types/node'))).toEqual([]);
        expect(program.filter((f) => f.includes('/server/') && !f.endsWith('dist/api-types/server/api-type.d.ts'))).toEqual([]);
      } finally {
        rmSync(probe, { force: true });
      }
    });
  }
});
