import {
  CombinedError,
  createRequest,
  makeErrorResult,
  makeResult,
  type Operation,
  type OperationResult,
} from '@urql/core';
import { fromValue, makeSubject, pipe, subscribe, type Source } from 'wonka';
import { parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  CustomerAccessTokenRenewDocument,
  CustomerDocument,
  customerTokenExchange,
} from '../../generated/2026-04/entry.js';
import {
  ConfigurationError,
  CustomerSessionError,
  memoryTokenStore,
  signalOf,
  type Token,
  type TokenStore,
} from '../../src/index.js';

import { client, customerQuery, DAY, isRenew, renewedTo, setup, T0, tick, token } from './exchangeHarness.js';

describe('customerTokenExchange: injecting the token', () => {
  it('fills in $customerAccessToken and removes it from the result the app sees', async () => {
    const h = setup({ store: memoryTokenStore(token('tok-A', T0 + 20 * DAY)) });
    const query = customerQuery();
    h.next(query);
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent[0]).toHaveProperty(['variables', 'customerAccessToken'], 'tok-A');
    expect(h.results[0]!.operation.key).toBe(query.key);
    expect(h.results[0]!.operation.variables).toEqual({ n: 0 });
    expect(JSON.stringify(h.results[0]!.operation)).not.toContain('tok-A');
    expect(h.renews()).toHaveLength(0);
  });

  it("takes the token off the operation only once its last part came back, never off the app's variables", async () => {
    const below: Operation[] = [];
    const parts = makeSubject<OperationResult>();
    const forward = (ops$: Source<Operation>) => {
      pipe(
        ops$,
        subscribe((op) => below.push(op)),
      );
      return parts.source;
    };
    const results: OperationResult[] = [];
    const exchange = customerTokenExchange({ store: memoryTokenStore(token('tok-A', T0 + 20 * DAY)), now: () => T0 });
    pipe(
      exchange({ client, forward, dispatchDebug: () => {} })(fromValue(customerQuery(0, { first: 1 }))),
      subscribe((r) => results.push(r)),
    );
    const [sent] = below;
    const appVariables = { first: 1, n: 0 };
    expect(sent!.variables).toEqual({ ...appVariables, customerAccessToken: 'tok-A' });
    parts.next(makeResult(sent!, { data: { customer: { id: '1' } }, hasNext: true }));
    // More parts are coming for this request: the operation below keeps its token.
    expect(sent!.variables).toHaveProperty('customerAccessToken', 'tok-A');
    // An operation an exchange below froze (its variables cannot lose the token in place) is copied instead.
    const frozen = Object.freeze({ ...sent!, variables: Object.freeze({ ...sent!.variables }) });
    parts.next(makeResult(sent!, { data: { customer: { id: '1' } }, hasNext: false }));
    parts.next(makeResult(frozen, { data: { customer: { id: '1' } } }));
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result.operation.variables).toEqual(appVariables);
      expect(JSON.stringify(result)).not.toContain('tok-A');
    }
  });

  it('passes operations without the variable, or with a token given, through untouched', async () => {
    const h = setup({ store: memoryTokenStore(token('tok-A', T0 + 20 * DAY)) });
    const shop = client.createRequestOperation('query', createRequest(parse('query Shop { shop { name } }'), {}));
    const explicit = client.createRequestOperation(
      'query',
      createRequest(CustomerDocument, { customerAccessToken: 'given' }),
    );
    h.next(shop);
    h.next(explicit);
    expect(h.sent).toEqual([shop, explicit]);
  });

  it('fails an operation as data when no token is stored, telling the app once', async () => {
    const h = setup({ store: memoryTokenStore() });
    h.next(customerQuery(1));
    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.sent).toHaveLength(0);
    expect(h.results.map((r) => signalOf(r))).toEqual([
      { kind: 'sign-in-required', reason: 'missing' },
      { kind: 'sign-in-required', reason: 'missing' },
    ]);
    expect(h.onSignInRequired).toHaveBeenCalledTimes(1);
  });
});

describe('customerTokenExchange: expiry', () => {
  it.each([
    ['past expiresAt', -1000],
    ['inside the clock-skew margin', 4 * 60_000],
  ])('never sends a token %s to renew: clears the store and signals sign-in', async (_, left) => {
    const store = memoryTokenStore(token('tok-A', T0 + left));
    const h = setup({ store });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toHaveLength(0);
    expect(await store.get()).toBeNull();
    expect(signalOf(h.results[0])).toEqual({ kind: 'sign-in-required', reason: 'expired' });
    expect(h.onSignInRequired).toHaveBeenCalledWith({ kind: 'sign-in-required', reason: 'expired' });
  });

  it('treats an unreadable expiresAt as expired', async () => {
    const store = memoryTokenStore({ accessToken: 'tok-A', expiresAt: 'soon' });
    const h = setup({ store });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toHaveLength(0);
    expect(await store.get()).toBeNull();
  });
});

