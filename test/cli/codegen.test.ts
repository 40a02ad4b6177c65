import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
let app: string;

/** `codegen` for the app's operations, one version (faster). */
const codegen = (...extra: string[]) =>
  runCli(['codegen', '--operations', 'operations/*.graphql', '--out', 'generated', '--versions', '2026-04', ...extra], {
    cwd: app,
  });

beforeAll(async () => {
  // An app with operations of its own (the example app's) and graphql-codegen 7 installed (the repo's).
  app = await mkdtemp(join(tmpdir(), 'scs-codegen-app-'));
  await cp(join(repo, 'examples/app/operations'), join(app, 'operations'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'codegen-app', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
});
afterAll(() => rm(app, { recursive: true, force: true }));

describe('codegen --operations <glob> --out <dir>', () => {
  it('writes version-bound, token-injected documents per version, then passes --check', async () => {
    const run = await codegen();
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/codegen: 4 written, 0 unchanged for 2026-04 \(\d+\.\d s, @graphql-codegen\/cli \d+\./);
    expect((await readdir(join(app, 'generated/2026-04'))).sort()).toEqual([
      'documents.ts',
      'gql.ts',
      'graphql.ts',
      'index.ts',
    ]);
    const documents = await readFile(join(app, 'generated/2026-04/documents.ts'), 'utf8');
    expect(documents).toContain("from 'storefront-customer-session/codegen-runtime';");
    expect(documents).toMatch(
      /export const CustomerOrdersDocument = \/\*#__PURE__\*\/ withInjectedToken\(\/\*#__PURE__\*\/ versionDocument\(CustomerOrdersSource, apiVersion, \d+\)\);/,
    );
    expect(documents).toMatch(
      /export const ShopNameDocument = \/\*#__PURE__\*\/ versionDocument\(ShopNameSource, apiVersion, \d+\);/,
    );
    expect(documents).toContain("export const apiVersion = '2026-04' as const;");

    const check = await codegen('--check');
    expect(check.code, check.all).toBe(0);
    expect(check.stdout).toContain('codegen --check: 4 files up to date');
  }, 60_000);

  it('fails --check naming the stale files and writes nothing, then rewrites only those', async () => {
    const operation = join(app, 'operations/ShopName.graphql');
    await writeFile(
      operation,
      (await readFile(operation, 'utf8')).replace('    name\n', '    name\n    description\n'),
    );
    const indexBefore = (await stat(join(app, 'generated/2026-04/index.ts'))).mtimeMs;
    const stale = await codegen('--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('  - generated/2026-04/graphql.ts');
    // The document's key is computed from its text at codegen: documents.ts follows the text too.
    expect(stale.stderr).toContain('  - generated/2026-04/documents.ts');
    expect(await readFile(join(app, 'generated/2026-04/graphql.ts'), 'utf8')).not.toContain('description');

    const again = await codegen();
    expect(again.code, again.all).toBe(0);
    expect(again.stdout).toMatch(/codegen: 3 written, 1 unchanged for 2026-04/);
    expect(await readFile(join(app, 'generated/2026-04/graphql.ts'), 'utf8')).toContain('description');
    expect((await stat(join(app, 'generated/2026-04/index.ts'))).mtimeMs).toBe(indexBefore);
  }, 60_000);

  it('fails naming the version and the field when an operation selects what the schema lacks, and writes nothing', async () => {
    const broken = join(app, 'operations/Broken.graphql');
    await writeFile(broken, 'query Broken { shop { noSuchField } }\n');
    try {
      const run = await codegen();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('codegen: 2026-04: GraphQL Document Validation failed');
      expect(run.stderr).toContain('Cannot query field "noSuchField" on type "Shop"');
      expect(run.stderr).toContain('nothing was written');
      expect(await readFile(join(app, 'generated/2026-04/documents.ts'), 'utf8')).not.toContain('Broken');
    } finally {
      await rm(broken);
    }
  }, 60_000);

  it('refuses a version the package does not ship, naming the shipped ones', async () => {
    const run = await runCli(
      ['codegen', '--operations', 'operations/*.graphql', '--out', 'x', '--versions', '2027-01'],
      {
        cwd: app,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^storefront-customer-session: the provided version \("2027-01"\) is invalid\. /);
    expect(run.stderr).toMatch(
      /There is no 2027-01 schema in the schemas shipped in the package: (\d{4}-\d{2}, )*2026-04/,
    );
  });

  it('needs --operations and --out', async () => {
    const run = await runCli(['codegen'], { cwd: app });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('codegen needs --operations <dir|glob> and --out <dir>');
  });

  it('names what to install when the app has no graphql-codegen', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'scs-codegen-bare-'));
    await writeFile(join(bare, 'Shop.graphql'), 'query Shop { shop { name } }\n');
    try {
      const run = await runCli(['codegen', '--operations', '*.graphql', '--out', 'g'], { cwd: bare });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `storefront-customer-session: @graphql-codegen/cli is not installed in this app ("${bare}")`,
      );
      expect(run.stderr).toContain('npm install --save-dev @graphql-codegen/cli @graphql-codegen/client-preset');
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('storefront-customer-session/codegen (for teams running graphql-codegen themselves)', () => {
  it('makes graphql-codegen --config codegen.ts write the same files as the CLI', async () => {
    const cli = await codegen();
    expect(cli.code, cli.all).toBe(0);
    await writeFile(
      join(app, 'codegen.ts'),
      `import { storefrontCodegen } from ${JSON.stringify(join(repo, 'src/codegen/index.js'))};\n` +
        'export default storefrontCodegen(' +
        "{ operations: 'operations/*.graphql', out: 'own', versions: ['2026-04'] });\n",
    );
    // The bin `npx graphql-codegen` runs: it resolves the client preset from the app, as the CLI's codegen does.
    const bin = join(repo, 'node_modules/.bin/graphql-codegen');
    await exec(bin, ['--config', 'codegen.ts', '--silent'], { cwd: app });
    for (const file of ['documents.ts', 'graphql.ts', 'gql.ts', 'index.ts']) {
      expect(await readFile(join(app, 'own/2026-04', file), 'utf8'), file).toBe(
        await readFile(join(app, 'generated/2026-04', file), 'utf8'),
      );
    }
  }, 60_000);
});
