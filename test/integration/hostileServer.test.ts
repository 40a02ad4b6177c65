/*
 * Over HTTP, through the whole chain: a server that answers renew badly (malformed payloads, a token that cannot
 * be used, no answer at all) never costs the customer their session, and every read still answers.
 */
import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
  type StorefrontExchangeOptions,
  type Token,
} from '../../src/index.js';
import { MALFORMED_RENEWS, type MalformedRenew } from '../../src/testing/malformedRenews.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

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
});

function issue(): Token {
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
}

function app(
  token: Token,
  options: { renewTimeoutMs?: number; renewWaitMs?: number; storeTimeoutMs?: number } = {},
  storefront: Partial<StorefrontExchangeOptions> = {},
) {
  const store = memoryTokenStore(token);
  const signals: CustomerSessionSignal[] = [];
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({
        store,
        now: em.clock.now,
        renewCooldownMs: 1_000,
        ...options,
        onSignal: (s) => signals.push(s),
      }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        ...storefront,
      }),
      fetchExchange,
    ],
  });
  const read = () => client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  return { store, signals, read, client };
}
const renews = () => em.counters.byOperation()['CustomerAccessTokenRenew'] ?? 0;

describe('over HTTP: renew answers are judged before they are trusted', () => {
  it.each(Object.keys(MALFORMED_RENEWS) as MalformedRenew[])(
    'keeps the session when renew answers %s, and renews once the server answers well',
    async (answer) => {
      const token = issue();
      em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
      em.faults.inject({ kind: 'malformed-renew', answer }, { times: 1 });
      const a = app(token);
      const first = await a.read();
      expect(first.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
      expect(a.store.get()).toEqual(token);
      expect(a.signals.map((s) => s.kind)).toContain('renewal-unavailable');
      expect(a.signals.map((s) => s.kind)).not.toContain('sign-in-required');
      em.clock.advance(2_000); // past the cooldown
      const second = await a.read();
      expect(second.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
      expect(renews()).toBe(2);
      expect((a.store.get() as Token).accessToken).not.toBe(token.accessToken);
      expect(Date.parse((a.store.get() as Token).expiresAt)).toBeGreaterThan(Date.parse(token.expiresAt));
    },
  );

  it('answers a read while renew hangs, ends the renewal after renewTimeoutMs, and renews later', async () => {
    const token = issue();
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
    em.faults.inject({ kind: 'hang' }, { times: 1, operationName: 'CustomerAccessTokenRenew' });
    const a = app(token, { renewTimeoutMs: 300, renewWaitMs: 5_000 });
    const started = performance.now();
    const first = await a.read();
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(first.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(a.store.get()).toEqual(token);
    em.clock.advance(2_000);
    await a.read();
    expect(renews()).toBe(2);
    expect((a.store.get() as Token).accessToken).not.toBe(token.accessToken);
  });
});

describe('over HTTP: a read the server leaves unanswered', () => {
  it.each([{ kind: 'hang' }, { kind: 'stalled-body' }] as const)(
    'ends a request after requestTimeoutMs when the server plays %o, and answers from the retry',
    async (fault) => {
      em.faults.inject(fault, { times: 1, operationName: 'Customer' });
      const token = issue();
      const a = app(token, {}, { requestTimeoutMs: 200, retry: { sleep: async () => {} } });
      const started = performance.now();
      const result = await a.read();
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
      expect(storefrontInfo(result)).toMatchObject({ attempts: 2, status: 200 });
      expect(em.counters.byOperation()['Customer']).toBe(2);
      expect(a.store.get()).toEqual(token);
    },
  );

  it('fails as data, keeping the session, when every attempt is left unanswered', async () => {
    em.faults.inject({ kind: 'stalled-body' }, { times: Infinity, operationName: 'Customer' });
    const token = issue();
    const a = app(token, {}, { requestTimeoutMs: 150, retry: { maxAttempts: 2, sleep: async () => {} } });
    const result = await a.read();
    // The headers came (200), the body never finished: a transient failure, like a body cut short.
    expect(signalOf(result)).toMatchObject({
      kind: 'storefront-unavailable',
      status: 200,
      attempts: 2,
      transient: true,
    });
    expect(a.store.get()).toEqual(token);
    expect(a.signals.map((s) => s.kind)).not.toContain('sign-in-required');
    em.faults.clear();
    expect((await a.read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
  });
});

describe('over HTTP: a server that rotates tokens and deletes the old one', () => {
  it('renews once for two clients sharing one store, and neither is signed out', async () => {
    em.settings.renewReturns = 'rotate';
    const token = issue();
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
    const a = app(token);
    const store = a.store;
    const b = (() => {
      const other = app(token);
      // The second client shares the first one's store (as tabs or processes share theirs).
      Object.assign(other.store, { get: store.get, set: store.set, clear: store.clear });
      return other;
    })();
    const [first, second] = await Promise.all([a.read(), b.read()]);
    const third = await b.read();
    for (const result of [first, second, third]) expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(renews()).toBeLessThanOrEqual(2);
    const stored = store.get() as Token;
    expect(stored.accessToken).not.toBe(token.accessToken);
    expect(em.customers.tokens(DEFAULT_CUSTOMER.email).find((t) => t.accessToken === token.accessToken)?.deleted).toBe(
      true,
    );
    expect([...a.signals, ...b.signals].map((s) => s.kind)).not.toContain('sign-in-required');
  });

  it('keeps the customer, and the renewed token, when a read is refused while its own renewal is on the way back', async () => {
    em.settings.renewReturns = 'rotate';
    const token = issue();
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY); // inside the renewal window
    // The server renews at once; its answer takes longer than renewWaitMs to come back (a slow network), so the read
    // goes out with the old token, which the server already deleted: it answers `customer: null`.
    const slowRenew = (async (input: RequestInfo, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (String(init?.body).includes('"operationName":"CustomerAccessTokenRenew"'))
        await new Promise((resolve) => setTimeout(resolve, 600));
      return response;
    }) as typeof fetch;
    const { read, store, signals } = app(token, { renewWaitMs: 200 }, { fetch: slowRenew });
    const first = await read();
    expect(signalOf(first)).toBeUndefined();
    expect(first.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
    expect((store.get() as Token).accessToken).not.toBe(token.accessToken);
    expect((await read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(renews()).toBe(1);
  });
});

describe('over HTTP: a store whose answer throws when it is read', () => {
  it('answers store-failure (nothing thrown into urql), and the same query works once the store recovers', async () => {
    const token = issue();
    let hostile = true;
    // A revoked Proxy (in Firefox, an object of a closed window): any property read throws.
    const dead = () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy as Token;
    };
    const { read, store } = app(token, { renewWaitMs: 100, storeTimeoutMs: 100 });
    Object.assign(store, { get: () => (hostile ? dead() : token) });
    expect(signalOf(await read())).toMatchObject({ kind: 'store-failure', method: 'get' });
    hostile = false;
    // urql marks a query's key active before the exchanges run: a throw would leave this key hanging for good.
    const second = await Promise.race([read(), new Promise((resolve) => setTimeout(() => resolve('hung'), 2_000))]);
    expect(second).not.toBe('hung');
    expect((second as Awaited<ReturnType<typeof read>>).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
  });
});

describe('over HTTP: the sign-in and sign-out helpers with a malformed payload (HTTP 200)', () => {
  /** The app's client, with `operationName`'s requests answered `data: { [field]: payload }`; the rest reach the emulator. */
  const answering = (operationName: string, field: string, payload: unknown) =>
    app(
      issue(),
      {},
      {
        fetch: (async (input: RequestInfo, init?: RequestInit) =>
          String(init?.body).includes(`"operationName":"${operationName}"`)
            ? new Response(JSON.stringify({ data: { [field]: payload } }), {
                headers: { 'content-type': 'application/json' },
              })
            : fetch(input, init)) as typeof fetch,
      },
    );

  it.each([
    ['customerUserErrors: "x"', { customerAccessToken: null, customerUserErrors: 'x' }],
    ['customerUserErrors: [null]', { customerAccessToken: null, customerUserErrors: [null] }],
    ['customerUserErrors: {}', { customerAccessToken: null, customerUserErrors: {} }],
  ])('createCustomerAccessToken answers unavailable for %s', async (_, payload) => {
    const { client } = answering('CustomerAccessTokenCreate', 'customerAccessTokenCreate', payload);
    const outcome = await createCustomerAccessToken(client, { email: DEFAULT_CUSTOMER.email, password: 'pw' });
    expect(outcome).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it.each([
    ['no userErrors', { deletedAccessToken: null }],
    ['userErrors: null', { deletedAccessToken: null, userErrors: null }],
    ['a string payload', 'oops'],
  ])('deleteCustomerAccessToken answers unavailable for %s, and clears the store', async (_, payload) => {
    const { client, store } = answering('CustomerAccessTokenDelete', 'customerAccessTokenDelete', payload);
    expect(await deleteCustomerAccessToken(client, { store })).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(store.get()).toBeNull();
  });
});
