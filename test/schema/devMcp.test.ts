import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';
import {
  FAKE_DEV_MCP_SHA256,
  startFakeRegistry,
  writeFakeDevMcp,
  type FakeRegistry,
} from '../fixtures/schema/fake-registry.js';

const run = promisify(execFile);
let work: string;
let registry: FakeRegistry;
let out: string;
const savedCache = process.env.npm_config_cache;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-dev-mcp-'));
  process.env.npm_config_cache = join(work, 'npm-cache');
  registry = await startFakeRegistry(work, {}, [
    { name: '@shopify/dev-mcp', version: '1.15.0', write: (d) => writeFakeDevMcp(d, '1.15.0', ['2026-04']) },
    {
      name: '@shopify/dev-mcp',
      version: '1.16.0',
      write: (d) => writeFakeDevMcp(d, '1.16.0', ['2025-10', '2026-01', '2026-04', '2026-07', '2026-10', 'unstable']),
    },
  ]);
});
afterAll(async () => {
  await registry.close();
  if (savedCache === undefined) delete process.env.npm_config_cache;
  else process.env.npm_config_cache = savedCache;
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  out = await mkdtemp(join(work, 'out-'));
});

const pull = (version: string, ...extra: string[]) =>
  runCli(['schema', 'pull', '--version', version, '--source', 'dev-mcp', '--out', out, ...extra], { cwd: work });

describe('schema pull --source dev-mcp', () => {
  it('writes the latest release’s file under a header that says it is the documented subset', async () => {
    const result = await pull('2026-10', '--registry', registry.url);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain(
      'from the dev-mcp source: @shopify/dev-mcp@1.16.0 ' +
        'dist/data/storefront-graphql_2026-10.json.gz (the documented subset',
    );
    const lines = (await readFile(join(out, '2026-10.graphql'), 'utf8')).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '# Shopify Storefront API 2026-10, introspected.',
      '# Source: dev-mcp, @shopify/dev-mcp@1.16.0 dist/data/storefront-graphql_2026-10.json.gz',
      '# Pulled: 2026-11-22',
      `# sha256 of what was read: ${FAKE_DEV_MCP_SHA256}`,
    ]);
    expect(lines[4]).toMatch(/^# Coverage: the documented subset\. .*privately documented types/);
    expect(lines.join('\n')).toContain('customerAccessTokenRenew(customerAccessToken: String!)');
  });

  it('names the versions the package has when it has not the one asked for, and writes nothing', async () => {
    const result = await pull('2025-07', '--registry', registry.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '@shopify/dev-mcp@1.16.0 has no Storefront schema for API version ("2025-07"); it has ' +
        '2025-10, 2026-01, 2026-04, 2026-07, 2026-10, unstable. Use another source',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('reads a local package tarball with --package', async () => {
    const dir = join(work, 'local');
    await writeFakeDevMcp(join(dir, 'package'), '1.16.1', ['2026-07']);
    const tarball = join(dir, 'shopify-dev-mcp-1.16.1.tgz');
    await run('tar', ['-czf', tarball, '-C', dir, 'package']);
    const result = await runCli(['schema', 'pull', '--version', '2026-07', '--package', tarball, '--out', out], {
      cwd: work,
    });
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain('from the dev-mcp source: @shopify/dev-mcp@1.16.1');
  });

  it('refuses a file that is not gzipped JSON, and keeps the existing snapshot', async () => {
    const dir = join(work, 'broken');
    await writeFakeDevMcp(dir, '1.16.2', ['2026-07']);
    await writeFile(join(dir, 'dist/data/storefront-graphql_2026-07.json.gz'), 'not gzip');
    await writeFile(join(out, '2026-07.graphql'), 'approved\n');
    const result = await pull('2026-07', '--package', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('storefront-graphql_2026-07.json.gz is not gzipped JSON');
    expect(await readFile(join(out, '2026-07.graphql'), 'utf8')).toBe('approved\n');
  });

  it('gives up on an unreachable registry quickly, with npm’s code', async () => {
    const started = Date.now();
    const result = await pull('2026-07', '--registry', 'http://127.0.0.1:9/');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/npm could not fetch @shopify\/dev-mcp@latest/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
