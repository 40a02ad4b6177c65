import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';
import { startIntrospectionServer, type IntrospectionServer } from '../fixtures/schema/introspection-server.js';

const TOKEN = 'shpat-public-0123456789abcdef-secret';
let server: IntrospectionServer;
let dir: string;

beforeAll(async () => {
  server = await startIntrospectionServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  server.options = { publicToken: TOKEN };
  dir = await mkdtemp(join(tmpdir(), 'scs-pull-'));
  return () => rm(dir, { recursive: true, force: true });
});

const pull = () =>
  runCli(['schema', 'pull', '--version', '2026-04', '--store', server.host, '--out', dir], {
    env: { SHOPIFY_STOREFRONT_TOKEN: TOKEN },
    cwd: dir,
  });

describe('schema pull --store against a hostile local server', () => {
  it('gives up on a store that never answers within about 15 s ("No network step waits more than about 15 s")', async () => {
    server.options = { publicToken: TOKEN, delayMs: 120_000 };
    const started = Date.now();
    const run = await Promise.race([
      pull(),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 25_000)),
    ]);
    expect(run, 'schema pull --store was still waiting after 25 s').not.toBe('hung');
    if (run === 'hung') return;
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.stderr).toMatch(/no complete answer within 15 s/);
    expect(run.all).not.toContain(TOKEN);
    expect(await readdir(dir)).toEqual([]);
  }, 30_000);

  it('never prints the storefront token, even when the server echoes it in its error message', async () => {
    server.options = { publicToken: TOKEN, body: { errors: [{ message: `invalid token ${TOKEN}` }] } };
    const run = await pull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('returned no schema');
    expect(run.all).not.toContain(TOKEN);
  });

  it('refuses an introspection answer with no query root type and keeps the existing snapshot', async () => {
    const previous = '# the snapshot a reviewer approved\ntype QueryRoot { shop: String }\n';
    await writeFile(join(dir, '2026-04.graphql'), previous);
    server.options = { publicToken: TOKEN, body: { data: { __schema: { types: [] } } } };
    const run = await pull();
    expect(run.code, run.all).toBe(1);
    expect(run.stderr).toContain('not a usable schema');
    expect(await readFile(join(dir, '2026-04.graphql'), 'utf8')).toBe(previous);
  });
});
