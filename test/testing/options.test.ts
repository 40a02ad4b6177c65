import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertStoreDomain, endpointFor } from '../../src/runtime/endpoint.js';
import { ConfigurationError } from '../../src/runtime/errors.js';
import {
  createEmulator,
  DEFAULT_SCHEMA_DIR,
  postGraphQL,
  readSchemas,
  startEmulator,
} from '../../src/testing/index.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-schemas-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('defaults', () => {
  it('creates the fetch emulator with the vendored schemas when /testing is given no schemas', async () => {
    const em = createEmulator({ now: JUNE_2026 });
    const vendored = Object.keys(readSchemas());
    const served = await Promise.all(
      vendored.map(async (version) => {
        const response = await em.fetch(`${em.url}/api/${version}/graphql.json`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
          body: JSON.stringify({ query: '{ shop { name } }' }),
        });
        expect(response.status).toBe(200);
        return response.headers.get('X-Shopify-API-Version');
      }),
    );
    // On 2026-06-15, 2026-07 is the release candidate and 2026-10 is not out yet (it falls forward).
    expect(served).toEqual(vendored.map((v) => (v === '2026-10' ? '2025-07' : v)));
    expect(createEmulator().publicAccessToken).toMatch(/^[0-9a-f]{32}$/);
    await em.close();
  });

  it(
    'seeds distinct random public and private tokens and a storeDomain the package’s endpoint ' + 'helpers accept',
    async () => {
      const em = await startEmulator({ now: JUNE_2026 });
      try {
        expect(em.publicAccessToken).toMatch(/^[0-9a-f]{32}$/);
        expect(em.privateAccessToken).toMatch(/^[0-9a-f]{32}$/);
        expect(em.publicAccessToken).not.toBe(em.privateAccessToken);
        expect(em.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const endpoint = endpointFor(assertStoreDomain(em.storeDomain), '2026-04');
        expect(endpoint).toBe(`${em.url}/api/2026-04/graphql.json`);
        expect(em.settings).toEqual({ renewReturns: 'new-token', invalidRenewShape: 'user-errors' });
        expect(em.clock.now()).toBe(JUNE_2026);
        const { now } = em.clock;
        em.clock.advance(1500);
        expect(now()).toBe(JUNE_2026 + 1500);
      } finally {
        await em.close();
      }
    },
  );

  it('closes twice without complaint', async () => {
    const em = await startEmulator();
    await em.close();
    await expect(em.close()).resolves.toBeUndefined();
  });
});

describe('schemaDir', () => {
  it('serves unstable from a vendored unstable snapshot, and only the versions the folder holds', async () => {
    const dir = tempDir();
    copyFileSync(join(DEFAULT_SCHEMA_DIR, '2025-07.graphql'), join(dir, '2025-07.graphql'));
    copyFileSync(join(DEFAULT_SCHEMA_DIR, '2026-04.graphql'), join(dir, 'unstable.graphql'));
    const em = await startEmulator({ now: JUNE_2026, schemaDir: dir });
    try {
      const ask = (version: string) =>
        postGraphQL({ url: em.url, version, token: em.publicAccessToken, query: '{ shop { legalNotice { title } } }' });
      const unstable = await ask('unstable');
      expect(unstable.version).toBe('unstable');
      expect(unstable.body.data).toEqual({ shop: { legalNotice: null } }); // a 2026-04-only field
      const missing = await ask('2026-04'); // supported but not in this folder: the oldest supported, 2025-07, serves
      expect(missing.version).toBe('2025-07');
      expect(missing.body.errors[0].extensions.code).toBe('undefinedField');
    } finally {
      await em.close();
    }
  });

  it('names the fix for a folder without snapshots or a folder that does not exist', async () => {
    await expect(startEmulator({ schemaDir: tempDir() })).rejects.toThrow(/schemaDir .* run `schema pull`/);
    await expect(startEmulator({ schemaDir: join(tempDir(), 'nope') })).rejects.toThrow(ConfigurationError);
  });
});

describe('misconfiguration', () => {
  it.each([
    [{ port: -1 }, /port \("-1"\) is invalid/],
    [{ port: 1.5 }, /port/],
    [{ now: Number.NaN }, /now \("NaN"\) is invalid/],
    [{ renewReturns: 'sometimes' as never }, /renewReturns/],
    [{ invalidRenewShape: 'nope' as never }, /invalidRenewShape/],
    [{ storefrontTokens: [{ kind: 'secret' as never }] }, /storefrontTokens\[\]\.kind/],
    [{ customers: [{ email: 'no-at-sign', password: 'x' }] }, /customer email/],
  ])('rejects %o with a message naming the fix', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it('names the fix when the port is taken', async () => {
    const em = await startEmulator();
    try {
      const port = Number(new URL(em.url).port);
      await expect(startEmulator({ port })).rejects.toThrow(/port .* in use; pick another port/);
    } finally {
      await em.close();
    }
  });

  it('refuses a clock move that is not a finite number', async () => {
    const em = await startEmulator();
    try {
      expect(() => em.clock.advance(Number.POSITIVE_INFINITY)).toThrow(ConfigurationError);
      expect(() => em.clock.set(Number.NaN)).toThrow(/set\(ms\)/);
    } finally {
      await em.close();
    }
  });
});
