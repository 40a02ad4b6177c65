import { Client, fetchExchange } from '@urql/core';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as v2025 from '../../generated/2025-07/entry.js';
import {
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import {
  memoryTokenStore,
  signalOf,
  storefrontInfo,
  type CustomerSessionSignal,
  type Token,
  type TokenStore,
} from '../../src/index.js';
import {
  DEFAULT_CUSTOMER,
  formatExpiresAt,
  startEmulator,
  type Emulator,
  type Fault,
} from '../../src/testing/index.js';

const DAY = 86_400_000;
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  em.faults.clear();
  em.counters.reset();
  em.settings.renewReturns = 'new-token';
  em.settings.invalidRenewShape = 'user-errors';
});

/**
 * A client wired like an app's: customer token exchange, storefront exchange, fetch; sleeps are recorded, not waited.
 */
function session(options: { token?: Token | null; store?: TokenStore; publicAccessToken?: string } = {}) {
  const delays: number[] = [];
  const signals: CustomerSessionSignal[] = [];
  const store = options.store ?? memoryTokenStore(options.token ?? null);
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now, onSignal: (s) => signals.push(s) }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: options.publicAccessToken ?? em.publicAccessToken,
        now: em.clock.now,
        retry: { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
      }),
      fetchExchange,
    ],
  });
  return { client, store, delays, signals };
}

function issue(): Token {
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
}

const intoWindow = (token: Token, left = 3 * DAY) => em.clock.set(Date.parse(token.expiresAt) - left);
const readCustomer = (client: Client, n = 0) =>
  client.query(CustomerDocument, { n } as never, { requestPolicy: 'network-only' }).toPromise();

describe('over HTTP: the life cycle', () => {
  it('signs in, reads the customer, renews once for 100 concurrent reads in the window, and signs out', async () => {
    const { client, store } = session();
    const created = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    if (!created.ok) throw new Error(`sign-in failed: ${created.reason}`);
    await store.set(created.token);
    expect((await readCustomer(client)).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);

    intoWindow(created.token);
    em.counters.reset();
    const results = await Promise.all(Array.from({ length: 100 }, (_, n) => readCustomer(client, n + 1)));
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(em.counters.count('Customer')).toBe(100);
    expect(results.every((r) => r.data?.customer?.email === DEFAULT_CUSTOMER.email)).toBe(true);
    const renewed = (await store.get())!;
    expect(renewed.accessToken).not.toBe(created.token.accessToken);
    expect(Date.parse(renewed.expiresAt)).toBe(em.clock.now() - (em.clock.now() % 1000) + 42 * DAY);

    expect(await deleteCustomerAccessToken(client, { store }, { now: em.clock.now })).toEqual({
      ok: true,
      server: 'deleted',
    });
    expect(await store.get()).toBeNull();
    expect(
      em.customers.tokens(DEFAULT_CUSTOMER.email).find((t) => t.accessToken === renewed.accessToken)?.deleted,
    ).toBe(true);
  });

  it('stores the moved expiry when renew returns the same token string', async () => {
    em.settings.renewReturns = 'same-token';
    const token = issue();
    const { client, store } = session({ token });
    intoWindow(token);
    await Promise.all([readCustomer(client, 1), readCustomer(client, 2)]);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect((await store.get())!.accessToken).toBe(token.accessToken);
    expect(Date.parse((await store.get())!.expiresAt)).toBeGreaterThan(Date.parse(token.expiresAt));
  });
});

