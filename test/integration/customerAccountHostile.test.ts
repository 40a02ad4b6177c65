import { Client, fetchExchange } from '@urql/core';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerDocument,
  customerAccountExchange,
  memoryTokenStore,
  describeSignal,
  signalOf,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
  type CustomerSessionSignal,
  type TokenStore,
} from '../../generated/customer-account/2026-04/entry.js';
import {
  completeSignIn,
  createSignIn,
  discoverCustomerAccount,
  refreshTokenSet,
  signOutUrl,
} from '../../src/customerAccount/index.js';
import type { Emulator } from '../../src/testing/index.js';
import { customerAccountWorld, signIn } from './customerAccountSignInFlow.js';

// The Customer Account client and exchange against servers and callers that answer badly, over the emulator's HTTP:
// each answer is judged before it is trusted, nothing throws where a result is promised, a transient or garbage
// answer never signs the customer out, and no token reaches an error.

const NOW = Date.UTC(2026, 11, 5, 12);
let em: Emulator;
let endpoints: CustomerAccountEndpoints;
let oauth: CustomerAccountClient;
beforeAll(async () => {
  ({ em, endpoints, oauth } = await customerAccountWorld(NOW));
});
afterAll(() => em.close());

const jsonResponse = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** A `fetch` that passes through to the emulator, rewriting the token endpoint's successful answers with `change`. */
const tokenAnswers =
  (change: (body: Record<string, unknown>, n: number) => Record<string, unknown>): typeof fetch =>
  async (input, init) => {
    const response = await fetch(input, init);
    if (String(input) !== endpoints.tokenEndpoint || !response.ok) return response;
    return jsonResponse(change(await response.json(), answered++));
  };
let answered = 0;

/** Starts a sign-in and follows the emulator's authorize redirect: what `completeSignIn` needs, and the callback. */
async function callbackOf() {
  const redirectUri = em.customerAccount.redirectUri;
  const expected = await createSignIn({ endpoints, clientId: oauth.clientId, redirectUri });
  const callback = (await fetch(expected.url, { redirect: 'manual' })).headers.get('location')!;
  return { redirectUri, expected, callback };
}

/**
 * A client on the exchange with `store`, the Customer Account client `transport`, and `options` (the shop, the app's
 * clock), and a network-only read (`n` makes a distinct operation). It records signals and token changes.
 */
function exchangeClient(
  store: TokenStore,
  transport: Partial<CustomerAccountClient>,
  options: { shop?: string; now?: () => number } = {},
) {
  const signals: CustomerSessionSignal[] = [];
  const changes: (string | null)[] = [];
  const client = new Client({
    url: em.url,
    exchanges: [
      customerAccountExchange({
        shop: options.shop ?? em.url,
        client: { ...oauth, ...transport },
        store,
        now: options.now ?? em.clock.now,
        onSignal: (s) => signals.push(s),
        onTokenChange: (set) => changes.push(set?.accessToken.slice(0, 12) ?? null),
      }),
      fetchExchange,
    ],
  });
  const read = (n?: number) =>
    client
      .query(CustomerDocument, (n === undefined ? {} : { n }) as never, { requestPolicy: 'network-only' })
      .toPromise();
  return { read, signals, changes };
}

describe('a fetch that resolves with no Response', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { ok: false, status: 500 }],
  ])('answers %s as unavailable: the refresh and the sign-in, keeping the customer', async (_, value) => {
    const tokenSet = await signIn(em, endpoints, oauth);
    const client = { ...oauth, fetch: (async () => value) as unknown as typeof fetch };
    expect(await refreshTokenSet({ endpoints, client, tokenSet })).toMatchObject({
      kind: 'unavailable',
      cause: { status: null, transient: true, retryAfterMs: null },
    });
    const { redirectUri, expected, callback } = await callbackOf();
    expect(await completeSignIn({ endpoints, client, redirectUri, callback, expected })).toEqual({
      ok: false,
      reason: 'unavailable',
    });
    // The refresh token was never spent.
    expect((await refreshTokenSet({ endpoints, client: oauth, tokenSet })).kind).toBe('renewed');
  });
});

describe('a token endpoint that fails without Retry-After', () => {
  it('reports no delay, not a delay of 0', async () => {
    const tokenSet = await signIn(em, endpoints, oauth);
    const client = { ...oauth, fetch: (async () => new Response('busy', { status: 503 })) as typeof fetch };
    expect(await refreshTokenSet({ endpoints, client, tokenSet })).toMatchObject({
      kind: 'unavailable',
      cause: { status: 503, transient: true, retryAfterMs: null },
    });
  });
});

