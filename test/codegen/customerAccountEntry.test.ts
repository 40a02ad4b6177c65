import { documentKey } from '../../src/codegen/entry.js';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAccountEntrySource } from '../../src/codegen/customerAccountEntry.js';

const repo = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('customerAccountEntrySource', () => {
  const source = customerAccountEntrySource('2026-07', [
    { name: 'Customer', kind: 'query', description: 'Reads the customer.', injected: false, text: 'query Customer' },
    { name: 'OrderFields', kind: 'fragment', description: '', injected: false, text: 'fragment OrderFields' },
  ]);

  it('binds every operation to customer-account/<version> through the guard, and nothing else', () => {
    expect(source).toContain(
      'export const CustomerDocument = /*#__PURE__*/ customerAccountDocument(CustomerSource, apiVersion, ' +
        `${documentKey('customer-account/2026-07', 'query Customer')});`,
    );
    expect(source).toContain("export const apiVersion = '2026-07' as const;");
    expect(source).toMatch(/^ {2}CustomerQuery,\n {2}CustomerQueryVariables,\n {2}OrderFieldsFragment,$/m);
    expect(source).toContain(' * Reads the customer.\n *\n * Generated for the Customer Account API 2026-07');
  });

  it('imports the guard and the Customer Account runtime, nothing of the Storefront', () => {
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(
      new Set([
        './graphql.js',
        '../../../src/runtime/customerAccountDocuments.js',
        '@urql/core',
        '../../../src/customerAccount/index.js',
      ]),
    );
    expect(source).toContain(
      'export function customerAccountExchange(options: CustomerAccountExchangeOptions): Exchange {\n' +
        '  return createCustomerAccountExchange(apiVersion, options);\n}',
    );
  });

  it('refuses an operations folder without an operation', () => {
    expect(() => customerAccountEntrySource('2026-07', [])).toThrow(/operations-customer-account\/ has no operation/);
  });
});

describe('npm run codegen and codegen:check with the Customer Account API', () => {
  let scratch: string;
  const run = (script: string) =>
    exec('/bin/sh', ['-c', manifest.scripts[script]!], {
      cwd: scratch,
      env: { ...process.env, PATH: `${join(repo, 'node_modules/.bin')}:${process.env['PATH']}` },
    });

  beforeAll(async () => {
    // The repo's codegen inputs with one version of each API (the faster the better).
    scratch = await mkdtemp(join(tmpdir(), 'scs-ca-codegen-'));
    for (const part of ['codegen.ts', 'src', 'operations', 'operations-customer-account'])
      await cp(join(repo, part), join(scratch, part), { recursive: true });
    await mkdir(join(scratch, 'schema/customer-account'), { recursive: true });
    for (const file of ['2026-04.graphql', 'customer-account/2026-04.graphql'])
      await cp(join(repo, 'schema', file), join(scratch, 'schema', file));
    await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    await symlink(join(repo, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    await run('codegen');
  }, 120_000);
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('writes generated/customer-account/<version>/ exactly as committed in the repo', async () => {
    for (const file of ['entry.ts', 'graphql.ts']) {
      const path = `generated/customer-account/2026-04/${file}`;
      expect(await readFile(join(scratch, path), 'utf8'), path).toBe(await readFile(join(repo, path), 'utf8'));
    }
    expect(await readFile(join(scratch, 'generated/customer-account/versions.ts'), 'utf8')).toContain(
      'export const generatedVersions = ["2026-04"] as const;',
    );
  });

  it('fails codegen:check when a Customer Account operation changes and generated/ does not', async () => {
    // Up to date before (the files equal the repo's, above); stale once an operation is added.
    await writeFile(
      join(scratch, 'operations-customer-account/CustomerTags.graphql'),
      'query CustomerTags {\n  customer {\n    tags\n  }\n}\n',
    );
    const drift = await run('codegen:check').then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}\n${error.stderr}`,
    );
    expect(drift).toContain('generated/customer-account/2026-04/graphql.ts');
    expect(drift).not.toContain('generated/2026-04/graphql.ts');
  }, 120_000);
});