describe('customerTokenExchange: renewal', () => {
  it(
    'sends exactly one renew for many concurrent operations in the window, then all of them ' + 'with the new token',
    async () => {
      const store = memoryTokenStore(token('tok-A', T0 + 3 * DAY));
      const h = setup({ store });
      for (let n = 0; n < 50; n++) h.next(customerQuery(n));
      await vi.waitFor(() => expect(h.results).toHaveLength(50));
      expect(h.renews()).toHaveLength(1);
      expect(h.renews()[0]).toHaveProperty(['variables', 'customerAccessToken'], 'tok-A');
      const queries = h.sent.filter((op) => !isRenew(op));
      expect(queries).toHaveLength(50);
      expect(new Set(queries.map((op) => op.variables?.customerAccessToken))).toEqual(new Set(['renewed']));
      expect(await store.get()).toEqual(token('renewed', T0 + 42 * DAY));
      expect(h.results.every((r) => !isRenew(r.operation))).toBe(true);
    },
  );

  it('does not renew outside the window', async () => {
    const h = setup({ store: memoryTokenStore(token('tok-A', T0 + 8 * DAY)) });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.renews()).toHaveLength(0);
  });

  it('drops a parked operation that is torn down while the renewal runs', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const h = setup(
      { store: memoryTokenStore(token('tok-A', T0 + DAY)) },
      { renew: async (op) => (await gate, renewedTo(token('tok-B', T0 + 42 * DAY))(op)) },
    );
    const query = customerQuery();
    h.next(query);
    await vi.waitFor(() => expect(h.renews()).toHaveLength(1));
    h.next({ ...query, kind: 'teardown' });
    finish();
    await tick();
    await tick();
    expect(h.sent.filter((op) => op.kind === 'query')).toHaveLength(0);
    expect(h.results).toHaveLength(0);
  });

  it.each([
    [
      'userErrors',
      (op: Operation) =>
        makeResult(op, {
          data: {
            customerAccessTokenRenew: {
              customerAccessToken: null,
              userErrors: [{ field: ['customerAccessToken'], message: 'access token does not exist' }],
            },
          },
        }),
    ],
    [
      'ACCESS_DENIED',
      (op: Operation) =>
        makeResult(op, {
          data: { customerAccessTokenRenew: null },
          errors: [
            { message: 'Access denied', path: ['customerAccessTokenRenew'], extensions: { code: 'ACCESS_DENIED' } },
          ],
        }),
    ],
  ])('signs out when renew answers with %s', async (_, renew) => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const h = setup({ store }, { renew });
    h.next(customerQuery(1));
    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.renews()).toHaveLength(1);
    expect(h.sent.filter((op) => !isRenew(op))).toHaveLength(0);
    expect(await store.get()).toBeNull();
    expect(h.results.map((r) => signalOf(r))).toEqual([
      { kind: 'sign-in-required', reason: 'invalid' },
      { kind: 'sign-in-required', reason: 'invalid' },
    ]);
    expect(h.onSignInRequired).toHaveBeenCalledTimes(1);
  });

  it('keeps the token and sends with it when renewal fails transiently, then waits out the cool-down', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const unavailable = {
      kind: 'storefront-unavailable',
      status: 503,
      attempts: 4,
      retryAfterMs: null,
      transient: true,
    } as const;
    const h = setup({ store }, { renew: (op) => makeErrorResult(op, new CustomerSessionError(unavailable)) });
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(await store.get()).toEqual(token('tok-A', T0 + DAY));
    expect(h.sent.filter((op) => !isRenew(op))[0]).toHaveProperty(['variables', 'customerAccessToken'], 'tok-A');
    expect(h.results[0]!.error).toBeUndefined();
    expect(h.results[0]!.extensions?.['customerSession']).toEqual({
      renewal: { kind: 'renewal-unavailable', cause: unavailable },
    });
    expect(h.onSignal).toHaveBeenCalledWith({ kind: 'renewal-unavailable', cause: unavailable });
    expect(h.onSignInRequired).not.toHaveBeenCalled();

    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.renews()).toHaveLength(1);
    h.advance(61_000);
    h.next(customerQuery(3));
    await vi.waitFor(() => expect(h.results).toHaveLength(3));
    expect(h.renews()).toHaveLength(2);
  });

  it('treats an unexpected renew answer (no token, no errors) as transient', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const h = setup(
      { store },
      {
        renew: (op) =>
          makeResult(op, { data: { customerAccessTokenRenew: { customerAccessToken: null, userErrors: [] } } }),
      },
    );
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(await store.get()).not.toBeNull();
    expect(h.results[0]!.error).toBeUndefined();
  });

  it('never overwrites a newer token that arrived while renewing', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const newer = token('tok-A', T0 + 50 * DAY);
    const h = setup(
      { store },
      { renew: async (op) => (store.set(newer), renewedTo(token('tok-B', T0 + 42 * DAY))(op)) },
    );
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(await store.get()).toEqual(newer);
    expect(h.sent.filter((op) => !isRenew(op))[0]).toHaveProperty(['variables', 'customerAccessToken'], 'tok-A');
  });

  it('does not bring a session back when the customer signed out during the renewal', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const h = setup({ store }, { renew: async (op) => (store.clear(), renewedTo(token('tok-B', T0 + 42 * DAY))(op)) });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(await store.get()).toBeNull();
    expect(signalOf(h.results[0])).toEqual({ kind: 'sign-in-required', reason: 'missing' });
  });

  it('keeps a renewed token the store refused in memory, uses it, and writes it later', async () => {
    const inner = memoryTokenStore(token('tok-A', T0 + DAY));
    let failures = 1; // the write after renewing; the next operation's read writes it again
    const store: TokenStore = {
      get: inner.get,
      clear: inner.clear,
      set: (t) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : inner.set(t)),
    };
    const h = setup({ store });
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.onSignal).toHaveBeenCalledWith({ kind: 'store-failure', method: 'set', message: 'disk full' });
    expect(await inner.get()).toEqual(token('tok-A', T0 + DAY));
    expect(h.sent.filter((op) => !isRenew(op))[0]).toHaveProperty(['variables', 'customerAccessToken'], 'renewed');
    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(await inner.get()).toEqual(token('renewed', T0 + 42 * DAY));
    expect(h.renews()).toHaveLength(1);
  });

  it('works with a store whose methods are all asynchronous', async () => {
    const inner = memoryTokenStore(token('tok-A', T0 + DAY));
    const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 2));
    const store: TokenStore = {
      get: () => later(inner.get() as Token | null),
      set: (t) => later(inner.set(t) as void),
      clear: () => later(inner.clear() as void),
    };
    const h = setup({ store });
    for (let n = 0; n < 10; n++) h.next(customerQuery(n));
    await vi.waitFor(() => expect(h.results).toHaveLength(10));
    expect(h.renews()).toHaveLength(1);
    expect(await store.get()).toEqual(token('renewed', T0 + 42 * DAY));
  });

  it('passes the app’s own renew mutation through without renewing for it', async () => {
    const h = setup({ store: memoryTokenStore(token('tok-A', T0 + DAY)) });
    const renew = client.createRequestOperation(
      'mutation',
      createRequest(CustomerAccessTokenRenewDocument, { customerAccessToken: 'tok-A' }),
    );
    h.next(renew);
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toEqual([renew]);
  });
});

