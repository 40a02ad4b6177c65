import { Client, fetchExchange } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  storefrontExchange,
} from '../../generated/latest.js';
import { memoryTokenStore } from '../../src/index.js';
import {
  createEmulator,
  DEFAULT_CUSTOMER,
  readSchemas,
  type Fault,
  type FetchEmulator,
} from '../../src/testing/index.js';
import { createEmulator as createFetchOnlyEmulator } from '../../src/testing/fetch.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);
const DAY = 86_400_000;
const SHOP = 'query Shop { shop { name } }';

let em: FetchEmulator;
beforeAll(() => {
  em = createEmulator({ schemas: readSchemas(), now: JUNE_2026 });
});
afterAll(() => em.close());
afterEach(() => {
  em.faults.clear();
  em.counters.reset();
});

const post = (query: string, variables?: Record<string, unknown>, version = '2026-04') =>
  em.fetch(`${em.url}/api/${version}/graphql.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
    body: JSON.stringify({ query, variables }),
  });

function session() {
  const store = memoryTokenStore(null);
  const delays: number[] = [];
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        fetch: em.fetch,
        retry: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
      }),
      fetchExchange,
    ],
  });
  return { client, store, delays };
}

describe('the exchanges with fetch: emulator.fetch (no server, no port)', () => {
  it('signs in, reads the customer and renews once in the window', async () => {
    const { client, store } = session();
    const created = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    if (!created.ok) throw new Error(`sign-in failed: ${created.reason}`);
    await store.set(created.token);
    em.clock.set(Date.parse(created.token.expiresAt) - 3 * DAY);
    const reads = await Promise.all(
      [1, 2, 3].map((n) =>
        client.query(CustomerDocument, { n } as never, { requestPolicy: 'network-only' }).toPromise(),
      ),
    );
    expect(reads.map((r) => r.data?.customer?.email)).toEqual(Array(3).fill(DEFAULT_CUSTOMER.email));
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect((await store.get())!.accessToken).not.toBe(created.token.accessToken);
    em.clock.set(JUNE_2026);
  });

  it('retries a reset (a rejected fetch) and a 503 with Retry-After, then answers', async () => {
    const { client, delays } = session();
    em.faults.inject({ kind: 'reset' }, { operationName: 'CustomerAccessTokenCreate' });
    em.faults.inject({ kind: 'status', status: 503, retryAfter: 2 }, { operationName: 'CustomerAccessTokenCreate' });
    const created = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    expect(created.ok).toBe(true);
    expect(em.counters.count('CustomerAccessTokenCreate')).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[1]).toBeGreaterThanOrEqual(2000); // Retry-After in seconds, plus jitter
  });
});

describe('faults over fetch', () => {
  it('plays a reset as a rejected promise with a TypeError, like a network failure', async () => {
    em.faults.inject({ kind: 'reset' });
    const failure = await post(SHOP).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toMatch(/^storefront-customer-session: the emulator reset the connection/);
    expect((await post(SHOP)).status).toBe(200);
  });

  it('cuts a body short of its Content-Length, so reading it fails', async () => {
    em.faults.inject({ kind: 'truncated-body' });
    const response = await post(SHOP);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    await expect(response.json()).rejects.toThrow(TypeError);
  });

  it.each([
    [430, undefined, null],
    [429, 3, '3'],
  ] as const)('answers %i with Retry-After %s', async (status, retryAfter, header) => {
    em.faults.inject({ kind: 'status', status, ...(retryAfter === undefined ? {} : { retryAfter }) });
    const response = await post(SHOP);
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe(header);
    expect(response.headers.get('x-shopify-api-version')).toBe('2026-04');
  });

  it('answers 200 with an HTML page for a non-json-body fault', async () => {
    em.faults.inject({ kind: 'non-json-body' });
    const response = await post(SHOP);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('ends a request held by a latency fault as a reset when the emulator closes', async () => {
    const own = createEmulator({ schemas: readSchemas(), now: JUNE_2026 });
    own.faults.inject({ kind: 'latency', ms: 60_000 });
    const held = own.fetch(`${own.url}/api/2026-04/graphql.json`, { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await own.close();
    await expect(held).rejects.toThrow(TypeError);
  });

  it.each([
    [{ kind: 'drop-everything' }, /fault kind \("drop-everything"\) is invalid\. Expected one of "latency", "status"/],
    [{ kind: 'status', status: 504 }, /status \("504"\) is invalid\. Expected one of 401, 402/],
    [{ kind: 'latency', ms: -1 }, /ms \("-1"\) is invalid/],
    [{ kind: 'status', status: 429, retryAfter: '1\r\nX: y' }, /retryAfter/],
  ])('refuses %o at inject, naming what is allowed', (fault, message) => {
    expect(() => em.faults.inject(fault as unknown as Fault)).toThrow(message);
  });
});

describe('fidelity', () => {
  it('gives a coercion error a path, like Shopify', async () => {
    const query = 'mutation Renew { customerAccessTokenRenew(customerAccessToken: 5) { userErrors { message } } }';
    const body = await (await post(query)).json();
    expect(body).not.toHaveProperty('data');
    expect(body.errors[0]).toMatchObject({
      path: ['mutation Renew', 'customerAccessTokenRenew', 'customerAccessToken'],
      extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' },
    });
    expect(Object.keys(body.errors[0])).toEqual(['message', 'locations', 'path', 'extensions']);
  });

  it('gives an unknown field the path to it', async () => {
    const body = await (await post('{ shop { nope } }')).json();
    expect(body.errors[0]).toMatchObject({ path: ['query', 'shop', 'nope'], extensions: { code: 'undefinedField' } });
  });

  it.each([
    ['selections', (n: number) => `{${'a{'.repeat(n)}b${'}'.repeat(n)}}`],
    ['list literals', (n: number) => `{ shop(x: ${'['.repeat(n)}1${']'.repeat(n)}) { name } }`],
  ])('answers a query with %s nested 5,000 deep with a depth error, not a stack overflow', async (_, deep) => {
    const response = await post(deep(5000));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).not.toHaveProperty('data');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toMatch(/^Query has a depth of \d+, which exceeds the max depth of 17$/);
    expect(body.errors[0].extensions).toMatchObject({ code: 'MAX_DEPTH_EXCEEDED', maxDepth: 17 });
  });

  it('counts depth through fragments: 18 is refused, 17 is served', async () => {
    // menu (1) › items › … › id: the fragment adds its own depth where it is spread.
    const query = (depth: number) =>
      `{ menu(handle: "main") { ...Items } } fragment Items on Menu { ` +
      `${'items { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} }`;
    const refused = await (await post(query(18))).json();
    expect(refused).not.toHaveProperty('data');
    expect(refused.errors[0].message).toBe('Query has a depth of 18, which exceeds the max depth of 17');
    const served = await (await post(query(17))).json();
    expect(served.errors).toBeUndefined();
    expect(served.data).toEqual({ menu: null });
  });

  it('lists only the methods it serves in a preflight and a 405', async () => {
    const preflight = await em.fetch(new Request(`${em.url}/api/2026-04/graphql.json`, { method: 'OPTIONS' }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    const get = await em.fetch(`${em.url}/api/2026-04/graphql.json`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('refuses to start without schemas from /testing/fetch, naming where to get them', () => {
    expect(() => createFetchOnlyEmulator({} as never)).toThrow(
      /schemas \("undefined"\) is invalid\. .*readSchemas\(\)/,
    );
    expect(() => createEmulator({ schemas: { latest: 'type Query { a: Int }' } })).toThrow(/schemas key \("latest"\)/);
  });
});
