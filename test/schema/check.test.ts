import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, print, visit } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';
import { UNTRUSTED_SDL } from '../fixtures/schema/untrusted.js';

const repo = resolve(import.meta.dirname, '../..');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-check-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Copies the vendored schemas, removing `field` from `type` in the snapshot of `version`. */
async function schemasWithout(version: string, type: string, field: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'schema-'));
  await cp(join(repo, 'schema'), dir, { recursive: true });
  const path = join(dir, `${version}.graphql`);
  let removed = 0;
  const edited = visit(parse(await readFile(path, 'utf8')), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== type) return undefined;
      const fields = node.fields?.filter((f) => f.name.value !== field);
      removed += (node.fields?.length ?? 0) - (fields?.length ?? 0);
      return { ...node, fields };
    },
  });
  expect(removed).toBe(1);
  await writeFile(path, print(edited));
  return dir;
}

describe('schema check', () => {
  it('passes on the vendored schemas and operations', async () => {
    const run = await runCli(['schema', 'check'], { cwd: repo });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        String.raw`^schema check: 6 operation\(s\) valid against 2025-07, 2025-10, 2026-01, 2026-04, ` +
          String.raw`2026-07, 2026-10 \(\d+ ms\)\.$`,
      ),
    );
  });

  it(
    'fails naming the version, the operation, its file and the field when one snapshot loses ' + 'a selected field',
    async () => {
      const schemaDir = await schemasWithout('2026-01', 'CustomerAccessToken', 'expiresAt');
      const run = await runCli(['schema', 'check', '--schema-dir', schemaDir], { cwd: repo });
      expect(run.code).toBe(1);
      const lines = run.stderr.split('\n');
      const problems = lines.filter((l) => /^\d{4}-\d{2}: /.test(l));
      expect(problems).toEqual([
        '2026-01: CustomerAccessTokenCreate (operations/CustomerAccessTokenCreate.graphql): ' +
          'Cannot query field "expiresAt" on type "CustomerAccessToken". ' +
          '[operations/CustomerAccessToken.fragment.graphql:4:3]',
        '2026-01: CustomerAccessTokenRenew (operations/CustomerAccessTokenRenew.graphql): Cannot ' +
          'query field "expiresAt" on type "CustomerAccessToken". ' +
          '[operations/CustomerAccessToken.fragment.graphql:4:3]',
      ]);
      expect(lines.at(-1)).toMatch(/^schema check: 2 problems \(6 operation\(s\) × 6 version\(s\), \d+ ms\)\.$/);
    },
  );

  it('validates operations against a schema graphql-js’s type-system validation rejects, as Shopify serves it', async () => {
    const schemaDir = await mkdtemp(join(work, 'untrusted-'));
    await writeFile(join(schemaDir, '2026-04.graphql'), UNTRUSTED_SDL);
    // The customer-token operations: the small schema has no cart types.
    const tokenOperations = ['--operations', 'operations/Customer*.graphql'];
    const run = await runCli(['schema', 'check', '--schema-dir', schemaDir, ...tokenOperations], { cwd: repo });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/^schema check: 4 operation\(s\) valid against 2026-04 \(\d+ ms\)\.$/);
    await writeFile(join(schemaDir, '2026-04.graphql'), UNTRUSTED_SDL.replace('  displayName: String!\n', ''));
    const broken = await runCli(['schema', 'check', '--schema-dir', schemaDir, ...tokenOperations], { cwd: repo });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      '2026-04: Customer (operations/Customer.graphql): Cannot query field "displayName"',
    );
  });

  it('warns, without failing, about each vendored version that has retired at its clock', async () => {
    const late2026 = await runCli(['schema', 'check'], { cwd: repo, now: Date.UTC(2026, 11, 1) });
    expect(late2026.code, late2026.all).toBe(0);
    expect(late2026.stderr.split('\n')).toEqual([
      'schema check: warning: 2025-07 is vendored but retired on 2026-07-16; Shopify serves ' +
        '2026-01 for it. Its entry point stays until the first major release from 2027-01-16; ' +
        'then delete schema/2025-07.graphql and run npm run codegen.',
      'schema check: warning: 2025-10 is vendored but retired on 2026-10-16; Shopify serves ' +
        '2026-01 for it. Its entry point stays until the first major release from 2027-04-16; ' +
        'then delete schema/2025-10.graphql and run npm run codegen.',
    ]);
    const may2026 = await runCli(['schema', 'check'], { cwd: repo, now: Date.UTC(2026, 4, 1) });
    expect(may2026.stderr).toBe('');
  });

  it('warns about a version only once Shopify stops serving it, at 15:00 UTC on the 16th', async () => {
    const lastMoment = await runCli(['schema', 'check'], { cwd: repo, now: Date.parse('2026-07-16T14:59:59Z') });
    expect(lastMoment.stderr).toBe('');
    const fallen = await runCli(['schema', 'check'], { cwd: repo, now: Date.parse('2026-07-16T15:00:00Z') });
    expect(fallen.stderr).toContain('2025-07 is vendored but retired on 2026-07-16; Shopify serves 2025-10 for it.');
  });

  it('reports a selected argument a version no longer has', async () => {
    const schemaDir = await mkdtemp(join(work, 'schema-'));
    const sdl = await readFile(join(repo, 'schema/2026-04.graphql'), 'utf8');
    const edited = visit(parse(sdl), {
      FieldDefinition(node) {
        if (node.name.value !== 'customer' || !node.arguments?.some((a) => a.name.value === 'customerAccessToken'))
          return undefined;
        return { ...node, arguments: [] };
      },
    });
    await writeFile(join(schemaDir, '2026-04.graphql'), print(edited));
    const run = await runCli(['schema', 'check', '--schema-dir', schemaDir], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '2026-04: Customer (operations/Customer.graphql): Unknown argument "customerAccessToken" ' +
        'on field "QueryRoot.customer".',
    );
  });

  it('reports operations that do not parse, unnamed operations and broken unused fragments, per file', async () => {
    const operations = join(work, 'ops-broken');
    await mkdir(operations, { recursive: true });
    await writeFile(join(operations, 'Broken.graphql'), 'query Broken {\n  shop {\n');
    await writeFile(join(operations, 'Anonymous.graphql'), '{ shop { name } }\n');
    await writeFile(join(operations, 'Unused.fragment.graphql'), 'fragment Unused on Shop {\n  nope\n}\n');
    await writeFile(join(operations, 'Shop.graphql'), 'query Shop { shop { name } }\n');
    const run = await runCli(['schema', 'check', '--operations', operations, '--schema-dir', join(repo, 'schema')], {
      cwd: work,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ops-broken/Broken.graphql:3:1: Syntax Error: Expected Name, found <EOF>.');
    expect(run.stderr).toContain(
      'ops-broken/Anonymous.graphql: an anonymous operation cannot be generated; give it a ' + 'name.',
    );
    expect(run.stderr).toContain(
      '2026-04: fragment Unused (ops-broken/Unused.fragment.graphql): Cannot query field "nope" ' +
        'on type "Shop". Did you mean "name"? [ops-broken/Unused.fragment.graphql:2:3]',
    );
    expect(run.stderr).not.toMatch(/: Shop \(/);
  });

  it('fails with the fix when there is no snapshot to check against', async () => {
    const empty = await mkdtemp(join(work, 'empty-'));
    const run = await runCli(['schema', 'check', '--schema-dir', empty], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no <version>.graphql snapshot in');
    expect(run.stderr).toContain('Run `schema pull --version <YYYY-MM>`, or pass --schema-dir <dir>.');
  });

  it('reports a snapshot that is not a readable schema, naming its version', async () => {
    const schemaDir = await mkdtemp(join(work, 'schema-'));
    await writeFile(join(schemaDir, '2026-04.graphql'), 'type QueryRoot {\n');
    const run = await runCli(['schema', 'check', '--schema-dir', schemaDir], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^2026-04: .*2026-04\.graphql is not a readable schema: Syntax Error/m);
  });
});

describe('schema check in an app (no schema/ folder of its own)', () => {
  it("validates the app's --operations against the shipped schemas Shopify supports", async () => {
    const app = join(repo, 'examples/app');
    const run = await runCli(['schema', 'check', '--operations', 'operations'], { cwd: app });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/^schema check: 2 operation\(s\) valid against .*2026-04/);
  });
});
