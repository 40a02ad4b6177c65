import {
  Client,
  fetchExchange,
  type AnyVariables,
  type DocumentInput,
  type Exchange,
  type Operation,
} from '@urql/core';
import { map, pipe } from 'wonka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as legacy from '../../generated/2026-04/entry.js';
import * as ca2026_01 from '../../generated/customer-account/2026-01/entry.js';
import {
  CustomerDocument,
  CustomerOrdersDocument,
  customerAccountExchange,
  memoryTokenStore,
  signalOf,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
  type CustomerSessionSignal,
} from '../../generated/customer-account/2026-04/entry.js';
import type { Emulator } from '../../src/testing/index.js';
import { customerAccountWorld, signIn } from './customerAccountSignInFlow.js';
import { partStream } from '../runtime/partStream.js';

// The package's Customer Account documents through the bound Customer Account exchange, against the emulator over
// HTTP: the sign-in's access tokens reach the GraphQL endpoint, a refresh follows an expired token, a dead refresh
// token signs out, and a Storefront document never leaves the exchange.

const NOW = Date.UTC(2026, 11, 5, 12);
let em: Emulator;
let endpoints: CustomerAccountEndpoints;
let oauth: CustomerAccountClient;

beforeAll(async () => {
  ({ em, endpoints, oauth } = await customerAccountWorld(NOW));
});
afterAll(() => em.close());

async function session(
  change: (set: CustomerAccountTokenSet) => CustomerAccountTokenSet = (set) => set,
  transport: {
    fetch?: typeof fetch;
    requestTimeoutMs?: number;
    client?: CustomerAccountClient;
    /** Give the exchange the emulator's clock (default), or leave it to `client.now`. */
    exchangeClock?: boolean;
  } = {},
) {
  const store = memoryTokenStore(change(await signIn(em, endpoints, oauth)));
  const signals: CustomerSessionSignal[] = [];
  const client = new Client({
    url: em.url,
    ...(transport.fetch && { fetch: transport.fetch }),
    exchanges: [
      customerAccountExchange({
        shop: em.url,
        client: transport.client ?? oauth,
        store,
        ...(transport.exchangeClock === false ? {} : { now: em.clock.now }),
        requestTimeoutMs: transport.requestTimeoutMs,
        onSignal: (s) => signals.push(s),
      }),
      fetchExchange,
    ],
  });
  const query = <D, V extends AnyVariables>(document: DocumentInput<D, V>, variables: V) =>
    client.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
  return { store, signals, query };
}

