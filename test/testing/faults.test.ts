import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { playFault } from '../../src/testing/faults.js';
import {
  createEmulator,
  formatExpiresAt,
  postGraphQL,
  readSchemas,
  startEmulator,
  type Emulator,
  type Fault,
  type FaultStatus,
} from '../../src/testing/index.js';

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
    expect(() => em.faults.inject({ kind: 'teapot' } as unknown as Fault)).toThrow(
      /^storefront-customer-session: the provided fault kind \("teapot"\) is invalid\. Expected one of "latency"/,
    );
    expect(() => playFault({ kind: 'teapot' } as never, {} as never)).toThrow(/fault kind \("teapot"\)/);
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

describe('redirect faults', () => {
  const ELSEWHERE = 'http://127.0.0.1:9/api/2026-04/graphql.json';

  it.each([301, 302, 307, 308] as const)('answers %i with the Location the test gives, once', async (status) => {
    em.faults.inject({ kind: 'redirect', status, location: ELSEWHERE });
    const response = await fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
      body: JSON.stringify({ query: SHOP }),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBe(ELSEWHERE);
    expect(response.headers.get('x-shopify-api-version')).toBe('2026-04');
    expect(await response.text()).toBe('');
    expect((await shop()).status).toBe(200);
  });

  it('comes back as it is from postGraphQL, which never follows a redirect', async () => {
    em.faults.inject({ kind: 'redirect', status: 307, location: ELSEWHERE });
    const response = await shop();
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(ELSEWHERE);
  });

  it('answers through the fetch handler too', async () => {
    const emulator = createEmulator({ schemas: readSchemas(), now: Date.UTC(2026, 5, 15) });
    emulator.faults.inject({ kind: 'redirect', status: 308, location: ELSEWHERE });
    const response = await emulator.fetch(`${emulator.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'X-Shopify-Storefront-Access-Token': emulator.publicAccessToken },
      body: JSON.stringify({ query: SHOP }),
    });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(ELSEWHERE);
    await emulator.close();
  });

  it.each<[string, unknown, unknown]>([
    ['a status that is not a redirect', 303, ELSEWHERE],
    ['a relative location', 307, '/api/2026-04/graphql.json'],
    ['a location that is not http', 307, 'ftp://127.0.0.1/x'],
    ['a location with a line break', 307, 'http://127.0.0.1/\r\nSet-Cookie: x=1'],
    ['no location', 302, undefined],
  ])('refuses %s at inject', (_, status, location) => {
    expect(() => em.faults.inject({ kind: 'redirect', status, location } as never)).toThrow(
      /^storefront-customer-session: the provided (status|location) \(.*\) is invalid\. Expected/,
    );
  });
});

describe('malformed renew faults', () => {
  const renewPayload = async (query = RENEW, key = 'customerAccessTokenRenew') => {
    const response = await postGraphQL({
      url: em.url,
      version: '2026-04',
      token: em.publicAccessToken,
      query,
      variables: { t: 'x' },
    });
    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty('errors');
    expect(response.body.extensions).toEqual({ cost: { requestedQueryCost: 12 } });
    return response.body.data[key] as unknown;
  };
  const token = expect.stringMatching(/^[0-9a-f]{32}$/);

  it.each<[Extract<Fault, { kind: 'malformed-renew' }>['answer'], unknown]>([
    ['null-token', { customerAccessToken: null, userErrors: [] }],
    ['null-user-error', { customerAccessToken: null, userErrors: [null] }],
    ['string-payload', 'oops'],
    ['no-user-errors', { customerAccessToken: null }],
    ['null-payload', null],
    ['unparsable-expiry', { customerAccessToken: { accessToken: token, expiresAt: 'not-a-date' }, userErrors: [] }],
  ])('answers the next renew with the %s payload, once', async (answer, payload) => {
    em.faults.inject({ kind: 'malformed-renew', answer });
    expect(await renewPayload()).toEqual(payload);
    // Played once: the next renew gets the emulator's own answer for an unknown token.
    expect(await renewPayload()).toEqual({ userErrors: [{ message: 'access token does not exist' }] });
  });

  it('answers a token that expired a day ago by the emulator clock', async () => {
    em.faults.inject({ kind: 'malformed-renew', answer: 'past-expiry' });
    expect(await renewPayload()).toEqual({
      customerAccessToken: { accessToken: token, expiresAt: formatExpiresAt(em.clock.now() - 86_400_000) },
      userErrors: [],
    });
  });

  it('waits for a renew request: other requests are answered normally and do not use it up', async () => {
    em.faults.inject({ kind: 'malformed-renew', answer: 'null-payload' });
    const other = await shop();
    expect(other.status).toBe(200);
    expect(other.body.data.shop).toBeDefined();
    expect(await renewPayload()).toBeNull();
  });

  it('puts the payload under the alias the renew field has', async () => {
    em.faults.inject({ kind: 'malformed-renew', answer: 'string-payload' });
    const aliased =
      'mutation CustomerAccessTokenRenew($t: String!) { ' +
      'renewed: customerAccessTokenRenew(customerAccessToken: $t) { userErrors { message } } }';
    expect(await renewPayload(aliased, 'renewed')).toBe('oops');
  });

  it('refuses an unknown answer at inject, naming the known ones', () => {
    expect(() => em.faults.inject({ kind: 'malformed-renew', answer: 'garbage' } as never)).toThrow(
      /the provided answer \("garbage"\) is invalid\. Expected one of "null-token", "null-user-error"/,
    );
  });
});

describe('hang faults', () => {
  const renewRequest = (url: string, token: string, signal?: AbortSignal) =>
    fetch(`${url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': token },
      body: JSON.stringify({ query: RENEW, variables: { t: 'x' } }),
      signal,
    });
  const settled = (promise: Promise<unknown>) =>
    Promise.race([
      promise.then(
        () => 'answered',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 150)),
    ]);

  it('never answers a hung renew until the client aborts it; the next request is answered', async () => {
    em.faults.inject({ kind: 'hang' }, { operationName: 'CustomerAccessTokenRenew' });
    const controller = new AbortController();
    const hung = renewRequest(em.url, em.publicAccessToken, controller.signal);
    hung.catch(() => {});
    await expect.poll(() => em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(await settled(hung)).toBe('pending');
    controller.abort();
    await expect(hung).rejects.toThrow(/abort/i);
    expect((await renew()).status).toBe(200);
  });

  it('drops a hung request when the emulator closes, and closes promptly', async () => {
    const own = await startEmulator({ now: Date.UTC(2026, 5, 15) });
    own.faults.inject({ kind: 'hang' });
    const hung = renewRequest(own.url, own.publicAccessToken);
    hung.catch(() => {});
    await expect.poll(() => own.counters.requests()).toBe(1);
    expect(await settled(hung)).toBe('pending');
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(hung).rejects.toThrow(/fetch failed/);
  });

  it('stalls a body after half of it until the client aborts, over HTTP and through the fetch handler', async () => {
    const emulator = createEmulator({ schemas: readSchemas(), now: Date.UTC(2026, 5, 15) });
    for (const [target, publicToken, send] of [
      [em, em.publicAccessToken, fetch],
      [emulator, emulator.publicAccessToken, emulator.fetch],
    ] as const) {
      target.faults.inject({ kind: 'stalled-body' });
      const controller = new AbortController();
      const response = await send(`${target.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': publicToken },
        body: JSON.stringify({ query: SHOP }),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const body = response.text();
      body.catch(() => {});
      expect(await settled(body)).toBe('pending');
      controller.abort();
      await expect(body).rejects.toThrow();
    }
    await emulator.close();
  });

  it('through the fetch handler: rejects with the abort reason, or like a dropped connection on close', async () => {
    const emulator = createEmulator({ schemas: readSchemas(), now: Date.UTC(2026, 5, 15) });
    emulator.faults.inject({ kind: 'hang' }, { times: 2 });
    const post = (signal?: AbortSignal) =>
      emulator.fetch(`${emulator.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'X-Shopify-Storefront-Access-Token': emulator.publicAccessToken },
        body: JSON.stringify({ query: SHOP }),
        signal,
      });
    const controller = new AbortController();
    const aborted = post(controller.signal);
    aborted.catch(() => {});
    const dropped = post();
    dropped.catch(() => {});
    expect(await settled(aborted)).toBe('pending');
    expect(await settled(dropped)).toBe('pending');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await settled(dropped)).toBe('pending');
    await emulator.close();
    await expect(dropped).rejects.toThrow(TypeError);
  });
});
