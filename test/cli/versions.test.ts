import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsByVersion } from '../../src/cli/codegen.js';
import { resolveVersions } from '../../src/codegen/storefrontCodegen.js';
import { FIXED_NOW, runCli } from '../fixtures/schema/cli.js';

// Which API versions the app-side commands use: --versions on codegen, schema check and schema diff; an app's
// operations default to the shipped versions Shopify supports (never a retired one); every error names its version.

const repo = resolve(import.meta.dirname, '../..');
let app: string;
/** On FIXED_NOW (2026-11-22) Shopify supports these; 2025-07 and 2025-10 are shipped but retired. */
const SUPPORTED = ['2026-01', '2026-04', '2026-07', '2026-10'];

beforeAll(async () => {
  // The example app's operations, plus one written for 2026-04 that selects a Customer field 2025-07 does not have.
  app = await mkdtemp(join(tmpdir(), 'scs-versions-'));
  await cp(join(repo, 'examples/app/operations'), join(app, 'operations'), { recursive: true });
  await writeFile(
    join(app, 'operations/CustomerAvatar.graphql'),
    'query CustomerAvatar($customerAccessToken: String!) {\n' +
      '  customer(customerAccessToken: $customerAccessToken) {\n    avatarUrl\n  }\n}\n',
  );
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'versions-app', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
});
afterAll(() => rm(app, { recursive: true, force: true }));

describe("an app's operations default to the versions Shopify supports", () => {
  it('schema check passes an operation newer than a retired version, and says nothing about deleting schemas', async () => {
    const run = await runCli(['schema', 'check', '--operations', 'operations'], { cwd: app });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^schema check: 3 operation\\(s\\) valid against ${SUPPORTED.join(', ')} `));
    expect(run.stderr).toBe('');
  });

  it('--versions with a retired version checks it, with an app warning instead of maintainer advice', async () => {
    const run = await runCli(['schema', 'check', '--operations', 'operations', '--versions', '2025-07,2026-04'], {
      cwd: app,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      'schema check: warning: Storefront API 2025-07 retired on 2026-07-16 15:00 UTC; Shopify serves 2026-01 for it. ' +
        `Use a supported version: ${SUPPORTED.join(', ')}.`,
      '2025-07: CustomerAvatar (operations/CustomerAvatar.graphql): Cannot query field "avatarUrl" on type ' +
        '"Customer". [operations/CustomerAvatar.graphql:3:5]',
      expect.stringMatching(/^schema check: 1 problem \(3 operation\(s\) × 2 version\(s\), \d+ ms\)\.$/),
    ]);
    expect(run.all).not.toContain('delete schema/');
  });

  it("the package's own operations are still checked against every vendored version, with maintainer advice", async () => {
    const run = await runCli(['schema', 'check'], { cwd: repo, now: Date.UTC(2026, 11, 1) });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toContain('valid against 2025-07, 2025-10, 2026-01');
    expect(run.stderr).toContain('then delete schema/2025-07.graphql and run npm run codegen.');
  });

  it('codegen and storefrontCodegen generate for the supported versions unless told otherwise', () => {
    expect(resolveVersions(undefined, FIXED_NOW)).toEqual(SUPPORTED);
    expect(resolveVersions(['2025-10'], FIXED_NOW)).toEqual(['2025-10']);
    expect(resolveVersions(undefined, Date.UTC(2026, 4, 1))).toEqual(['2025-07', '2025-10', '2026-01', '2026-04']);
    expect(() => resolveVersions(undefined, Date.UTC(2031, 0, 1))).toThrow(
      /None of 2025-07, .*2026-10 \(the schemas shipped in the package\) is supported by Shopify on 2031-01-01 /,
    );
  });
});

describe('--versions on schema check and schema diff', () => {
  it('schema check checks exactly the versions listed, and refuses one not shipped', async () => {
    const run = await runCli(['schema', 'check', '--operations', 'operations', '--versions', '2026-04, 2026-10'], {
      cwd: app,
    });
    expect(run.stdout).toMatch(/valid against 2026-04, 2026-10 \(/);
    const unknown = await runCli(['schema', 'check', '--operations', 'operations', '--versions', '2024-01'], {
      cwd: app,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^storefront-customer-session: the provided version \("2024-01"\) is invalid\. There is no 2024-01 schema in the schemas shipped in the package: 2025-07, /,
    );
    const malformed = await runCli(['schema', 'check', '--versions', '2026-13'], { cwd: repo });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('the provided version ("2026-13") is invalid. Expected YYYY-MM');
  });

  it('schema diff compares each listed version with the next, as an array in JSON', async () => {
    const run = await runCli(
      ['schema', 'diff', '--operations', 'operations', '--versions', '2025-10,2026-01,2026-04', '--json'],
      { cwd: app },
    );
    expect(run.code, run.all).toBe(0);
    const diffs = JSON.parse(run.stdout) as { from: string; to: string }[];
    expect(diffs.map((d) => `${d.from}→${d.to}`)).toEqual(['2025-10→2026-01', '2026-01→2026-04']);
    const text = await runCli(['schema', 'diff', '--operations', 'operations', '--versions', '2026-01,2026-04'], {
      cwd: app,
    });
    expect(text.stdout).toMatch(/^schema diff 2026-01 → 2026-04: /);
  });

  it('schema diff needs two versions, one way', async () => {
    const none = await runCli(['schema', 'diff', '--operations', 'operations'], { cwd: app });
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain('"schema diff" needs <from> <to> (or --versions <v1,v2,…>)');
    const both = await runCli(['schema', 'diff', '2026-01', '2026-04', '--versions', '2026-01,2026-04'], { cwd: app });
    expect(both.stderr).toContain('takes <from> <to> or --versions <v1,v2,…>, not both.');
    const one = await runCli(['schema', 'diff', '--versions', '2026-01'], { cwd: app });
    expect(one.stderr).toContain('--versions needs two versions or more');
  });
});

describe('every codegen error names its API version', () => {
  it('labels what graphql-codegen reports with the version of the output that failed', async () => {
    const run = await runCli(
      ['codegen', '--operations', 'operations', '--out', 'generated', '--versions', '2025-07,2026-04'],
      { cwd: app },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'codegen: 2025-07: GraphQL Document Validation failed with 1 errors;\n' +
        '  Error 0: Cannot query field "avatarUrl" on type "Customer".',
    );
    expect(run.stderr).not.toContain('2026-04:');
    expect(run.stderr).toContain('nothing was written');
  }, 60_000);

  it('groups equal messages by version and puts an error without an output on every version', () => {
    const outputs = ['gen/2026-01/', 'gen/2026-01/documents.ts', 'gen/2026-04/', 'gen/2026-04/documents.ts'];
    const versions = ['2026-01', '2026-04'];
    const failed = (message: string, source?: string) => Object.assign(new Error(message), { source });
    const error = new AggregateError([
      failed('Unknown type "X".', 'gen/2026-01/'),
      failed('Unknown type "X".', 'gen/2026-01/documents.ts'),
      failed('Unknown type "X".', 'gen/2026-04/documents.ts'),
      failed('only here\n  at a.graphql:1:1', 'gen/2026-04/'),
      failed('no source'),
    ]);
    expect(errorsByVersion(error, outputs, versions)).toEqual([
      'codegen: 2026-01, 2026-04: Unknown type "X".',
      'codegen: 2026-04: only here\n  at a.graphql:1:1',
      'codegen: 2026-01, 2026-04: no source',
    ]);
  });
});
