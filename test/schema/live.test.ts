import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';
import {
  SMALL_SDL,
  startIntrospectionServer,
  type IntrospectionServer,
} from '../fixtures/schema/introspection-server.js';

const TOKEN = 'shpat-public-0123456789abcdef-secret';
const PRIVATE = 'shpss-private-fedcba9876543210-secret';

let server: IntrospectionServer;
let dir: string;

beforeAll(async () => {
  server = await startIntrospectionServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.options = { publicToken: TOKEN, privateToken: PRIVATE };
  server.requests.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'scs-live-'));
  return () => rm(dir, { recursive: true, force: true });
});

const pull = (
  version: string,
  env: Record<string, string> = { SHOPIFY_STOREFRONT_TOKEN: TOKEN },
  extra: string[] = [],
) =>
  runCli(['schema', 'pull', '--version', version, '--store', server.host, '--out', dir, ...extra], { env, cwd: dir });

describe('schema pull --store (live introspection)', () => {
  it('writes the introspected schema as sorted SDL under <out>/<version>.graphql', async () => {
    const run = await pull('2026-04');
    expect(run.code, run.all).toBe(0);
    const text = await readFile(join(dir, '2026-04.graphql'), 'utf8');
    expect(text).toMatch(
      new RegExp(
        String.raw`^# Shopify Storefront API 2026-04, introspected\.\n` +
          String.raw`# Source: store, http://127\.0\.0\.1:\d+/api/2026-04/graphql\.json \(live introspection\)\n` +
          String.raw`# Pulled: 2026-11-22\n# sha256 of what was read: [0-9a-f]{64}\n# Coverage: the full schema\.\n`,
      ),
    );
    const sdl = text
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim();
    expect(sdl).toBe(printSchema(lexicographicSortSchema(buildSchema(SMALL_SDL))).trim());
    const typeNames = [...sdl.matchAll(/^(?:type|input|scalar|enum) (\w+)/gm)].map((m) => m[1]);
    expect(typeNames).toEqual([...typeNames].sort());
    expect(sdl).toContain('city: String @deprecated(reason: "Use locality.")');
    expect(run.stdout).toContain('wrote 2026-04.graphql');
  });

  it(
    'sends the token in its header only, with an introspection query that asks for deprecated ' +
      'input fields and isOneOf',
    async () => {
      await pull('2026-04');
      const [request] = server.requests;
      expect(request?.url).toBe('/api/2026-04/graphql.json');
      expect(request?.headers['x-shopify-storefront-access-token']).toBe(TOKEN);
      expect(request?.body.query).toContain('inputFields(includeDeprecated: true)');
      expect(request?.body.query).toContain('isOneOf');
    },
  );

  it('uses the private token header when only SHOPIFY_STOREFRONT_PRIVATE_TOKEN is set', async () => {
    const run = await pull('2026-04', { SHOPIFY_STOREFRONT_PRIVATE_TOKEN: PRIVATE });
    expect(run.code, run.all).toBe(0);
    expect(server.requests[0]?.headers['shopify-storefront-private-token']).toBe(PRIVATE);
    expect(server.requests[0]?.headers['x-shopify-storefront-access-token']).toBeUndefined();
    expect(run.all).not.toContain(PRIVATE);
  });

  it('refuses a store that answers with another version (fall-forward) and writes nothing', async () => {
    server.options = { ...server.options, serve: () => '2026-01' };
    const run = await pull('2025-01');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('answered with API version "2026-01" instead of "2025-01"');
    expect(run.stderr).toContain('Refusing to store it as 2025-01');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a server that does not name the version that answered', async () => {
    server.options = { ...server.options, serve: () => undefined };
    const run = await pull('2026-04');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no X-Shopify-API-Version header');
  });

  it('names the token fix on 401 without ever printing the token', async () => {
    const wrong = 'shpat-wrong-token-that-must-not-leak';
    const run = await pull('2026-04', { SHOPIFY_STOREFRONT_TOKEN: wrong });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refused the storefront token (HTTP 401)');
    expect(run.stderr).toContain('Set SHOPIFY_STOREFRONT_TOKEN to a valid public Storefront API token');
    expect(run.all).not.toContain(wrong);
    expect(run.all).not.toContain(TOKEN);
  });

  it('leaves the existing snapshot untouched when a pull fails', async () => {
    const previous = '# the snapshot a reviewer approved\ntype QueryRoot { shop: String }\n';
    await writeFile(join(dir, '2026-04.graphql'), previous);
    for (const failure of [
      { body: { data: { __schema: { types: 'not a list' } } } },
      { status: 503 },
      { serve: () => '2026-07' },
    ]) {
      server.options = { publicToken: TOKEN, ...failure };
      const run = await pull('2026-04');
      expect(run.code, JSON.stringify(failure)).toBe(1);
      expect(run.all).not.toContain(TOKEN);
      expect(await readFile(join(dir, '2026-04.graphql'), 'utf8')).toBe(previous);
      expect(await readdir(dir)).toEqual(['2026-04.graphql']);
    }
  });

  it('replaces an existing snapshot once the pull is complete', async () => {
    await writeFile(join(dir, '2026-04.graphql'), 'old\n');
    const run = await pull('2026-04');
    expect(run.code, run.all).toBe(0);
    expect(await readFile(join(dir, '2026-04.graphql'), 'utf8')).toContain('type CustomerAccessToken {');
    expect(await readdir(dir)).toEqual(['2026-04.graphql']);
  });
});