describe('the Customer Account exchange of 2026-04 with the emulator', () => {
  it('reads the signed-in customer with CustomerDocument, at 2026-04', async () => {
    const { query } = await session();
    const before = em.customerAccount.graphqlCounters.count('Customer');
    const result = await query(CustomerDocument, {});
    expect(result.error).toBeUndefined();
    expect(result.data?.customer).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      emailAddress: { emailAddress: 'customer@example.com' },
    });
    expect(em.customerAccount.graphqlCounters.count('Customer')).toBe(before + 1);
  });

  it("reads the customer's orders with CustomerOrdersDocument", async () => {
    const { query } = await session();
    const customer = await query(CustomerDocument, {});
    em.customerAccount.addOrder(customer.data!.customer.id, {
      name: '#1001',
      processedAt: NOW - 86_400_000,
      totalPrice: { amount: '42.00', currencyCode: 'CAD' },
    });
    const result = await query(CustomerOrdersDocument, { first: 5 });
    expect(result.data?.customer.orders.nodes).toEqual([
      expect.objectContaining({ name: '#1001', totalPrice: { amount: '42.00', currencyCode: 'CAD' } }),
    ]);
  });

  it('refreshes an expired access token through the sign-in, then answers', async () => {
    const { query, store } = await session();
    const first = (await store.get()) as CustomerAccountTokenSet;
    em.clock.advance(2 * 3_600_000);
    try {
      const result = await query(CustomerDocument, {});
      expect(result.error).toBeUndefined();
      expect(((await store.get()) as CustomerAccountTokenSet).accessToken).not.toBe(first.accessToken);
    } finally {
      em.clock.set(NOW);
    }
  });

  it("refreshes on the exchange's clock when the client is given none (its expiresAt is on the same clock)", async () => {
    // The emulator's clock ahead of the machine's: an expiresAt taken on the machine's would be long past on it.
    em.clock.set(Date.now() + 30 * 86_400_000);
    try {
      const { query, store, signals } = await session(undefined, { client: { clientId: oauth.clientId } });
      await refreshesOnTheEmulatorsClock(query, store, signals);
    } finally {
      em.clock.set(NOW);
    }
  });

  it("judges expiries on the client's clock when the exchange is given none", async () => {
    // The emulator's clock behind the machine's: on the machine's, every set the emulator issues has expired.
    em.clock.set(Date.now() - 30 * 86_400_000);
    try {
      // oauth's now is the emulator's clock; the exchange has no clock of its own.
      const { query, store, signals } = await session(undefined, { exchangeClock: false });
      await refreshesOnTheEmulatorsClock(query, store, signals);
    } finally {
      em.clock.set(NOW);
    }
  });

  /** Two hours on at the emulator: one refresh, then the read answers; the new set expires after the clock. */
  async function refreshesOnTheEmulatorsClock(
    query: Awaited<ReturnType<typeof session>>['query'],
    store: Awaited<ReturnType<typeof session>>['store'],
    signals: CustomerSessionSignal[],
  ) {
    const first = (await store.get()) as CustomerAccountTokenSet;
    const refreshes = em.customerAccount.counters.refreshes();
    em.clock.advance(2 * 3_600_000);
    const result = await query(CustomerDocument, {});
    expect(result.error).toBeUndefined();
    expect(em.customerAccount.counters.refreshes()).toBe(refreshes + 1);
    const refreshed = (await store.get()) as CustomerAccountTokenSet;
    expect(refreshed.refreshToken).not.toBe(first.refreshToken);
    expect(Date.parse(refreshed.expiresAt)).toBeGreaterThan(em.clock.now());
    expect(signals.map((s) => s.kind)).toEqual([]);
  }

  it('keeps a refreshed set whose access token lives less than the skew: its refresh token replaced the spent one', async () => {
    const { query, store, signals } = await session();
    const first = (await store.get()) as CustomerAccountTokenSet;
    const lifetime = em.customerAccount.settings.expiresIn;
    em.clock.advance(2 * 3_600_000);
    em.customerAccount.settings.expiresIn = 20; // under the exchange's 30-second skew: never sent
    try {
      expect((await query(CustomerDocument, {})).error).toBeDefined();
      const kept = (await store.get()) as CustomerAccountTokenSet;
      expect(kept.refreshToken).not.toBe(first.refreshToken); // the rotated set is stored, not dropped
      em.customerAccount.settings.expiresIn = lifetime;
      em.clock.advance(2 * 60_000); // past the cooldown: refreshed again with the kept refresh token
      const result = await query(CustomerDocument, {});
      expect(result.error).toBeUndefined();
      expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
    } finally {
      em.customerAccount.settings.expiresIn = lifetime;
      em.clock.set(NOW);
    }
  });

  it('refreshes once and sends once more when the GraphQL endpoint refuses a live-looking access token', async () => {
    // The store's access token is one the endpoint does not know (revoked by Shopify, say); its refresh token works.
    const { query, store, signals } = await session((set) => ({ ...set, accessToken: 'shcat_not-known-here' }));
    const refreshes = em.customerAccount.counters.refreshes();
    const requests = em.customerAccount.graphqlCounters.requests();
    const result = await query(CustomerDocument, {});
    expect(result.error).toBeUndefined();
    expect(result.data?.customer.firstName).toBe('Ada');
    expect(em.customerAccount.counters.refreshes()).toBe(refreshes + 1);
    expect(em.customerAccount.graphqlCounters.requests()).toBe(requests + 2); // refused, then answered
    expect(((await store.get()) as CustomerAccountTokenSet).accessToken).not.toBe('shcat_not-known-here');
    // The access token never reaches the app on the result.
    expect(JSON.stringify(result.operation.context)).not.toContain('shcat_');
    expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
  });

  it("keeps the app's headers, given as a Headers object or as pairs, beside the access token", async () => {
    const store = memoryTokenStore(await signIn(em, endpoints, oauth));
    for (const headers of [new Headers({ 'X-App': 'kept' }), [['X-App', 'kept']] as [string, string][]]) {
      const sent: Record<string, string>[] = [];
      const client = new Client({
        url: em.url,
        fetchOptions: { headers },
        fetch: (input, init) => {
          sent.push(init?.headers as Record<string, string>);
          return fetch(input, init);
        },
        exchanges: [customerAccountExchange({ shop: em.url, client: oauth, store, now: em.clock.now }), fetchExchange],
      });
      const result = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(result.data?.customer.firstName).toBe('Ada');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ 'x-app': 'kept', authorization: expect.stringMatching(/^shcat_/) });
      // The app never sees the access token on the result.
      expect(JSON.stringify(result.operation.context)).not.toContain('shcat_');
    }
  });

  /** A client with the bound exchange, then `between`, then fetchExchange, over a fresh signed-in memory store. */
  async function clientWith(between: Exchange) {
    const store = memoryTokenStore(await signIn(em, endpoints, oauth));
    return new Client({
      url: em.url,
      exchanges: [
        customerAccountExchange({ shop: em.url, client: oauth, store, now: em.clock.now }),
        between,
        fetchExchange,
      ],
    });
  }
  /** An exchange that passes each operation (teardowns aside) through `change` on its way down. */
  const below =
    (change: (op: Operation) => Operation): Exchange =>
    ({ forward }) =>
    (ops$) =>
      forward(
        pipe(
          ops$,
          map((op) => (op.kind === 'teardown' ? op : change(op))),
        ),
      );

  it('sends an operation in the tick it arrives once its GraphQL URL is discovered', async () => {
    const sentTo: string[] = [];
    const client = await clientWith(below((op) => (sentTo.push(op.context.url), op)));
    const read = () => client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    // The first waits for discovery; every later one goes down before `query` returns, to the discovered URL.
    const first = read();
    expect(sentTo).toHaveLength(0);
    expect((await first).data?.customer.firstName).toBe('Ada');
    const second = read();
    expect(sentTo).toHaveLength(2);
    expect(sentTo[1]).toBe(sentTo[0]);
    expect(sentTo[1]).toMatch(/\/api\/2026-04\/graphql$/);
    expect((await second).data?.customer.firstName).toBe('Ada');
  });

  it('takes the access token off the result whatever an exchange below did to the headers it was sent', async () => {
    const withHeaders = (op: Operation, headers: (given: Record<string, string>) => HeadersInit) => {
      const options = op.context.fetchOptions as RequestInit;
      const fetchOptions = { ...options, headers: headers(options.headers as Record<string, string>) };
      return { ...op, context: { ...op.context, fetchOptions } };
    };
    for (const change of [
      (op: Operation) => op, // kept: the exchange's own record
      (op: Operation) => withHeaders(op, (given) => Object.freeze({ ...given })), // frozen
      (op: Operation) => withHeaders(op, (given) => new Headers(given)), // replaced by a Headers object
    ]) {
      const client = await clientWith(below(change));
      const result = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      expect(result.data?.customer.firstName).toBe('Ada');
      const options = result.operation.context.fetchOptions as RequestInit;
      expect(new Headers(options.headers).has('authorization')).toBe(false);
      expect(JSON.stringify(result.operation.context)).not.toContain('shcat_');
    }
  });

  it('ends a GraphQL request left unanswered after requestTimeoutMs, keeps the session, and answers the next', async () => {
    const hung: AbortSignal[] = [];
    // The first GraphQL request never gets an answer (a server or a proxy that hangs); the rest go to the emulator.
    const fetchOnce: typeof fetch = (input, init) => {
      if (hung.length > 0 || !String(input).includes('/graphql')) return fetch(input, init);
      hung.push(init!.signal!);
      return new Promise<Response>(() => {});
    };
    const { query, signals } = await session(undefined, { fetch: fetchOnce, requestTimeoutMs: 100 });
    const read = () => query(CustomerDocument, {});
    const first = await read();
    expect(first.error?.networkError?.message).toMatch(/no answer in 100 ms/);
    expect(hung).toHaveLength(1);
    expect(hung[0]!.aborted).toBe(true);
    expect(JSON.stringify(first.operation.context)).not.toContain('shcat_');
    expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
    expect((await read()).data?.customer.firstName).toBe('Ada');
  });

  it('ends a streamed answer whose next part never comes after requestTimeoutMs, and answers the next read', async () => {
    const stalled: AbortSignal[] = [];
    // The first GraphQL answer comes as a stream (incremental delivery): its first part, then nothing more.
    const fetchOnce: typeof fetch = async (input, init) => {
      if (stalled.length > 0 || !String(input).includes('/graphql')) return fetch(input, init);
      stalled.push(init!.signal!);
      const stream = partStream();
      stream.part({ ...(await (await fetch(input, init)).json()), hasNext: true });
      return stream.response;
    };
    const { query, signals } = await session(undefined, { fetch: fetchOnce, requestTimeoutMs: 100 });
    const read = () => query(CustomerDocument, {});
    const first = await read();
    expect(first.error?.networkError?.message).toMatch(/no answer in 100 ms/);
    expect(first.hasNext).toBe(false);
    expect(stalled).toHaveLength(1);
    expect(stalled[0]!.aborted).toBe(true);
    expect(JSON.stringify(first.operation.context)).not.toContain('shcat_');
    expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
    expect((await read()).data?.customer.firstName).toBe('Ada');
  });

  it('signs out when the GraphQL endpoint refuses the token and the refresh token is dead', async () => {
    const { query, signals } = await session();
    em.customerAccount.revokeCustomer('customer@example.com');
    const result = await query(CustomerDocument, {});
    expect(signalOf(result)?.kind).toBe('sign-in-required');
    expect(signals.map((s) => s.kind)).toContain('sign-in-required');
  });

  it('refuses a Storefront document and another version’s Customer Account document, unsent', async () => {
    const { query } = await session();
    const before = em.customerAccount.graphqlCounters.requests();
    const storefront = await query(legacy.CustomerDocument, {});
    expect(signalOf(storefront)).toEqual({
      kind: 'wrong-version-document',
      operationName: 'Customer',
      apiVersion: 'customer-account/2026-04',
      documentVersion: '2026-04',
    });
    expect(storefront.error?.message).toContain('send Customer Account documents through customerAccountExchange');
    const older = await query(ca2026_01.CustomerDocument, {});
    expect(signalOf(older)).toMatchObject({
      apiVersion: 'customer-account/2026-04',
      documentVersion: 'customer-account/2026-01',
    });
    expect(older.error?.message).toContain('codegen --api customer-account --versions 2026-04');
    expect(em.customerAccount.graphqlCounters.requests()).toBe(before);
  });
});
