import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReleasedVersion } from '../../src/cli/schema-pull.js';
import { runCli } from '../fixtures/schema/cli.js';
import { startFakeRegistry, writeFakeDevMcp, type FakeRegistry } from '../fixtures/schema/fake-registry.js';
import { startIntrospectionServer, type IntrospectionServer } from '../fixtures/schema/introspection-server.js';

// Without --source, schema pull tries hydrogen, public, dev-mcp (most complete first); every source is local here.
let work: string;
let registry: FakeRegistry;
let endpoint: IntrospectionServer;
const savedCache = process.env.npm_config_cache;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-pull-auto-'));
  process.env.npm_config_cache = join(work, 'npm-cache');
  registry = await startFakeRegistry(work, { '2026.4.0': '2026-04' }, [
    { name: '@shopify/dev-mcp', version: '1.16.0', write: (d) => writeFakeDevMcp(d, '1.16.0', ['2026-07']) },
  ]);
  endpoint = await startIntrospectionServer({ keyless: true, status: 503 });
});
afterAll(async () => {
  await Promise.all([registry.close(), endpoint.close()]);
  if (savedCache === undefined) delete process.env.npm_config_cache;
  else process.env.npm_config_cache = savedCache;
  await rm(work, { recursive: true, force: true });
});

const pull = async (version: string, status?: number) => {
  endpoint.options = { keyless: true, ...(status ? { status } : {}) };
  const out = await mkdtemp(join(work, 'out-'));
  const env = { STOREFRONT_PUBLIC_SCHEMA_URLS: `http://${endpoint.host}/api/{version}/graphql.json` };
  const result = await runCli(['schema', 'pull', '--version', version, '--registry', registry.url, '--out', out], {
    cwd: work,
    env,
  });
  return { ...result, out };
};

describe('schema pull without --source', () => {
  it('takes the full published schema first', async () => {
    const result = await pull('2026-04');
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain('from the hydrogen source: @shopify/hydrogen-react@2026.4.0');
  });

  it('takes the public endpoint over the documented subset when hydrogen has not the version', async () => {
    const result = await pull('2026-07');
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain('from the public source');
    expect(result.stderr).toContain('skipped hydrogen: no hydrogen release tracks API version ("2026-07")');
  });

  it('takes the documented subset last, and says which source it used and why the others were skipped', async () => {
    const result = await pull('2026-07', 503);
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain('from the dev-mcp source: @shopify/dev-mcp@1.16.0');
    expect(result.stdout).toContain('(the documented subset: see its header)');
    expect(result.stderr).toContain('skipped public: no keyless endpoint answered');
    expect((await readFile(join(result.out, '2026-07.graphql'), 'utf8')).split('\n')[1]).toMatch(
      /^# Source: dev-mcp, /,
    );
  });

  it('fails naming each source tried and what it said when none has the version', async () => {
    const result = await pull('2026-10', 503);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('storefront-customer-session: no schema source has API version ("2026-10"). Tried');
    expect(result.stderr).toMatch(/\[hydrogen: no hydrogen release tracks API version \("2026-10"\)/);
    expect(result.stderr).toMatch(/\[public: no keyless endpoint answered .*HTTP 503/);
    expect(result.stderr).toMatch(
      /\[dev-mcp: @shopify\/dev-mcp@1\.16\.0 has no Storefront schema for API version \("2026-10"\)/,
    );
    expect(result.stderr).toContain('--source store --store <domain>');
    expect(await readdir(result.out)).toEqual([]);
  });
});

describe('schema pull and the calendar', () => {
  it('accepts 2027-04 only once 2027-01 is released, at 17:00 UTC on 2027-01-01', () => {
    expect(() => assertReleasedVersion('2027-04', Date.parse('2027-01-01T16:59:59Z'))).toThrow(
      'It is not released yet: the newest stable version is 2026-10 and 2027-01 is the release candidate.',
    );
    expect(() => assertReleasedVersion('2027-04', Date.parse('2027-01-01T17:00:00Z'))).not.toThrow();
  });
});
