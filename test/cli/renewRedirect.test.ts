import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';
import { FIXED_NOW, runCli } from '../fixtures/schema/cli.js';

let em: Emulator;
let dir: string;
beforeAll(async () => {
  em = await startEmulator({ now: FIXED_NOW });
});
afterAll(() => em.close());
beforeEach(async () => {
  em.faults.clear();
  dir = await mkdtemp(join(tmpdir(), 'scs-renew-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('renew against a store domain that redirects (e.g. a custom domain sending to the primary one)', () => {
  it('names the fix (the store’s own domain) instead of "try again later", and leaves the file as it was', async () => {
    const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
    const text = JSON.stringify({ accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) });
    await writeFile(join(dir, 'customer-token.json'), text, { mode: 0o600 });
    em.faults.inject(
      { kind: 'redirect', status: 301, location: 'https://your-shop.myshopify.com/api/2026-04/graphql.json' },
      { times: Infinity },
    );
    const run = await runCli(['renew', '--store', em.storeDomain], {
      cwd: dir,
      env: { SHOPIFY_STOREFRONT_TOKEN: em.publicAccessToken },
      now: em.clock.now(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('answered with a redirect (HTTP 301)');
    expect(run.stderr).toContain("pass the store's own domain");
    expect(run.stderr).not.toContain('Try again later');
    expect(run.all).not.toContain(issued.accessToken);
    expect(run.all).not.toContain(em.publicAccessToken);
    expect(await readFile(join(dir, 'customer-token.json'), 'utf8')).toBe(text);
  });
});