describe('customerTokenExchange: other definite and failed answers', () => {
  it('signs out when the server answers customer: null for the stored token', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + 20 * DAY));
    const h = setup({ store }, { other: (op) => makeResult(op, { data: { customer: null } }) });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.results[0]!.data).toEqual({ customer: null });
    expect(signalOf(h.results[0])).toEqual({ kind: 'sign-in-required', reason: 'invalid' });
    await vi.waitFor(async () => expect(await store.get()).toBeNull());
    expect(h.onSignInRequired).toHaveBeenCalledTimes(1);
  });

  it('fails as data without signing out when the store cannot be read', async () => {
    const store: TokenStore = { get: () => Promise.reject(new Error('redis down')), set: vi.fn(), clear: vi.fn() };
    const h = setup({ store });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    // The read's failure, with the store's message.
    expect(signalOf(h.results[0])).toEqual({ kind: 'store-failure', method: 'get', message: 'redis down' });
    expect(store.clear).not.toHaveBeenCalled();
    expect(h.onSignInRequired).not.toHaveBeenCalled();
  });

  it('lets a transport failure of the operation itself through untouched', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + 20 * DAY));
    const h = setup({ store }, { other: (op) => makeErrorResult(op, new Error('offline')) });
    h.next(customerQuery());
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.results[0]!.error).toBeInstanceOf(CombinedError);
    expect(await store.get()).not.toBeNull();
  });
});

describe('customerTokenExchange construction', () => {
  it.each<[string, object, string]>([
    ['no store', {}, 'store'],
    ['a store without clear', { store: { get: (): null => null, set: () => {} } }, 'store'],
    ['a negative window', { store: memoryTokenStore(), renewWindowMs: -1 }, 'renewWindowMs'],
    ['a window longer than the token life', { store: memoryTokenStore(), renewWindowMs: 43 * DAY }, 'renewWindowMs'],
    [
      'a skew margin as wide as the window',
      { store: memoryTokenStore(), renewWindowMs: DAY, clockSkewMs: DAY },
      'clockSkewMs',
    ],
  ])('throws a ConfigurationError naming the fix for %s', (_, options, what) => {
    expect(() => customerTokenExchange(options as never)).toThrow(ConfigurationError);
    expect(() => customerTokenExchange(options as never)).toThrow(
      `storefront-customer-session: the provided ${what} (`,
    );
  });
});
