import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globPattern, resolveOperations } from '../../src/tooling/operationFiles.js';
import { runCli } from '../fixtures/schema/cli.js';

// `--operations` means the same in codegen, schema check and schema diff: a folder, a quoted glob or one file,
// through one resolver; what it cannot mean is one line and exit code 2.

const repo = resolve(import.meta.dirname, '../..');
let app: string;

beforeAll(async () => {
  // An app whose operations live in a nested folder, next to a file that is not an operation.
  app = await mkdtemp(join(tmpdir(), 'scs-operations-'));
  await cp(join(repo, 'examples/app/operations'), join(app, 'app/graphql'), { recursive: true });
  await mkdir(join(app, 'app/graphql/shop'));
  await writeFile(join(app, 'app/graphql/shop/ShopCurrency.gql'), 'query ShopCurrency { shop { name } }\n');
  await writeFile(join(app, 'app/graphql/README.md'), '# not an operation\n');
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'operations-app', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
});
afterAll(() => rm(app, { recursive: true, force: true }));

const check = (operations: string, ...extra: string[]) =>
  runCli(['schema', 'check', '--operations', operations, '--versions', '2026-04', ...extra], { cwd: app });
const diff = (operations: string) =>
  runCli(['schema', 'diff', '2026-01', '2026-04', '--operations', operations, '--json'], { cwd: app });
const codegen = (operations: string, out: string) =>
  runCli(['codegen', '--operations', operations, '--out', out, '--versions', '2026-04'], { cwd: app });

describe('--operations, one resolver for every command', () => {
  it('reads a folder recursively, a quoted glob and a file the same way in schema check', async () => {
    const folder = await check('app/graphql');
    expect(folder.code, folder.all).toBe(0);
    expect(folder.stdout).toMatch(/^schema check: 3 operation\(s\) valid against 2026-04 /);
    const glob = await check('app/**/*.{graphql,gql}');
    expect(glob.stdout).toMatch(/^schema check: 3 operation\(s\) valid against 2026-04 /);
    const narrower = await check('app/graphql/*.graphql');
    expect(narrower.stdout).toMatch(/^schema check: 2 operation\(s\) valid against 2026-04 /);
    const file = await check('app/graphql/ShopName.graphql');
    expect(file.stdout).toMatch(/^schema check: 1 operation\(s\) valid against 2026-04 /);
  });

  it('reads a folder and a glob the same way in schema diff', async () => {
    const [folder, glob] = await Promise.all([diff('app/graphql'), diff('app/graphql/**/*.{graphql,gql}')]);
    expect(folder.code, folder.all).toBe(0);
    expect(JSON.parse(glob.stdout)).toEqual(JSON.parse(folder.stdout));
  });

  it('generates the same documents from a folder as from the glob of its files', async () => {
    const folder = await codegen('app/graphql', 'from-folder');
    expect(folder.code, folder.all).toBe(0);
    const glob = await codegen('app/graphql/**/*.{graphql,gql}', 'from-glob');
    expect(glob.code, glob.all).toBe(0);
    const documents = await readFile(join(app, 'from-folder/2026-04/documents.ts'), 'utf8');
    expect(documents).toContain('export const ShopCurrencyDocument');
    expect(documents).toContain('export const CustomerOrdersDocument');
    expect(await readFile(join(app, 'from-glob/2026-04/documents.ts'), 'utf8')).toBe(documents);
  }, 60_000);
});

describe('what --operations and --out cannot mean: one line, exit code 2', () => {
  it.each([
    ['codegen', ['codegen', '--out', 'generated']],
    ['schema check', ['schema', 'check']],
    ['schema diff', ['schema', 'diff', '2026-01', '2026-04']],
  ])('%s: a glob that matches no file', async (_, command) => {
    const run = await runCli([...command, '--operations', 'graphql/*.graphql'], { cwd: app });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'storefront-customer-session: --operations "graphql/*.graphql" matches no .graphql or .gql file ' +
        '(looked under graphql/).',
    );
    expect(run.stdout).toBe('');
  });

  it('a folder or file that does not exist, and a folder without operations', async () => {
    const missing = await check('app/operations');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'storefront-customer-session: there is no folder or .graphql file at "app/operations" (--operations): pass ' +
        "the folder of the app's operations, or a quoted glob such as --operations 'app/**/*.graphql'.",
    );
    await mkdir(join(app, 'empty'), { recursive: true });
    const empty = await check('empty');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('storefront-customer-session: --operations "empty" holds no .graphql or .gql file.');
  });

  it('an unquoted glob the shell expanded into several arguments', async () => {
    const expanded = ['app/graphql/CustomerOrders.graphql', 'app/graphql/ShopName.graphql'];
    for (const command of [
      ['codegen', '--operations', ...expanded, '--out', 'generated'],
      ['schema', 'check', '--operations', ...expanded],
      ['schema', 'diff', '2026-01', '2026-04', '--operations', ...expanded],
    ]) {
      const run = await runCli(command, { cwd: app });
      expect(run.code, command.join(' ')).toBe(2);
      expect(run.stderr).toBe(
        'storefront-customer-session: --operations got 2 values: the shell expanded an unquoted glob. Quote it, ' +
          "e.g. --operations 'app/**/*.graphql'.",
      );
    }
  });

  it('--out naming a file, existing or not', async () => {
    await writeFile(join(app, 'generated.txt'), 'a file\n');
    const existing = await codegen('app/graphql', 'generated.txt');
    expect(existing.code).toBe(2);
    expect(existing.stderr).toBe(
      'storefront-customer-session: --out "generated.txt" is a file: codegen writes a folder per API version ' +
        'there (<out>/<version>/documents.ts). Pass a folder, e.g. --out app/generated.',
    );
    const named = await codegen('app/graphql', 'app/generated.ts');
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('--out "app/generated.ts" names a file: codegen writes a folder per API version');
  });
});

describe('globPattern', () => {
  it.each([
    ['*.graphql', 'A.graphql', true],
    ['*.graphql', 'sub/A.graphql', false],
    ['*.graphql', '.hidden.graphql', false],
    ['**/*.graphql', 'A.graphql', true],
    ['**/*.graphql', 'a/b/A.graphql', true],
    ['**/*.graphql', 'a/.cache/A.graphql', false],
    ['**/*.{graphql,gql}', 'a/A.gql', true],
    ['**', 'a/b/A.graphql', true],
    ['Customer?.graphql', 'Customer1.graphql', true],
    ['[A-C]*.graphql', 'Shop.graphql', false],
    ['[!A-C]*.graphql', 'Shop.graphql', true],
    ['a.b/*.graphql', 'aXb/A.graphql', false],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globPattern(glob).test(path)).toBe(expected);
  });

  it('splits a glob at its first wildcard folder, and gives graphql-codegen a folder as the glob of its files', () => {
    const glob = resolveOperations('app/**/*.graphql', app)!;
    expect(glob).toMatchObject({ kind: 'glob', root: join(app, 'app'), codegenPointer: 'app/**/*.graphql' });
    expect(glob.matches('graphql/ShopName.graphql')).toBe(true);
    const folder = resolveOperations('app/graphql', app)!;
    expect(folder).toMatchObject({ kind: 'folder', codegenPointer: 'app/graphql/**/*.{graphql,gql}' });
    expect(folder.matches('README.md')).toBe(false);
    expect(resolveOperations('nowhere', app)).toBeUndefined();
  });
});
