import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
let app: string;

const codegen = (...extra: string[]) =>
  runCli(['codegen', '--operations', 'operations', '--out', 'generated', '--versions', '2026-04', ...extra], {
    cwd: app,
  });

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'scs-codegen-'));
  await cp(join(repo, 'examples/app/operations'), join(app, 'operations'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'codegen-app', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
});
afterAll(() => rm(app, { recursive: true, force: true }));
beforeEach(() => rm(join(app, 'generated'), { recursive: true, force: true }));

describe('codegen with a bad --out tree', () => {
  it('exits 2 naming <out>/<version> when it is a file, without a stack trace', async () => {
    await mkdir(join(app, 'generated'));
    await writeFile(join(app, 'generated/2026-04'), '');
    const run = await codegen();
    expect(run.code, run.all).toBe(2);
    expect(run.stderr).toContain('generated/2026-04');
    expect(run.stderr).toContain('is a file');
    expect(run.all).not.toMatch(/\n\s+at /); // no stack frames
    expect(await readdir(join(app, 'generated'))).toEqual(['2026-04']);
  }, 60_000);

  it('names the output file that is a folder, and writes nothing', async () => {
    await mkdir(join(app, 'generated/2026-04/index.ts'), { recursive: true });
    const run = await codegen();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('generated/2026-04/index.ts');
    expect(run.stderr).toContain('nothing was written');
    expect(await readdir(join(app, 'generated/2026-04'))).toEqual(['index.ts']);
  }, 60_000);
});

describe('codegen when a write fails part-way (a full disk: here, a file size limit)', () => {
  it('leaves every generated file as it was, not a mix of old and new files', async () => {
    // A first, complete run.
    expect((await codegen()).code).toBe(0);
    const before = Object.fromEntries(
      await Promise.all(
        (await readdir(join(app, 'generated/2026-04'))).map(async (f) => [
          f,
          await readFile(join(app, 'generated/2026-04', f), 'utf8'),
        ]),
      ),
    );
    // A changed operation changes documents.ts (small) and graphql.ts / gql.ts (larger).
    const operation = join(app, 'operations/ShopName.graphql');
    const original = await readFile(operation, 'utf8');
    await writeFile(operation, original.replace('    name\n', '    name\n    description\n'));
    try {
      // Files above 2 KiB cannot be written (EFBIG), as on a disk that fills up mid-run.
      const command =
        `ulimit -f 2; exec ${JSON.stringify(join(repo, 'node_modules/.bin/tsx'))} ` +
        `${JSON.stringify(join(repo, 'src/cli/bin.ts'))} codegen --operations operations --out generated --versions 2026-04`;
      const run = await exec('bash', ['-c', command], { cwd: app }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      for (const [file, content] of Object.entries(before)) {
        expect(await readFile(join(app, 'generated/2026-04', file), 'utf8'), `${file} was rewritten`).toBe(content);
      }
      expect((await readdir(join(app, 'generated/2026-04'))).sort()).toEqual(Object.keys(before).sort());
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/could not write generated\/2026-04\/\w+\.ts \(EFBIG\); nothing was written/);
    } finally {
      await writeFile(operation, original);
    }
  }, 90_000);
});
