import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { playFault } from '../../src/testing/faults.js';
import { postGraphQL, startEmulator, type Emulator, type Fault, type FaultStatus } from '../../src/testing/index.js';

const SHOP = 'query Shop { shop { name } }';
const RENEW =
  'mutation CustomerAccessTokenRenew($t: String!) { ' +
  'customerAccessTokenRenew(customerAccessToken: $t) { userErrors { message } } }';

let em: Emulator;
const shop = () => postGraphQL({ url: em.url, version: '2026-04', token: em.publicAccessToken, query: SHOP });
const renew = () =>
  postGraphQL({ url: em.url, version: '2026-04', token: em.publicAccessToken, query: RENEW, variables: { t: 'x' } });

beforeAll(async () => {
  em = await startEmulator({ now: Date.UTC(2026, 5, 15) });
});
afterAll(() => em.close());
afterEach(() => {
  em.faults.clear();
  em.counters.reset();
});

describe('status faults', () => {
  it.each([429, 430, 500, 502, 503, 401, 403, 402, 423] as FaultStatus[])(
    'answers %i once, then recovers',
    async (status) => {
      em.faults.inject({ kind: 'status', status });
      const faulted = await shop();
      expect(faulted.status).toBe(status);
      expect(faulted.headers.get('retry-after')).toBeNull();
      expect(faulted.version).toBe('2026-04');
      expect((await shop()).status).toBe(200);
    },
  );

  it.each([
    [429, 2, '2'],
    [503, '0', '0'],
    [430, 'soon', 'soon'],
  ] as const)('sends Retry-After for %i when asked (%s)', async (status, retryAfter, header) => {
    em.faults.inject({ kind: 'status', status, retryAfter });
    const response = await shop();
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe(header);
  });
});

describe('connection and body faults', () => {
  it('drops the connection without an answer', async () => {
    em.faults.inject({ kind: 'reset' });
    await expect(shop()).rejects.toThrow(/fetch failed/);
    expect((await shop()).status).toBe(200);
  });

  it('cuts the body short of its declared length', async () => {
    em.faults.inject({ kind: 'truncated-body' });
    const response = await fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
      body: JSON.stringify({ query: SHOP }),
    });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('answers 200 with a body that is not JSON', async () => {
    em.faults.inject({ kind: 'non-json-body' });
    const response = await shop();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.body).toBeUndefined();
  });

  it('adds latency and then answers normally', async () => {
    em.faults.inject({ kind: 'latency', ms: 150 });
    const started = performance.now();
    const response = await shop();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('fault scope', () => {
  it('faults only the named operation, for the given number of times', async () => {
    em.faults.inject(
      { kind: 'status', status: 503, retryAfter: 1 },
      { operationName: 'CustomerAccessTokenRenew', times: 2 },
    );
    expect((await shop()).status).toBe(200);
    expect((await renew()).status).toBe(503);
    expect((await renew()).status).toBe(503);
    expect((await renew()).status).toBe(200);
  });

  it('keeps an Infinity fault until cleared', async () => {
    em.faults.inject({ kind: 'status', status: 500 }, { times: Infinity });
    for (let i = 0; i < 3; i += 1) expect((await shop()).status).toBe(500);
    em.faults.clear();
    expect((await shop()).status).toBe(200);
  });

  it('refuses an unknown kind at inject, and never plays one silently', () => {
    expect(() => em.faults.inject({ kind: 'hang' } as unknown as Fault)).toThrow(
      /^storefront-customer-session: the provided fault kind \("hang"\) is invalid\. Expected one of "latency"/,
    );
    expect(() => playFault({ kind: 'hang' } as never, {})).toThrow(/fault kind \("hang"\)/);
  });

  it('refuses a scope that can never fire', () => {
    expect(() => em.faults.inject({ kind: 'reset' }, { times: 0 })).toThrow(/times/);
  });
});

describe('counters', () => {
  it('counts requests per operation name, faulted ones included, and unauthorised ones only in the total', async () => {
    em.faults.inject({ kind: 'status', status: 429 }, { operationName: 'CustomerAccessTokenRenew' });
    await renew();
    await renew();
    await shop();
    await postGraphQL({ url: em.url, version: '2026-04', query: SHOP }); // 401
    await postGraphQL({ url: em.url, version: '2026-04', token: em.publicAccessToken, query: '{ shop { name } }' });
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(2);
    expect(em.counters.count('Shop')).toBe(1);
    expect(em.counters.requests()).toBe(5);
    expect(em.counters.byOperation()).toEqual({ CustomerAccessTokenRenew: 2, Shop: 1, '(anonymous)': 1 });
    em.counters.reset();
    expect(em.counters.requests()).toBe(0);
    expect(em.counters.count('Shop')).toBe(0);
  });

  it('prefers the operationName sent in the body', async () => {
    await postGraphQL({
      url: em.url,
      version: '2026-04',
      token: em.publicAccessToken,
      query: `${SHOP} query Other { shop { name } }`,
      operationName: 'Other',
    });
    expect(em.counters.byOperation()).toEqual({ Other: 1 });
  });
});