describe('schema pull: bad arguments exit 2 with the fix', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      'a malformed version',
      ['--version', '2026-05'],
      {},
      /the provided version \("2026-05"\) is invalid\. Expected YYYY-MM with MM in 01, 04, 07, 10/,
    ],
    [
      'a version not released yet',
      ['--version', '2031-01'],
      {},
      new RegExp(
        String.raw`"2031-01"\) is invalid\. It is not released yet: the newest stable version is 2026-10 ` +
          'and 2027-01 is the release candidate',
      ),
    ],
    ['no version', [], {}, /needs --version <YYYY-MM>/],
    [
      'a malformed domain',
      ['--version', '2026-04', '--store', 'not a domain!'],
      { SHOPIFY_STOREFRONT_TOKEN: TOKEN },
      /the provided store domain \("not a domain!"\) is invalid\. Expected a host name/,
    ],
    [
      'plain http to a remote store',
      ['--version', '2026-04', '--store', 'http://shop.example.com'],
      { SHOPIFY_STOREFRONT_TOKEN: TOKEN },
      /only served over https/,
    ],
    [
      '--store without a token',
      ['--version', '2026-04', '--store', 'shop.example.com'],
      {},
      /needs a token: set SHOPIFY_STOREFRONT_TOKEN \(public\) or SHOPIFY_STOREFRONT_PRIVATE_TOKEN/,
    ],
    [
      'both tokens',
      ['--version', '2026-04', '--store', 'shop.example.com'],
      { SHOPIFY_STOREFRONT_TOKEN: TOKEN, SHOPIFY_STOREFRONT_PRIVATE_TOKEN: PRIVATE },
      /Both SHOPIFY_STOREFRONT_TOKEN and SHOPIFY_STOREFRONT_PRIVATE_TOKEN are set; unset one/,
    ],
    [
      'a token on the command line',
      ['--version', '2026-04', `--token=${TOKEN}`],
      {},
      /tokens are read only from the environment/,
    ],
    [
      'unstable from hydrogen',
      ['--version', 'unstable', '--source', 'hydrogen'],
      {},
      /publish no schema for "unstable"\. Use --source dev-mcp/,
    ],
    ['--source store without --store', ['--version', '2026-04', '--source', 'store'], {}, /It needs --store <domain>/],
    [
      'an unknown source',
      ['--version', '2026-04', '--source', 'github'],
      {},
      /Expected hydrogen, dev-mcp, public, store/,
    ],
    [
      '--store with another source',
      ['--version', '2026-04', '--source', 'dev-mcp', '--store', 'shop.example.com'],
      {},
      /It is the store source/,
    ],
  ];
  for (const [what, args, env, message] of cases) {
    it(`rejects ${what}`, async () => {
      const run = await runCli(['schema', 'pull', '--out', dir, ...args], { env, cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.all).not.toContain(TOKEN);
      expect(run.all).not.toContain(PRIVATE);
      expect(await readdir(dir)).toEqual([]);
    });
  }
});
