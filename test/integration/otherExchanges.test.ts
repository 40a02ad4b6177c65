import { cacheExchange } from '@urql/exchange-graphcache';
import { retryExchange } from '@urql/exchange-retry';
import { Client, fetchExchange, type Exchange } from '@urql/core';
import { map, pipe } from 'wonka';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { memoryTokenStore, signalOf, storefrontInfo, type Token } from '../../src/index.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  em.faults.clear();
  em.counters.reset();
});
afterEach(() => vi.restoreAllMocks());

function issue(): Token {
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
}

/** The package's exchanges, with `before` above the token exchange and `between` below the storefront one. */
function client(token: Token | null, before: Exchange[] = [], between: Exchange[] = []) {
  const store = memoryTokenStore(token);
  const client = new Client({
    url: em.url,
    exchanges: [
      ...before,
      customerTokenExchange({ store, now: em.clock.now }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        retry: { sleep: async () => {}, random: () => 0 },
      }),
      ...between,
      fetchExchange,
    ],
  });
  return { client, store };
}

const quickRetry = () => retryExchange({ initialDelayMs: 1, maxDelayMs: 2, maxNumberAttempts: 3, randomDelay: false });

describe('beside @urql/exchange-retry', () => {
  async function requestsForOneFailingRead(before: Exchange[], between: Exchange[] = []) {
    em.faults.inject({ kind: 'status', status: 503 }, { times: Infinity, operationName: 'Customer' });
    const { client: c } = client(issue(), before, between);
    const result = await c.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(signalOf(result)).toMatchObject({ kind: 'storefront-unavailable', status: 503 });
    // The request budget on the context replays the last answer without pointing back at an attempt: an app can
    // still log the operation's context as JSON.
    expect(JSON.parse(JSON.stringify(result.operation.context))).toHaveProperty(['storefront', 'status'], 503);
    return em.counters.requests();
  }

  it('makes no more requests for a failing query than without it, placed above the exchanges', async () => {
    const alone = await requestsForOneFailingRead([]);
    em.counters.reset();
    const withRetry = await requestsForOneFailingRead([quickRetry()]);
    expect(alone).toBe(4);
    expect(withRetry).toBe(alone);
  });

  it('makes no more requests for a failing query than without it, placed below the storefront exchange', async () => {
    expect(await requestsForOneFailingRead([], [quickRetry()])).toBe(4);
  });

  it('prints no order warning when it re-sends an operation', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await requestsForOneFailingRead([quickRetry()]);
    expect(
      warn.mock.calls.map((call) => String(call[0])).filter((m) => m.includes('before storefrontExchange')),
    ).toEqual([]);
  });
});

describe('below graphcache', () => {
  const cache = () => cacheExchange({ keys: { Customer: (c) => (c as { id?: string }).id ?? null } });

  it('answers cache-first reads from the cache and the first over the wire', async () => {
    const { client: c } = client(issue(), [cache()]);
    const first = await c.query(CustomerDocument, {}).toPromise();
    const second = await c.query(CustomerDocument, {}).toPromise();
    expect(first.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(second.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(em.counters.byOperation()['Customer']).toBe(1);
  });

  it('signs out on the same client: the store is cleared and the next network read asks to sign in', async () => {
    const { client: c, store } = client(null, [cache()]);
    const created = await createCustomerAccessToken(c, DEFAULT_CUSTOMER);
    if (!created.ok) throw new Error(`sign-in failed: ${created.reason}`);
    await store.set(created.token);
    expect((await c.query(CustomerDocument, {}).toPromise()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(await deleteCustomerAccessToken(c, { store })).toMatchObject({ ok: true, server: 'deleted' });
    expect(await store.get()).toBeNull();
    const after = await c.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(signalOf(after)).toMatchObject({ kind: 'sign-in-required' });
  });
});

describe('beside exchanges that freeze what they pass', () => {
  /** Freezes every operation's context on the way down (placed between the package's two exchanges). */
  const freezeContexts: Exchange =
    ({ forward }) =>
    (ops$) =>
      forward(
        pipe(
          ops$,
          map((op) => ({ ...op, context: Object.freeze({ ...op.context }) })),
        ),
      );
  /** Freezes every result, its extensions and its operation's variables on the way up (placed below both). */
  const freezeResults: Exchange =
    ({ forward }) =>
    (ops$) =>
      pipe(
        forward(ops$),
        map((result) =>
          Object.freeze({
            ...result,
            extensions: Object.freeze({ ...result.extensions }),
            operation: Object.freeze({
              ...result.operation,
              variables: Object.freeze({ ...result.operation.variables }),
            }),
          }),
        ),
      );

  it('still answers, with the response info and without the token, copying what it cannot annotate in place', async () => {
    const token = issue();
    const store = memoryTokenStore(token);
    const c = new Client({
      url: em.url,
      exchanges: [
        customerTokenExchange({ store, now: em.clock.now }),
        freezeContexts,
        storefrontExchange({ storeDomain: em.storeDomain, publicAccessToken: em.publicAccessToken, now: em.clock.now }),
        freezeResults,
        fetchExchange,
      ],
    });
    const result = await c.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(storefrontInfo(result)).toMatchObject({ requestedVersion: '2026-04', servedVersion: '2026-04' });
    expect(result.operation.variables).toEqual({});
    expect(JSON.stringify(result)).not.toContain(token.accessToken);
  });
});