/** Sends `target` as the raw request-target to a node:http server; resolves with the `req.url` it saw. */
async function rawRequestTarget(target: string): Promise<string> {
  let server: Server | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      server = createServer((req, res) => {
        resolve(req.url!);
        res.end();
      }).listen(0, '127.0.0.1', () => {
        const { port } = server!.address() as { port: number };
        const socket = connect(port, '127.0.0.1', () =>
          socket.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
        );
        socket.on('error', reject);
        socket.resume();
      });
    });
  } finally {
    server?.close();
  }
}

describe('a callback that is no URL', () => {
  // An app on node:http passes req.url, the raw request-target, which anyone can make unparsable.
  it.each(['//[/callback', '//x:99999/callback'])(
    'answers the request-target %s as not this sign-in’s (state), without throwing',
    async (path) => {
      const { redirectUri, expected } = await callbackOf();
      const callback = await rawRequestTarget(`${path}?code=c&state=${expected.state}`);
      expect(callback.startsWith('//')).toBe(true);
      expect(await completeSignIn({ endpoints, client: oauth, redirectUri, callback, expected })).toEqual({
        ok: false,
        reason: 'state',
      });
    },
  );
});

describe('a discovery document whose endpoints are not http(s) URLs', () => {
  let shops = 0;
  it.each(['not a url', '/authentication/1/oauth/authorize', 'javascript:alert(1)//'])(
    'fails discovery for %s (nothing cached), then discovers the good answer',
    async (value) => {
      const shop = `hostile-${++shops}.example`; // a discovery cache entry of its own; its documents are the emulator's
      let hostile = true;
      const client = {
        fetch: (async (input, init) => {
          const response = await fetch(`${em.url}${new URL(String(input)).pathname}`, init);
          if (!hostile || !String(input).endsWith('/openid-configuration')) return response;
          return jsonResponse({
            ...(await response.json()),
            authorization_endpoint: value,
            end_session_endpoint: value,
          });
        }) as typeof fetch,
      };
      await expect(discoverCustomerAccount(shop, client)).rejects.toThrow(/lacks an issuer or an endpoint/);
      hostile = false;
      const found = await discoverCustomerAccount(shop, client);
      const signInUrl = (await createSignIn({ endpoints: found, clientId: 'c', redirectUri: 'https://app.example/cb' }))
        .url;
      expect(new URL(signInUrl).protocol).toBe('http:');
      const out = signOutUrl({
        endpoints: found,
        idToken: 'id.token.x',
        postLogoutRedirectUri: 'https://app.example/',
      });
      expect(new URL(out).protocol).toBe('http:');
    },
  );
});

describe('the Customer Account exchange after a discovery that failed once', () => {
  it('discovers again for the next operation and answers it', async () => {
    const store = memoryTokenStore(await signIn(em, endpoints, oauth));
    let busy = 2; // both documents of the first discovery answer 503
    const fetchBusy = (async (input, init) =>
      String(input).includes('/.well-known/') && busy-- > 0
        ? new Response('busy', { status: 503 })
        : fetch(input, init)) as typeof fetch;
    // Another spelling of the emulator's origin: a discovery cache entry of its own.
    const { read } = exchangeClient(store, { fetch: fetchBusy }, { shop: em.url.replace('127.0.0.1', 'localhost') });
    expect((await read()).error).toBeDefined();
    const second = await read();
    expect(second.error).toBeUndefined();
    expect(second.data?.customer.firstName).toBe('Ada');
  });
});

describe('a token endpoint that answers an access token no header can carry', () => {
  it.each(['shcat_leaked\r\nx-injected: 1', 'shcat_leaked€'])('answers %j as malformed', async (accessToken) => {
    const client = { ...oauth, fetch: tokenAnswers((body) => ({ ...body, access_token: accessToken })) };
    const { redirectUri, expected, callback } = await callbackOf();
    expect(await completeSignIn({ endpoints, client, redirectUri, callback, expected })).toEqual({
      ok: false,
      reason: 'unavailable',
      error: 'malformed token answer',
    });
    const tokenSet = await signIn(em, endpoints, oauth);
    expect((await refreshTokenSet({ endpoints, client, tokenSet })).kind).toBe('unavailable');
  });

  it('keeps the exchange working and never puts the access token in an error', async () => {
    const tokenSet = await signIn(em, endpoints, oauth);
    // In the refresh window: the first read refreshes, and the answer carries a token no header can carry.
    const store = memoryTokenStore({ ...tokenSet, expiresAt: new Date(NOW + 60_000).toISOString() });
    const { read } = exchangeClient(store, {
      fetch: tokenAnswers((body) => ({ ...body, access_token: 'shcat_leaked\r\nx-injected: 1' })),
    });
    const result = await read();
    expect(result.error?.message ?? '').not.toContain('shcat_leaked');
    expect(result.data?.customer.firstName).toBe('Ada');
    expect(((await store.get()) as CustomerAccountTokenSet).accessToken).toBe(tokenSet.accessToken);
  });

  it('judges a stored token set with such an access token as nothing stored', async () => {
    const tokenSet = await signIn(em, endpoints, oauth);
    const { read } = exchangeClient(memoryTokenStore({ ...tokenSet, accessToken: 'shcat_stored\r\nx: 1' }), {});
    const result = await read();
    expect(signalOf(result)).toEqual({ kind: 'sign-in-required', reason: 'missing' });
    expect(JSON.stringify(result)).not.toContain('shcat_stored');
  });
});

