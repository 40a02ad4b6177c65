import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
let project: string;

beforeAll(async () => {
  // A copy of the repo's codegen set-up with one schema version (faster), using the repo's node_modules.
  project = await mkdtemp(join(tmpdir(), 'scs-codegen-'));
  await mkdir(join(project, 'src/codegen'), { recursive: true });
  await mkdir(join(project, 'schema'));
  await cp(join(repo, 'codegen.ts'), join(project, 'codegen.ts'));
  await cp(join(repo, 'src/codegen/entry.ts'), join(project, 'src/codegen/entry.ts'));
  await cp(join(repo, 'operations'), join(project, 'operations'), { recursive: true });
  await cp(join(repo, 'schema/2026-04.graphql'), join(project, 'schema/2026-04.graphql'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'codegen-fixture', private: true, type: 'module' }),
  );
  await symlink(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir');
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('codegen', () => {
  it('generates, passes --check when in sync, and fails --check naming the stale files after an operation changes', async () => {
    const generate = await runCli(['codegen'], { cwd: project });
    expect(generate.code, generate.all).toBe(0);
    expect(await readFile(join(project, 'generated/2026-04/graphql.ts'), 'utf8')).toContain(
      'CustomerAccessTokenRenewDocument',
    );
    expect(generate.stdout).toMatch(/codegen: done \(\d+\.\d s\)\.$/);

    const clean = await runCli(['codegen', '--check'], { cwd: project });
    expect(clean.code, clean.all).toBe(0);
    expect(clean.stdout).toContain('codegen --check: generated/ is up to date');

    const operation = join(project, 'operations/Customer.graphql');
    await writeFile(operation, (await readFile(operation, 'utf8')).replace('    email\n', '    email\n    phone\n'));
    const stale = await runCli(['codegen', '--check'], { cwd: project });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('generated/2026-04/graphql.ts');
    expect(stale.stderr).toContain('codegen --check: failed (graphql-codegen exited 1');
    expect(await readFile(join(project, 'generated/2026-04/graphql.ts'), 'utf8')).not.toContain('phone');
  }, 90_000);

  it('fails with the install command when the project has no @graphql-codegen/cli', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'scs-codegen-bare-'));
    try {
      const run = await runCli(['codegen', '--check'], { cwd: bare });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('@graphql-codegen/cli is not installed in');
      expect(run.stderr).toContain('npm install --save-dev @graphql-codegen/cli @graphql-codegen/client-preset');
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});
