import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentVersion } from '../../src/runtime/documents.js';
import { customerAccountDocumentMismatch } from '../../src/runtime/customerAccountDocuments.js';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
let app: string;

/** `codegen --api customer-account` for the app's Customer Account operations, one version (faster). */
const codegen = (...extra: string[]) =>
  runCli(
    ['codegen', '--api', 'customer-account', '--operations', 'account/*.graphql', '--out', 'generated', ...extra],
    { cwd: app },
  );

beforeAll(async () => {
  // An app with Customer Account operations of its own (the package's, plus one) and graphql-codegen installed.
  app = await mkdtemp(join(tmpdir(), 'scs-ca-codegen-app-'));
  await cp(join(repo, 'operations-customer-account'), join(app, 'account'), { recursive: true });
  await writeFile(
    join(app, 'account/CustomerTags.graphql'),
    '# The tags of the signed-in customer.\nquery CustomerTags {\n  customer {\n    tags\n  }\n}\n',
  );
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'ca-app', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
});
afterAll(() => rm(app, { recursive: true, force: true }));

describe('codegen --api customer-account', () => {
  it('writes documents bound to customer-account/<version> into <out>/customer-account/<version>/, then passes --check', async () => {
    const run = await codegen('--versions', '2026-04');
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/codegen: 4 written, 0 unchanged/);
    expect(await readdir(join(app, 'generated'))).toEqual(['customer-account']);
    expect((await readdir(join(app, 'generated/customer-account/2026-04'))).sort()).toEqual([
      'documents.ts',
      'gql.ts',
      'graphql.ts',
      'index.ts',
    ]);
    const documents = await readFile(join(app, 'generated/customer-account/2026-04/documents.ts'), 'utf8');
    expect(documents).toContain(
      "import { customerAccountDocument } from 'storefront-customer-session/codegen-runtime';",
    );
    expect(documents).toMatch(
      /export const CustomerTagsDocument = \/\*#__PURE__\*\/ customerAccountDocument\(CustomerTagsSource, apiVersion, \d+\);/,
    );
    expect(documents).toContain(' * The tags of the signed-in customer.');
    expect(documents).not.toContain('withInjectedToken');

    const check = await codegen('--versions', '2026-04', '--check');
    expect(check.code, check.all).toBe(0);
  }, 60_000);

  it("binds the app's documents in the Customer Account key space, refused by a Storefront exchange", async () => {
    const generated = (await import(join(app, 'generated/customer-account/2026-04/documents.ts'))) as Record<
      string,
      import('graphql').DocumentNode
    >;
    expect(documentVersion(generated['CustomerTagsDocument']!)).toBe('customer-account/2026-04');
    expect(customerAccountDocumentMismatch(generated['CustomerTagsDocument']!, '2026-04')).toBeUndefined();
    expect(customerAccountDocumentMismatch(generated['CustomerTagsDocument']!, '2026-07')).toBe(
      'customer-account/2026-04',
    );
  });

  it('shares one --out with the Storefront outputs without touching them', async () => {
    await mkdir(join(app, 'generated/2026-04'), { recursive: true });
    await writeFile(join(app, 'generated/2026-04/graphql.ts'), '// the Storefront output\n');
    const run = await codegen('--versions', '2026-04');
    expect(run.code, run.all).toBe(0);
    expect(await readFile(join(app, 'generated/2026-04/graphql.ts'), 'utf8')).toBe('// the Storefront output\n');
  }, 60_000);

  it('names the Customer Account versions it ships when asked for another one', async () => {
    const run = await codegen('--versions', '2025-07');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'the provided version ("2025-07") is invalid. There is no 2025-07 schema in the Customer Account schemas ' +
        'shipped in the package: 2026-01, 2026-04, 2026-07, 2026-10.',
    );
  });

  it('fails naming the field when an operation is a Storefront one, and writes nothing new', async () => {
    const broken = join(app, 'account/Legacy.graphql');
    await writeFile(broken, 'query Legacy($t: String!) { customer(customerAccessToken: $t) { id } }\n');
    try {
      const run = await codegen('--versions', '2026-04');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Unknown argument "customerAccessToken" on field "QueryRoot.customer"');
    } finally {
      await rm(broken);
    }
  }, 60_000);
});
