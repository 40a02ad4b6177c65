import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const repo = join(import.meta.dirname, '../..');
const CA = ['--api', 'customer-account'];
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-ca-check-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('schema check --api customer-account', () => {
  it("validates the package's Customer Account operations against every vendored Customer Account version", async () => {
    const result = await runCli(['schema', 'check', ...CA, '--operations', 'operations-customer-account'], {
      cwd: repo,
    });
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toMatch(
      /^schema check: 2 operation\(s\) valid against 2026-01, 2026-04, 2026-07, 2026-10 \(\d+ ms\)\.$/,
    );
  });

  it('checks against the Customer Account schemas, not the Storefront ones', async () => {
    // The Storefront's customer read takes the token as an argument; the Customer Account API has no such argument.
    const storefront = await runCli(['schema', 'check', ...CA, '--operations', 'operations'], { cwd: repo });
    expect(storefront.code).toBe(1);
    expect(storefront.stderr).toContain(
      '2026-04: Customer (operations/Customer.graphql): Unknown argument "customerAccessToken" on field "QueryRoot.customer".',
    );
    const ours = await runCli(['schema', 'check', '--operations', 'operations-customer-account'], { cwd: repo });
    expect(ours.code).toBe(1);
    expect(ours.stderr).toContain('Cannot query field "emailAddress" on type "Customer"');
  });

  it('names the version, the operation, its file and the field for a Customer Account operation that drifts', async () => {
    const dir = join(work, 'ops');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'Broken.graphql'), 'query Broken {\n  customer {\n    email\n  }\n}\n');
    const result = await runCli(['schema', 'check', ...CA, '--operations', dir], { cwd: work });
    expect(result.code).toBe(1);
    for (const version of ['2026-01', '2026-04', '2026-07', '2026-10'])
      expect(result.stderr).toContain(`${version}: Broken (ops/Broken.graphql): Cannot query field "email" on type`);
  });

  it('is part of npm run schema:check, beside the Storefront check', () => {
    const { scripts } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['schema:check']).toBe(
      'tsx src/cli/bin.ts schema check && ' +
        'tsx src/cli/bin.ts schema check --api customer-account --operations operations-customer-account',
    );
  });
});

describe('schema diff --api customer-account', () => {
  it('compares two vendored Customer Account versions on what the operations reach', async () => {
    const result = await runCli(
      ['schema', 'diff', '2026-01', '2026-10', ...CA, '--operations', 'operations-customer-account', '--json'],
      { cwd: repo },
    );
    expect(result.code, result.all).toBe(0);
    const diff = JSON.parse(result.stdout) as { from: string; to: string; reachable: { fields: string[] } };
    expect(diff).toMatchObject({ from: '2026-01', to: '2026-10' });
    expect(diff.reachable.fields).toEqual(
      expect.arrayContaining(['Customer.emailAddress', 'Customer.orders', 'Order.totalPrice']),
    );
  });

  it('says how to pull a Customer Account version it does not have', async () => {
    const result = await runCli(['schema', 'diff', '2025-10', '2026-10', ...CA], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Run `schema pull --api customer-account --version 2025-10` to add it.');
  });
});
