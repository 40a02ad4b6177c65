import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { supportedVersions } from '../../src/runtime/versions.js';
import { snapshotVersions } from '../../src/tooling/shippedSchemas.js';
import { runCli } from '../fixtures/schema/cli.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');

/** A Customer Account-like schema: `customer` without arguments (the token is a header), with an email object. */
const CA_SDL = `
type Query { customer: Customer! }
type Customer { id: ID! firstName: String emailAddress: CustomerEmailAddress }
type CustomerEmailAddress { emailAddress: String }
`;
const CA_GZ = gzipSync(`{"data":${JSON.stringify(introspectionFromSchema(buildSchema(CA_SDL)))}}`);
const CA_SHA256 = createHash('sha256').update(CA_GZ).digest('hex');

/** An unpacked fake `@shopify/dev-mcp` with Customer Account schemas of `versions` (and one Storefront file). */
async function writeDevMcp(dir: string, version: string, versions: string[]): Promise<string> {
  await mkdir(join(dir, 'dist/data'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@shopify/dev-mcp', version }));
  for (const v of versions) await writeFile(join(dir, `dist/data/customer_${v}.json.gz`), CA_GZ);
  await writeFile(join(dir, 'dist/data/storefront-graphql_2025-07.json.gz'), gzipSync('{}'));
  return dir;
}

let work: string;
let devMcp: string;
let out: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-ca-pull-'));
  devMcp = await writeDevMcp(join(work, 'dev-mcp', 'package'), '1.16.0', ['2026-01', '2026-04']);
});
afterAll(() => rm(work, { recursive: true, force: true }));
beforeEach(async () => {
  out = await mkdtemp(join(work, 'out-'));
});

const pull = (version: string, ...extra: string[]) =>
  runCli(['schema', 'pull', '--api', 'customer-account', '--version', version, '--out', out, ...extra], { cwd: work });

describe('schema pull --api customer-account', () => {
  it("writes <out>/customer-account/<version>.graphql from dev-mcp's customer_<version>.json.gz, with its provenance", async () => {
    await writeFile(join(out, '2026-04.graphql'), '# a Storefront snapshot\n');
    const result = await pull('2026-04', '--package', devMcp);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain(
      '/customer-account/2026-04.graphql from the dev-mcp source: ' +
        '@shopify/dev-mcp@1.16.0 dist/data/customer_2026-04.json.gz',
    );
    const lines = (await readFile(join(out, 'customer-account', '2026-04.graphql'), 'utf8')).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '# Shopify Customer Account API 2026-04, introspected.',
      '# Source: dev-mcp, @shopify/dev-mcp@1.16.0 dist/data/customer_2026-04.json.gz',
      '# Pulled: 2026-11-22',
      `# sha256 of what was read: ${CA_SHA256}`,
    ]);
    expect(lines[4]).toMatch(/^# Coverage: the documented subset\. Shopify's documented Customer Account schema/);
    expect(lines.join('\n')).toContain('emailAddress: CustomerEmailAddress');
    // The Storefront snapshot of the same version is another file, untouched.
    expect(await readFile(join(out, '2026-04.graphql'), 'utf8')).toBe('# a Storefront snapshot\n');
  });

  it('names the Customer Account versions a package has when it lacks the one asked for, and writes nothing', async () => {
    const tarball = join(work, 'shopify-dev-mcp-1.16.0.tgz');
    await run('tar', ['-czf', tarball, '-C', join(devMcp, '..'), 'package']);
    const result = await pull('2025-10', '--package', tarball);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '@shopify/dev-mcp@1.16.0 has no Customer Account schema for API version ("2025-10"); it has 2026-01, 2026-04.',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses every source but dev-mcp, and a store, as usage errors', async () => {
    for (const source of ['hydrogen', 'public', 'store']) {
      const result = await pull('2026-04', '--source', source);
      expect(result.code, source).toBe(2);
      expect(result.stderr, source).toContain("The Customer Account API's schema comes only from dev-mcp.");
    }
    const store = await pull('2026-04', '--store', 'shop.myshopify.com');
    expect(store.code).toBe(2);
    expect(store.stderr).toContain("The Customer Account API's schema comes only from dev-mcp; drop --store.");
  });

  it('refuses an API it does not know', async () => {
    const result = await runCli(['schema', 'pull', '--api', 'admin', '--version', '2026-04'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'the provided --api ("admin") is invalid. Expected storefront or customer-account.',
    );
  });
});

describe('the vendored Customer Account schemas', () => {
  const dir = join(repo, 'schema', 'customer-account');

  it('are every version supported on 2026-12-05 that @shopify/dev-mcp 1.16.0 ships', () => {
    const shipped = ['2025-10', '2026-01', '2026-04', '2026-07', '2026-10'];
    const supported: readonly string[] = supportedVersions(Date.UTC(2026, 11, 5));
    expect(snapshotVersions(dir)).toEqual(shipped.filter((v) => supported.includes(v)));
  });

  it('each name the Customer Account API, dev-mcp and the file they were read from', async () => {
    for (const version of snapshotVersions(dir)) {
      const head = (await readFile(join(dir, `${version}.graphql`), 'utf8')).split('\n').slice(0, 6);
      expect(head[0]).toBe(`# Shopify Customer Account API ${version}, introspected.`);
      expect(head[1]).toBe(`# Source: dev-mcp, @shopify/dev-mcp@1.16.0 dist/data/customer_${version}.json.gz`);
      expect(head[3]).toMatch(/^# sha256 of what was read: [0-9a-f]{64}$/);
    }
  });
});