describe('a refresh answer with an unusable expires_in', () => {
  /** The first refresh answer gets `expiresIn`; the rest are the emulator's own. */
  const firstAnswerWith = (expiresIn: unknown) =>
    tokenAnswers((body, n) => (n === firstAnswer ? { ...body, expires_in: expiresIn } : body));
  let firstAnswer = 0;

  it.each([
    ['in the refresh window', 120_000],
    ['already expired', -60_000],
  ])(
    'keeps the rotated refresh token (single-use rotation), and the customer, with the old token %s',
    async (_, expiresInMs) => {
      for (const expiresIn of [1e300, -5, '3600', undefined]) {
        const tokenSet = await signIn(em, endpoints, oauth);
        const store = memoryTokenStore({ ...tokenSet, expiresAt: new Date(NOW + expiresInMs).toISOString() });
        firstAnswer = answered;
        const { read, signals } = exchangeClient(store, { fetch: firstAnswerWith(expiresIn) });
        try {
          expect((await read()).data?.customer.firstName).toBe('Ada');
          em.clock.advance(10 * 60_000); // past any expiry the answer was given: the next read refreshes again
          const later = await read();
          expect(signalOf(later)?.kind).not.toBe('sign-in-required');
          expect(later.data?.customer.firstName).toBe('Ada');
          expect(signals.map((s) => s.kind)).not.toContain('sign-in-required');
          expect(await store.get()).not.toBeNull();
        } finally {
          em.clock.set(NOW);
        }
      }
    },
  );

  it('answers a refresh that rotated the refresh token as renewed, its expiry the old one, its new refresh token good', async () => {
    const tokenSet = await signIn(em, endpoints, oauth);
    const client = { ...oauth, fetch: tokenAnswers((body) => ({ ...body, expires_in: 1e300 })) };
    const refreshed = await refreshTokenSet({ endpoints, client, tokenSet });
    if (refreshed.kind !== 'renewed') throw new Error(`refresh answered ${refreshed.kind}`);
    const next = refreshed.token as CustomerAccountTokenSet;
    expect(next.expiresAt).toBe(tokenSet.expiresAt);
    expect(next.refreshToken).not.toBe(tokenSet.refreshToken);
    expect((await refreshTokenSet({ endpoints, client: oauth, tokenSet })).kind).toBe('invalid'); // spent
    expect((await refreshTokenSet({ endpoints, client: oauth, tokenSet: next })).kind).toBe('renewed');
  });

  it('answers one that did not rotate the refresh token as malformed: unavailable, the token set kept', async () => {
    const tokenSet = await signIn(em, endpoints, oauth);
    const client = {
      ...oauth,
      fetch: (async () => jsonResponse({ access_token: 'shcat_x', expires_in: 'soon' })) as typeof fetch,
    };
    expect((await refreshTokenSet({ endpoints, client, tokenSet })).kind).toBe('unavailable');
    expect((await refreshTokenSet({ endpoints, client: oauth, tokenSet })).kind).toBe('renewed');
  });

  it.each([1e300, Number.MAX_SAFE_INTEGER, -5, undefined])(
    'answers a sign-in with expires_in %s as malformed, without throwing',
    async (expiresIn) => {
      const client = { ...oauth, fetch: tokenAnswers((body) => ({ ...body, expires_in: expiresIn })) };
      const { redirectUri, expected, callback } = await callbackOf();
      expect(await completeSignIn({ endpoints, client, redirectUri, callback, expected })).toEqual({
        ok: false,
        reason: 'unavailable',
        error: 'malformed token answer',
      });
    },
  );
});

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a GraphQL endpoint that refuses a live-looking token while the token endpoint is down', () => {
  it.each(['one after another', 'at once'] as const)(
    'keeps to the failure pause: one refresh for 10 reads %s',
    async (how) => {
      const first: CustomerAccountTokenSet = await signIn(em, endpoints, oauth);
      const { read } = exchangeClient(memoryTokenStore(first), {}, { now: () => em.clock.now() - 11 * MINUTE });
      expect((await read(-1)).error).toBeUndefined();
      em.clock.set(Date.parse(first.expiresAt) + MINUTE); // Shopify: expired; the app: 10 minutes left
      em.customerAccount.faults.inject(
        { kind: 'status', status: 503 },
        { grantType: 'refresh_token', times: Infinity },
      );
      const refreshes = em.customerAccount.counters.refreshes();
      try {
        if (how === 'at once') await Promise.all(Array.from({ length: 10 }, (_, n) => read(n)));
        else for (let n = 0; n < 10; n++) await read(n);
        const made = em.customerAccount.counters.refreshes() - refreshes;
        expect(made).toBe(1);
      } finally {
        em.customerAccount.faults.clear();
        em.clock.set(NOW);
      }
    },
  );
});

