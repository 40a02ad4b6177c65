import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startEmulator, type Emulator } from '../../src/testing/index.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);
const NOV_2026 = Date.UTC(2026, 10, 22);
const SHOP = '{ shop { name } }';
const RENEW =
  'mutation CustomerAccessTokenRenew($t: String!) { ' +
  'customerAccessTokenRenew(customerAccessToken: $t) { userErrors { message } } }';

let em: Emulator;
const ask = (version: string, query = SHOP, headers?: Record<string, string>) =>
  postGraphQL({ url: em.url, version, query, token: em.publicAccessToken, ...(headers ? { headers } : {}) });

beforeAll(async () => {
  em = await startEmulator({ now: JUNE_2026 });
});
afterAll(() => em.close());
afterEach(() => em.clock.set(JUNE_2026));

describe('versions', () => {
  it.each(['2025-07', '2025-10', '2026-01', '2026-04'])(
    'serves vendored and supported %s as itself',
    async (version) => {
      const { status, version: served, body } = await ask(version);
      expect(status).toBe(200);
      expect(served).toBe(version);
      expect(body.data).toEqual({ shop: { name: '' } });
    },
  );

  it('validates against the requested version’s own schema', async () => {
    const query = '{ shop { legalNotice { title } } }'; // Shop.legalNotice first appears in 2026-04
    const newer = await ask('2026-04', query);
    expect(newer.body.data).toEqual({ shop: { legalNotice: null } });
    const older = await ask('2026-01', query);
    expect(older.body).not.toHaveProperty('data');
    expect(older.body.errors[0].extensions).toMatchObject({
      code: 'undefinedField',
      typeName: 'Shop',
      fieldName: 'legalNotice',
    });
  });

  it('falls a retired version forward to the oldest supported one as the clock moves', async () => {
    em.clock.set(NOV_2026); // supported: 2026-01 … 2026-10
    const retired = await ask('2025-07');
    expect(retired.status).toBe(200);
    expect(retired.version).toBe('2026-01');
    expect(retired.body.data).toBeDefined();
  });

  it('falls a never-vendored version forward, naming the version that served it', async () => {
    expect((await ask('2024-01')).version).toBe('2025-07');
    em.clock.set(NOV_2026);
    expect((await ask('2027-01')).version).toBe('2026-01'); // the release candidate, not vendored
    expect((await ask('2031-04')).version).toBe('2026-01');
  });

  it('serves unstable with the newest schema', async () => {
    const { status, version } = await ask('unstable');
    expect(status).toBe(200);
    expect(version).toBe('unstable');
  });

  it.each(['2026-05', 'latest', '2026-4', 'v1'])(
    'answers 404 for the malformed version path %s, still with a version header',
    async (version) => {
      const response = await ask(version);
      expect(response.status).toBe(404);
      expect(response.version).toMatch(/^\d{4}-\d{2}$/);
    },
  );

  it.each(['2026-07', '2026-10'])('serves %s as itself once it is released', async (version) => {
    em.clock.set(NOV_2026);
    expect((await ask(version)).version).toBe(version);
    em.clock.set(JUNE_2026);
    expect((await ask(version)).version).toBe(version === '2026-07' ? '2026-07' : '2025-07');
  });

  it('lists in publicApiVersions only what it serves as itself: supported, then unstable', async () => {
    em.clock.set(NOV_2026);
    const { body } = await ask('2026-04', '{ publicApiVersions { handle displayName supported } }');
    const versions = body.data.publicApiVersions as { handle: string; supported: boolean }[];
    expect(versions.filter((v) => v.supported).map((v) => v.handle)).toEqual([
      '2026-01',
      '2026-04',
      '2026-07',
      '2026-10',
    ]);
    // 2027-01, the release candidate, is not vendored: the emulator would answer it with 2026-01.
    expect(versions.find((v) => v.handle === '2027-01')).toBeUndefined();
    expect(versions.find((v) => v.handle === 'unstable')?.supported).toBe(false);
    em.clock.set(JUNE_2026); // 2026-07 is the release candidate, and vendored
    const june = await ask('2026-04', '{ publicApiVersions { handle displayName supported } }');
    expect(june.body.data.publicApiVersions).toContainEqual({
      handle: '2026-07',
      displayName: '2026-07 (Release Candidate)',
      supported: false,
    });
  });
});