describe('over HTTP: the failure policy', () => {
  it.each([
    ['past expiresAt', -DAY],
    ['inside the clock-skew margin', 2 * 60_000],
  ])('sends no renew for a token %s, clears the store and signals sign-in', async (_, left) => {
    const token = issue();
    const { client, store, signals } = session({ token });
    intoWindow(token, left);
    const result = await readCustomer(client);
    expect(em.counters.requests()).toBe(0);
    expect(await store.get()).toBeNull();
    expect(signalOf(result)).toEqual({ kind: 'sign-in-required', reason: 'expired' });
    expect(signals).toContainEqual({ kind: 'sign-in-required', reason: 'expired' });
  });

  it.each(['user-errors', 'access-denied'] as const)(
    'signs out when renew answers a deleted token with %s',
    async (shape) => {
      em.settings.invalidRenewShape = shape;
      const token = issue();
      const other = session({ token });
      await deleteCustomerAccessToken(other.client, { store: memoryTokenStore(token) }, { now: em.clock.now });
      em.counters.reset();
      const { client, store, signals } = session({ token });
      intoWindow(token);
      const results = await Promise.all([readCustomer(client, 1), readCustomer(client, 2)]);
      expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
      expect(em.counters.count('Customer')).toBe(0);
      expect(await store.get()).toBeNull();
      expect(results.map((r) => signalOf(r))).toEqual([
        { kind: 'sign-in-required', reason: 'invalid' },
        { kind: 'sign-in-required', reason: 'invalid' },
      ]);
      expect(signals.filter((s) => s.kind === 'sign-in-required')).toHaveLength(1);
    },
  );

  it.each<[string, Fault]>([
    ['a connection reset', { kind: 'reset' }],
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['HTTP 502', { kind: 'status', status: 502 }],
    ['HTTP 503 without Retry-After', { kind: 'status', status: 503 }],
    ['HTTP 429 without Retry-After', { kind: 'status', status: 429 }],
    ['HTTP 430 (security rejection)', { kind: 'status', status: 430 }],
    ['a truncated body', { kind: 'truncated-body' }],
    ['a body that is not JSON', { kind: 'non-json-body' }],
  ])('keeps the customer signed in when every renew attempt meets %s', async (_, fault) => {
    em.faults.inject(fault, { times: Infinity, operationName: 'CustomerAccessTokenRenew' });
    const token = issue();
    const { client, store, delays, signals } = session({ token });
    intoWindow(token);
    const results = await Promise.all([readCustomer(client, 1), readCustomer(client, 2)]);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(4);
    expect(delays).toHaveLength(3);
    expect(await store.get()).toEqual(token);
    expect(results.every((r) => r.data?.customer?.email === DEFAULT_CUSTOMER.email)).toBe(true);
    expect(signals.filter((s) => s.kind === 'renewal-unavailable')).toHaveLength(1);
    expect(signals.some((s) => s.kind === 'sign-in-required')).toBe(false);
  });

  it('honours Retry-After in seconds, then renews', async () => {
    em.faults.inject(
      { kind: 'status', status: 429, retryAfter: 3 },
      { times: 1, operationName: 'CustomerAccessTokenRenew' },
    );
    em.faults.inject(
      { kind: 'status', status: 503, retryAfter: '1' },
      { times: 1, operationName: 'CustomerAccessTokenRenew' },
    );
    const token = issue();
    const { client, store, delays } = session({ token });
    intoWindow(token);
    await readCustomer(client);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(3);
    expect(delays[0]).toBeGreaterThanOrEqual(3000);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays.every((d) => d < 4000)).toBe(true);
    expect((await store.get())!.accessToken).not.toBe(token.accessToken);
  });

  it('fails an ordinary read as data after the last try, keeping the customer signed in', async () => {
    em.faults.inject({ kind: 'status', status: 503 }, { times: Infinity, operationName: 'Customer' });
    const token = issue();
    const { client, store } = session({ token });
    const result = await readCustomer(client);
    expect(em.counters.count('Customer')).toBe(4);
    expect(signalOf(result)).toMatchObject({
      kind: 'storefront-unavailable',
      status: 503,
      attempts: 4,
      transient: true,
    });
    expect(await store.get()).toEqual(token);
  });

  it('rides out two transient failures of an ordinary read', async () => {
    em.faults.inject({ kind: 'reset' }, { times: 1, operationName: 'Customer' });
    em.faults.inject({ kind: 'status', status: 502 }, { times: 1, operationName: 'Customer' });
    const { client } = session({ token: issue() });
    const result = await readCustomer(client);
    expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(storefrontInfo(result)).toMatchObject({ attempts: 3, status: 200 });
  });

  it('does not sign out when the storefront token is rejected (401), and does not retry it', async () => {
    const token = issue();
    const { client, store } = session({ token, publicAccessToken: 'not-a-known-storefront-token' });
    intoWindow(token);
    const result = await readCustomer(client);
    // One renew and one read, neither retried (a refused storefront token is counted, but not by name).
    expect(em.counters.requests()).toBe(2);
    expect(em.counters.byOperation()).toEqual({});
    expect(signalOf(result)).toMatchObject({ kind: 'storefront-unavailable', status: 401, transient: false });
    expect(await store.get()).toEqual(token);
  });

  it('never lets a renewal overwrite the token of a sign-in that happened meanwhile', async () => {
    em.faults.inject({ kind: 'latency', ms: 150 }, { operationName: 'CustomerAccessTokenRenew' });
    const token = issue();
    const { client, store } = session({ token });
    intoWindow(token);
    const reading = readCustomer(client);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const signedIn = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    if (!signedIn.ok) throw new Error('sign-in failed');
    await store.set(signedIn.token);
    await reading;
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(await store.get()).toEqual(signedIn.token);
  });

  it('loses nothing when the store cannot write: uses the renewed token from memory', async () => {
    const token = issue();
    const inner = memoryTokenStore(token);
    const store: TokenStore = {
      get: inner.get,
      clear: inner.clear,
      set: () => Promise.reject(new Error('quota exceeded')),
    };
    const { client, signals } = session({ store });
    intoWindow(token);
    await readCustomer(client, 1);
    const later = await readCustomer(client, 2);
    expect(later.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(signals).toContainEqual(expect.objectContaining({ kind: 'store-failure', method: 'set' }));
    const renewed = em.customers.tokens(DEFAULT_CUSTOMER.email).at(-1)!;
    expect(renewed.accessToken).not.toBe(token.accessToken);
    expect(await inner.get()).toEqual(token);
  });

  it('signs out when the server no longer knows the stored token (customer: null)', async () => {
    const token = issue();
    await deleteCustomerAccessToken(session().client, { store: memoryTokenStore(token) }, { now: em.clock.now });
    const { client, store } = session({ token });
    const result = await readCustomer(client);
    expect(result.data?.customer).toBeNull();
    expect(signalOf(result)).toEqual({ kind: 'sign-in-required', reason: 'invalid' });
    expect(await store.get()).toBeNull();
  });

  it('clears the store on sign-out even when the server says the token is already invalid', async () => {
    const token = issue();
    await deleteCustomerAccessToken(session().client, { store: memoryTokenStore(token) }, { now: em.clock.now });
    const store = memoryTokenStore(token);
    expect(await deleteCustomerAccessToken(session().client, { store }, { now: em.clock.now })).toEqual({
      ok: true,
      server: 'already-invalid',
    });
    expect(await store.get()).toBeNull();
  });
});

