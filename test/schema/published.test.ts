import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';
import {
  startFakeRegistry,
  writeFakeHydrogen,
  SMALL_INTROSPECTION,
  writeFakeHydrogenReact,
  type FakeRegistry,
} from '../fixtures/schema/fake-registry.js';

let work: string;
let registry: FakeRegistry;
let out: string;
const savedCache = process.env.npm_config_cache;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'scs-published-'));
  // npm runs for real against the loopback registry; keep its cache out of the user's.
  process.env.npm_config_cache = join(work, 'npm-cache');
  registry = await startFakeRegistry(
    work,
    { '2025.10.1': '2025-10', '2026.1.0': '2025-10', '2026.4.0': '2026-04', '2026.4.2': '2026-04' },
    [
      // Hydrogen's preview line: the only hydrogen package with a 2026-07 schema here.
      {
        name: '@shopify/hydrogen',
        version: '2026.4.6',
        write: (dir) => writeFakeHydrogen(dir, '2026.4.6', '2026.4.4'),
      },
      {
        name: '@shopify/hydrogen',
        version: '2026.7.0',
        write: (dir) => writeFakeHydrogen(dir, '2026.7.0', '2026.7.0'),
      },
    ],
  );
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
  runCli(['schema', 'pull', '--version', version, '--source', 'hydrogen', '--out', out, ...extra], { cwd: work });

describe('schema pull (published @shopify/hydrogen-react)', () => {
  it('writes the schema of the newest release tracking the version once its SFAPI_VERSION matches', async () => {
    const run = await pull('2026-04', '--registry', registry.url);
    expect(run.code, run.all).toBe(0);
    const text = await readFile(join(out, '2026-04.graphql'), 'utf8');
    const [title, source, date, hash, coverage] = text.split('\n');
    expect(title).toBe('# Shopify Storefront API 2026-04, introspected.');
    expect(source).toBe(
      '# Source: hydrogen, @shopify/hydrogen-react@2026.4.2 storefront.schema.json (SFAPI_VERSION 2026-04)',
    );
    expect(date).toBe('# Pulled: 2026-11-22');
    expect(hash).toBe(`# sha256 of what was read: ${createHash('sha256').update(SMALL_INTROSPECTION).digest('hex')}`);
    expect(coverage).toBe('# Coverage: the full schema.');
    expect(run.stdout).toContain('from the hydrogen source: @shopify/hydrogen-react@2026.4.2');
    expect(text).toContain('customerAccessTokenRenew(customerAccessToken: String!): CustomerAccessTokenRenewPayload');
  });

  it('refuses a release whose SFAPI_VERSION names another version, and writes nothing', async () => {
    const run = await pull('2026-01', '--registry', registry.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '@shopify/hydrogen-react@2026.1.0 declares API version ("2025-10"), not "2026-01"; ' +
        'refusing to store its schema as 2026-01',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it(
    'takes a version only the Hydrogen preview line has from @shopify/hydrogen, checking its ' +
      'pinned hydrogen-react',
    async () => {
      const run = await pull('2026-07', '--registry', registry.url);
      expect(run.code, run.all).toBe(0);
      const text = await readFile(join(out, '2026-07.graphql'), 'utf8');
      expect(text.split('\n')[1]).toBe(
        '# Source: hydrogen, @shopify/hydrogen@2026.7.0 dist/storefront.schema.json (its ' +
          '@shopify/hydrogen-react 2026.7.0 dependency tracks 2026-07)',
      );
      expect(registry.asked).toEqual(expect.arrayContaining(['@shopify/hydrogen-react', '@shopify/hydrogen']));
    },
  );

  it(
    'says no release of either package tracks a version, lists the published ones and names ' + 'the other sources',
    async () => {
      const run = await pull('2026-10', '--registry', registry.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'no hydrogen release tracks API version ("2026-10"); looked for ' +
          '@shopify/hydrogen-react@~2026.10.0 and @shopify/hydrogen@~2026.10.0.',
      );
      expect(run.stderr).toContain(
        'Published: @shopify/hydrogen-react 2025-10, 2026-01, 2026-04; @shopify/hydrogen 2026-04, ' + '2026-07.',
      );
      expect(run.stderr).toContain('Use --source dev-mcp or --source public');
      expect(await readdir(out)).toEqual([]);
    },
  );

  it('gives up on an unreachable registry within seconds, naming it unreachable, not unpublished', async () => {
    const started = Date.now();
    const run = await pull('2026-04', '--registry', 'http://127.0.0.1:9/');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('npm could not fetch @shopify/hydrogen-react@~2026.4.0');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('reads a local package folder with --package, checking its SFAPI_VERSION', async () => {
    const folder = await writeFakeHydrogenReact(join(work, 'local-2025-10'), '2025.10.3', '2025-10');
    const ok = await pull('2025-10', '--package', folder);
    expect(ok.code, ok.all).toBe(0);
    expect(await readFile(join(out, '2025-10.graphql'), 'utf8')).toContain(
      '# Source: hydrogen, @shopify/hydrogen-react@2025.10.3',
    );
    const mismatch = await pull('2026-04', '--package', folder);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('declares API version ("2025-10"), not "2026-04"');
    expect(await readdir(out)).toEqual(['2025-10.graphql']);
  });

  it('keeps the existing snapshot when the published pull fails', async () => {
    await writeFile(join(out, '2026-01.graphql'), 'approved\n');
    const run = await pull('2026-01', '--registry', registry.url);
    expect(run.code).toBe(1);
    expect(await readFile(join(out, '2026-01.graphql'), 'utf8')).toBe('approved\n');
    expect(await readdir(out)).toEqual(['2026-01.graphql']);
  });

  it('refuses a folder that is not @shopify/hydrogen-react', async () => {
    const folder = join(work, 'other');
    await writeFakeHydrogenReact(folder, '1.0.0', '2026-04');
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: 'left-pad', version: '1.0.0' }));
    const run = await pull('2026-04', '--package', folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is "left-pad", not @shopify/hydrogen-react or @shopify/hydrogen');
  });
});