describe('concurrent operations refused with 401 for a live-looking token, with an asynchronous store', () => {
  it('refreshes once and sends every one once more with the refreshed token', async () => {
    const first: CustomerAccountTokenSet = await signIn(em, endpoints, oauth);
    const inner = memoryTokenStore(first);
    const store: TokenStore = {
      get: () => new Promise((resolve) => setTimeout(() => resolve(inner.get()), 20)),
      set: (token) => inner.set(token),
      clear: () => inner.clear(),
    };
    const { read } = exchangeClient(store, {}, { now: () => em.clock.now() - 11 * MINUTE });
    expect((await read(-1)).error).toBeUndefined();
    em.clock.set(Date.parse(first.expiresAt) + MINUTE); // Shopify: expired; the app: 10 minutes left
    const refreshes = em.customerAccount.counters.refreshes();
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, n) => read(n)));
      const failed = results.filter((r) => r.error).map((r) => r.error?.response?.status);
      expect(em.customerAccount.counters.refreshes() - refreshes).toBe(1);
      expect(failed).toEqual([]);
    } finally {
      em.clock.set(NOW);
    }
  });
});

describe('a store whose set() rejects quoting the token set', () => {
  it('never puts the refresh or ID token in the store-failure signal', async () => {
    const first: CustomerAccountTokenSet = await signIn(em, endpoints, oauth);
    const inner = memoryTokenStore(first);
    const store: TokenStore = {
      get: () => inner.get(),
      set: (value) => Promise.reject(new Error(`cookie too large: ${JSON.stringify(value)}`)),
      clear: () => inner.clear(),
    };
    const { read, signals } = exchangeClient(store, {});
    em.clock.set(Date.parse(first.expiresAt) - 2 * MINUTE); // inside the refresh window
    try {
      const result = await read();
      expect(result.error).toBeUndefined();
      const failure = signals.find((s) => s.kind === 'store-failure');
      expect(failure).toBeDefined();
      const told = JSON.stringify(signals) + signals.map((s) => describeSignal(s)).join('\n');
      expect(told).not.toContain('shcat_');
      expect(told).not.toContain(first.refreshToken);
      const renewed = em.customerAccount.counters.refreshes();
      expect(renewed).toBeGreaterThan(0);
      expect(told).not.toContain('shcrt_'); // the refreshed set's refresh token
      expect(told).not.toContain(first.idToken.slice(0, 40)); // an ID token (a JWT: its header is the same)
    } finally {
      em.clock.set(NOW);
    }
  });
});

describe('operations whose store reads cross the refresh write', () => {
  it.each(['expired', 'near expiry'] as const)('all answer with the refreshed token (%s), told once', async (when) => {
    const first: CustomerAccountTokenSet = await signIn(em, endpoints, oauth);
    const inner = memoryTokenStore(first);
    const store: TokenStore = {
      get: () => {
        const held = inner.get();
        return sleep(30).then(() => held);
      },
      set: (token) => inner.set(token),
      clear: () => inner.clear(),
    };
    const { read, changes } = exchangeClient(store, {});
    expect((await read(-1)).error).toBeUndefined();
    const expiresAt = Date.parse(first.expiresAt);
    em.clock.set(when === 'expired' ? expiresAt + 10 * MINUTE : expiresAt - 2 * MINUTE);
    const refreshes = em.customerAccount.counters.refreshes();
    try {
      const pending = [];
      for (let n = 0; n < 30; n++) {
        pending.push(read(n));
        await sleep(5);
      }
      const results = await Promise.all(pending);
      const failed = results.filter((r) => r.error).map((r) => r.error?.message.slice(0, 80));
      expect(em.customerAccount.counters.refreshes() - refreshes).toBe(1);
      expect(failed).toEqual([]);
      expect(changes).toHaveLength(1);
    } finally {
      em.clock.set(NOW);
    }
  });
});