describe('over HTTP: versions', () => {
  it('refuses a document of another version without a request', async () => {
    const { client } = session({ token: issue() });
    const result = await client
      .query(v2025.CustomerDocument, {} as never, { requestPolicy: 'network-only' })
      .toPromise();
    expect(em.counters.requests()).toBe(0);
    expect(signalOf(result)).toMatchObject({ kind: 'wrong-version-document', apiVersion: '2026-04' });
  });

  it('tells the app when Shopify serves a newer version than requested', async () => {
    em.clock.set(Date.UTC(2026, 10, 1));
    const mismatches: unknown[] = [];
    const client = new Client({
      url: em.url,
      exchanges: [
        v2025.storefrontExchange({
          storeDomain: em.storeDomain,
          publicAccessToken: em.publicAccessToken,
          now: em.clock.now,
          onVersionMismatch: (s) => mismatches.push(s),
        }),
        fetchExchange,
      ],
    });
    const result = await client.query(parse('query Shop { shop { name } }'), {}).toPromise();
    expect(storefrontInfo(result)).toMatchObject({
      requestedVersion: '2025-07',
      servedVersion: '2026-01',
      versionMismatch: true,
    });
    expect(mismatches).toEqual([{ kind: 'version-mismatch', requestedVersion: '2025-07', servedVersion: '2026-01' }]);
  });

  it('tells the app when a response carries X-Shopify-API-Deprecated-Reason', async () => {
    const reasons: string[] = [];
    const client = new Client({
      url: em.url,
      exchanges: [
        storefrontExchange({
          storeDomain: em.storeDomain,
          publicAccessToken: em.publicAccessToken,
          now: em.clock.now,
          onDeprecation: (s) => reasons.push(s.reason),
        }),
        fetchExchange,
      ],
    });
    const deprecated = parse(
      'mutation Old($input: CustomerAccessTokenCreateInput!) { customerAccessTokenCreate(input: ' +
        '$input) { userErrors { message } } }',
    );
    const result = await client
      .mutation(deprecated, { input: { email: 'nobody@example.com', password: 'x' } })
      .toPromise();
    expect(storefrontInfo(result)?.deprecatedReason).toMatch(/^https:\/\/shopify\.dev\//);
    expect(reasons).toHaveLength(1);
  });

  it('sends the private token and buyer IP from a server', async () => {
    const client = new Client({
      url: em.url,
      exchanges: [
        storefrontExchange({
          storeDomain: em.storeDomain,
          privateAccessToken: em.privateAccessToken,
          buyerIp: '198.51.100.4',
          now: em.clock.now,
        }),
        fetchExchange,
      ],
    });
    const result = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    expect(result.ok).toBe(true);
  });
});