describe('validation', () => {
  it('answers an unknown field with undefinedField and no data key', async () => {
    const { status, body } = await ask('2026-04', '{ shop { name nope } }');
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('data');
    expect(body.errors[0]).toMatchObject({
      message: "Field 'nope' doesn't exist on type 'Shop'",
      extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'nope' },
    });
  });

  it('answers a bad literal with argumentLiteralsIncompatible / CoercionError and no data key', async () => {
    const { body } = await ask('2026-04', '{ customer(customerAccessToken: 42) { id } }');
    expect(body).not.toHaveProperty('data');
    expect(body.errors[0].extensions).toEqual({ code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' });
    expect(body.errors[0].locations).toEqual([{ line: 1, column: 33 }]);
  });

  it('answers a syntax error and a missing variable without a data key', async () => {
    expect(await ask('2026-04', '{ shop { ')).toMatchObject({
      status: 200,
      body: { errors: [expect.objectContaining({ message: expect.stringMatching(/Syntax Error/) })] },
    });
    const missing = await ask('2026-04', RENEW);
    expect(missing.body).not.toHaveProperty('data');
    expect(missing.body.errors[0].message).toMatch(/\$t/);
  });
});

describe('access', () => {
  it.each([
    ['no token', {}],
    ['an unknown public token', { 'X-Shopify-Storefront-Access-Token': 'nope' }],
    ['an unknown private token', { 'Shopify-Storefront-Private-Token': 'nope' }],
  ])('answers 401 with a JSON error for %s', async (_case, headers) => {
    const response = await postGraphQL({ url: em.url, version: '2026-04', query: SHOP, headers });
    expect(response.status).toBe(401);
    expect(response.body.errors[0].message).toMatch(/access token/);
    expect(response.version).toBe('2026-04');
  });

  it('accepts the private token in its own header only', async () => {
    const ok = await postGraphQL({
      url: em.url,
      version: '2026-04',
      query: SHOP,
      headers: { 'Shopify-Storefront-Private-Token': em.privateAccessToken },
    });
    expect(ok.status).toBe(200);
    const swapped = await postGraphQL({
      url: em.url,
      version: '2026-04',
      query: SHOP,
      headers: { 'X-Shopify-Storefront-Access-Token': em.privateAccessToken },
    });
    expect(swapped.status).toBe(401);
  });

  it('denies the token mutations and customer to a storefront token without the customer scopes', async () => {
    const token = em.addStorefrontToken({ kind: 'public', scopes: [] });
    const renew = await postGraphQL({ url: em.url, version: '2026-04', token, query: RENEW, variables: { t: 'x' } });
    expect(renew.body.data).toEqual({ customerAccessTokenRenew: null });
    expect(renew.body.errors[0]).toMatchObject({
      message:
        'Access denied for customerAccessTokenRenew field. Required access: ' +
        '`unauthenticated_write_customers` access scope.',
      path: ['customerAccessTokenRenew'],
      locations: [],
      extensions: { code: 'ACCESS_DENIED', requiredAccess: '`unauthenticated_write_customers` access scope.' },
    });
    const read = await postGraphQL({
      url: em.url,
      version: '2026-04',
      token,
      query: '{ customer(customerAccessToken: "x") { id } }',
    });
    expect(read.body.errors[0].extensions).toMatchObject({
      code: 'ACCESS_DENIED',
      requiredAccess: '`unauthenticated_read_customers` access scope.',
    });
  });
});

describe('malformed requests', () => {
  const raw = (init: RequestInit) =>
    fetch(`${em.url}/api/2026-04/graphql.json`, {
      ...init,
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
    });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await raw({ method: 'POST', body: '{"query":' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/not valid JSON/);
  });

  it('answers 413 for a body over a megabyte', async () => {
    const response = await raw({
      method: 'POST',
      body: JSON.stringify({ query: `{ shop { name } } #${'x'.repeat(1 << 20)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('answers 405 for a GET, naming the allowed methods', async () => {
    const response = await raw({ method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('POST');
  });
});

describe('CORS', () => {
  it('answers a preflight for the public token header from another origin', async () => {
    const response = await fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-shopify-storefront-access-token',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining(['content-type', 'x-shopify-storefront-access-token', 'shopify-storefront-private-token']),
    );
  });

  it('lets a cross-origin page read the version, deprecation and Retry-After headers', async () => {
    const { headers } = await ask('2026-04');
    expect(headers.get('access-control-allow-origin')).toBe('*');
    const exposed = headers.get('access-control-expose-headers')!.toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(['x-shopify-api-version', 'x-shopify-api-deprecated-reason', 'retry-after']),
    );
  });
});

describe('closing', () => {
  it('stops listening and closes kept-alive connections, so a later request is refused', async () => {
    const own = await startEmulator({ now: JUNE_2026 });
    const first = await postGraphQL({ url: own.url, version: '2026-04', token: own.publicAccessToken, query: SHOP });
    expect(first.status).toBe(200); // undici keeps this connection alive
    await own.close();
    expect(own.server.listening).toBe(false);
    await expect(new Promise((resolve) => own.server.getConnections((_e, n) => resolve(n)))).resolves.toBe(0);
    await expect(
      postGraphQL({ url: own.url, version: '2026-04', token: own.publicAccessToken, query: SHOP }),
    ).rejects.toThrow();
  });
});

describe('versions, with only some supported versions vendored', () => {
  it('never lists in publicApiVersions a supported version it would answer with another one', async () => {
    const { cp, mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'scs-partial-'));
    await cp(join(import.meta.dirname, '../../schema/2026-01.graphql'), join(dir, '2026-01.graphql'));
    await cp(join(import.meta.dirname, '../../schema/2026-04.graphql'), join(dir, '2026-04.graphql'));
    const partial = await startEmulator({ now: NOV_2026, schemaDir: dir });
    try {
      const ask2 = (version: string, query: string) =>
        postGraphQL({ url: partial.url, version, query, token: partial.publicAccessToken });
      const { body } = await ask2('2026-04', '{ publicApiVersions { handle supported } }');
      expect(body.data.publicApiVersions).toEqual([
        { handle: '2026-01', supported: true },
        { handle: '2026-04', supported: true },
        { handle: 'unstable', supported: false },
      ]);
      expect((await ask2('2026-10', SHOP)).version).toBe('2026-01');
    } finally {
      await partial.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
