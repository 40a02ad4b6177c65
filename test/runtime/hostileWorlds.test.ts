/*
 * The cases of "What breaks today" (issue: a session that always answers) that live in the customer token
 * exchange and its session, each played against the exchange with a recording forward.
 */
import { makeResult, type Operation } from '@urql/core';
import { describe, expect, it, vi } from 'vitest';
import { memoryTokenStore, signalOf, type Token, type TokenStore } from '../../src/index.js';
import { customerQuery, DAY, renewedTo, setup, T0, token, type Responder } from './exchangeHarness.js';

const renewAnswer =
  (payload: unknown): Responder =>
  (op: Operation) =>
    makeResult(op, { data: { customerAccessTokenRenew: payload } });

/** A store like Next.js's server-component cookies: reads work, every write throws. */
function readOnlyStore(initial: Token | null, calls: { clear: number; set: number }): TokenStore {
  return {
    get: () => initial,
    set: () => {
      calls.set++;
      throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
    },
    clear: () => {
      calls.clear++;
      throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
    },
  };
}

describe('hostile stores', () => {
  it('answers an operation with an expired token when clear() throws, once per operation, without a loop', async () => {
    const calls = { clear: 0, set: 0 };
    const h = setup({ store: readOnlyStore(token('tok-A', T0 - DAY), calls) });
    for (let n = 0; n < 3; n++) h.next(customerQuery(n));
    await vi.waitFor(() => expect(h.results).toHaveLength(3));
    expect(h.results.map((r) => signalOf(r))).toEqual(Array(3).fill({ kind: 'sign-in-required', reason: 'expired' }));
    expect(calls.clear).toBe(3); // one attempt per operation: no retry loop
    expect(h.onSignInRequired).toHaveBeenCalledTimes(1);
    expect(h.onSignal).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'store-failure', method: 'clear', message: expect.stringContaining('Cookies') }),
    );
  });

  it.each(['get', 'set', 'clear'] as const)(
    'answers within renewWaitMs + storeTimeoutMs when %s() never settles',
    async (method) => {
      const inner = memoryTokenStore(token('tok-A', method === 'clear' ? T0 - DAY : T0 + DAY));
      const never = () => new Promise<never>(() => {});
      const store: TokenStore = { ...inner, [method]: never };
      const h = setup({ store, renewWaitMs: 40, storeTimeoutMs: 40 });
      const started = performance.now();
      h.next(customerQuery(1));
      await vi.waitFor(() => expect(h.results).toHaveLength(1), { timeout: 2_000 });
      expect(performance.now() - started).toBeLessThan(1_000);
      h.next(customerQuery(2)); // later operations are not stuck behind the hung call either
      await vi.waitFor(() => expect(h.results).toHaveLength(2), { timeout: 2_000 });
    },
  );

  it('carries the store error message into store-failure, with the token string removed', async () => {
    const inner = memoryTokenStore(token('tok-SECRET', T0 + DAY));
    const store: TokenStore = {
      ...inner,
      set: (t) => Promise.reject(new Error(`cannot write ${t.accessToken} to disk`)),
    };
    const h = setup({ store }, { renew: renewedTo(token('tok-NEW', T0 + 42 * DAY)) });
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    const failure = h.onSignal.mock.calls.map(([s]) => s).find((s) => s.kind === 'store-failure');
    expect(failure).toEqual({ kind: 'store-failure', method: 'set', message: 'cannot write [token] to disk' });
  });
});

describe('hostile renew answers', () => {
  const malformed: [string, Responder][] = [
    ['a null token without userErrors', renewAnswer({ customerAccessToken: null, userErrors: [] })],
    ['userErrors: [null]', renewAnswer({ customerAccessToken: null, userErrors: [null] })],
    ['a string payload', renewAnswer('oops')],
    ['a null payload', renewAnswer(null)],
    ['no userErrors at all', renewAnswer({ customerAccessToken: null })],
    [
      'an unparsable expiresAt',
      renewAnswer({ customerAccessToken: { accessToken: 'bad', expiresAt: 'soon' }, userErrors: [] }),
    ],
    [
      'a past expiresAt',
      renewAnswer({ customerAccessToken: { accessToken: 'bad', expiresAt: '2020-01-01T00:00:00Z' }, userErrors: [] }),
    ],
    [
      'an empty token string',
      renewAnswer({ customerAccessToken: { accessToken: '', expiresAt: '2027-01-01T00:00:00Z' }, userErrors: [] }),
    ],
    ['data that is a number', (op) => makeResult(op, { data: 42 as never })],
  ];

  it.each(malformed)('keeps the current token and retries later for %s', async (_, respond) => {
    const current = token('tok-A', T0 + DAY);
    const store = memoryTokenStore(current);
    const h = setup({ store, renewCooldownMs: 1_000 }, { renew: respond });
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.results[0]!.error).toBeUndefined();
    expect(h.sent.find((op) => op.kind === 'query')).toHaveProperty(['variables', 'customerAccessToken'], 'tok-A');
    expect(store.get()).toEqual(current);
    expect(h.onSignInRequired).not.toHaveBeenCalled();
    expect(h.onSignal).toHaveBeenCalledWith(expect.objectContaining({ kind: 'renewal-unavailable' }));
    h.advance(2_000); // after the cooldown, renewal is tried again
    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.renews()).toHaveLength(2));
  });

  it('ends a renew request that never answers after renewTimeoutMs, tears it down, and tries again later', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const h = setup(
      { store, renewTimeoutMs: 50, renewWaitMs: 10_000, renewCooldownMs: 1_000 },
      { renew: () => new Promise(() => {}) },
    );
    const started = performance.now();
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1), { timeout: 3_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    const [renew] = h.renews();
    expect(h.sent.some((op) => op.kind === 'teardown' && op.key === renew!.key)).toBe(true);
    h.advance(2_000);
    h.next(customerQuery(2));
    await vi.waitFor(() => expect(h.renews()).toHaveLength(2));
    expect(h.onSignInRequired).not.toHaveBeenCalled();
  });

  it('renews the same token string with a later expiresAt once, and stores the later expiry', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const h = setup({ store }, { renew: renewedTo(token('tok-A', T0 + 42 * DAY)) });
    for (let n = 0; n < 5; n++) h.next(customerQuery(n));
    await vi.waitFor(() => expect(h.results).toHaveLength(5));
    expect(h.renews()).toHaveLength(1);
    expect(store.get()).toEqual(token('tok-A', T0 + 42 * DAY));
  });

  it('never throws into the stream for a renew result whose data getter throws', async () => {
    const store = memoryTokenStore(token('tok-A', T0 + DAY));
    const hostile: Responder = (op) => {
      const result = makeResult(op, { data: {} });
      Object.defineProperty(result, 'data', {
        get() {
          throw new Error('boom');
        },
      });
      return result;
    };
    const h = setup({ store }, { renew: hostile });
    h.next(customerQuery(1));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(store.get()).toEqual(token('tok-A', T0 + DAY));
  });
});
