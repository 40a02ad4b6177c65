import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pullPublicSchema } from '../../src/schema/public.js';
import { runCli } from '../fixtures/schema/cli.js';
import { startIntrospectionServer, type IntrospectionServer } from '../fixtures/schema/introspection-server.js';

let work: string;
let proxy: IntrospectionServer;
let mock: IntrospectionServer;
let env: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-public-'));
  proxy = await startIntrospectionServer({ keyless: true });
  mock = await startIntrospectionServer({ keyless: true });
  env = {
    STOREFRONT_PUBLIC_SCHEMA_URLS:
      `http://${proxy.host}/storefront-graphql-direct-proxy/{version} ` +
      `http://${mock.host}/api/{version}/graphql.json`,
  };
});
afterEach(() => {
  proxy.options = { keyless: true };
  mock.options = { keyless: true };
  proxy.requests.length = 0;
  mock.requests.length = 0;
});
afterAll(async () => {
  await Promise.all([proxy.close(), mock.close()]);
  await rm(work, { recursive: true, force: true });
});

const pull = async (version: string) => {
  const out = await mkdtemp(join(work, 'out-'));
  const result = await runCli(['schema', 'pull', '--version', version, '--source', 'public', '--out', out], {
    cwd: work,
    env,
  });
  return { ...result, out };
};

describe('schema pull --source public', () => {
  it('introspects the direct proxy with no token and writes a full-schema header naming the URL', async () => {
    const result = await pull('2026-10');
    expect(result.code, result.all).toBe(0);
    const text = await readFile(join(result.out, '2026-10.graphql'), 'utf8');
    expect(text.split('\n')[1]).toBe(
      `# Source: public, http://${proxy.host}/storefront-graphql-direct-proxy/2026-10 (keyless introspection)`,
    );
    expect(text).toContain('# Coverage: the full schema.');
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]!.headers).not.toHaveProperty('x-shopify-storefront-access-token');
    expect(proxy.requests[0]!.body.query).toContain('__schema');
    expect(mock.requests).toHaveLength(0);
  });

  it('falls back to mock.shop when the proxy fails', async () => {
    proxy.options = { keyless: true, status: 503 };
    const result = await pull('2026-07');
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain(`from the public source: http://${mock.host}/api/2026-07/graphql.json`);
  });

  it('refuses an endpoint that fell forward, and names what each endpoint said when none has the version', async () => {
    proxy.options = { keyless: true, serve: () => '2026-01' };
    mock.options = { keyless: true, body: { errors: [{ message: 'nope' }] } };
    const result = await pull('2025-07');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no schema source has API version ("2025-07")');
    expect(result.stderr).toContain(
      `http://${proxy.host}/storefront-graphql-direct-proxy/2025-07: answered with API version ` +
        '"2026-01" (fell forward)',
    );
    expect(result.stderr).toContain(`http://${mock.host}/api/2025-07/graphql.json: no data.__schema in the answer`);
    expect(await readdir(result.out)).toEqual([]);
  });

  it('waits no longer than its timeout for an endpoint', async () => {
    proxy.options = { keyless: true, delayMs: 2_000 };
    const started = Date.now();
    await expect(
      pullPublicSchema('2026-10', {
        urls: [`http://${proxy.host}/storefront-graphql-direct-proxy/{version}`],
        timeoutMs: 200,
      }),
    ).rejects.toThrow('no answer within the timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
