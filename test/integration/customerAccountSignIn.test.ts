import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completeSignIn,
  createSignIn,
  discoverCustomerAccount,
  refreshTokenSet,
  signOutUrl,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
} from '../../src/customerAccount/index.js';
import { startEmulator, type Emulator } from '../../src/testing/index.js';

// The package's own Customer Account client against the emulator's sign-in, over HTTP on 127.0.0.1: the two
// halves agree on discovery, PKCE, the nonce, the refresh answers and their errors, and sign-out.

const NOW = Date.UTC(2026, 5, 15, 12);
let em: Emulator;
let endpoints: CustomerAccountEndpoints;
let publicClient: CustomerAccountClient;
let confidentialClient: CustomerAccountClient;

beforeAll(async () => {
  em = await startEmulator({ now: NOW });
  endpoints = await discoverCustomerAccount(em.url);
  publicClient = { clientId: em.customerAccount.publicClientId, now: em.clock.now };
  confidentialClient = {
    clientId: em.customerAccount.clientId,
    clientSecret: em.customerAccount.clientSecret,
    now: em.clock.now,
  };
});
afterAll(() => em.close());

async function signIn(client: CustomerAccountClient): Promise<CustomerAccountTokenSet> {
  const redirectUri = em.customerAccount.redirectUri;
  const request = await createSignIn({ endpoints, clientId: client.clientId, redirectUri });
  const authorized = await fetch(request.url, { redirect: 'manual' });
  expect(authorized.status).toBe(302);
  const result = await completeSignIn({
    endpoints,
    client,
    redirectUri,
    callback: authorized.headers.get('location')!,
    expected: request,
  });
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return result.tokenSet;
}

describe("the package's Customer Account client against the emulator", () => {
  it('discovers the emulator’s endpoints', () => {
    expect(endpoints).toEqual({
      issuer: em.customerAccount.urls.issuer,
      authorizationEndpoint: em.customerAccount.urls.authorization,
      tokenEndpoint: em.customerAccount.urls.token,
      endSessionEndpoint: em.customerAccount.urls.endSession,
      graphqlApi: em.customerAccount.urls.graphql('2026-04'),
    });
  });

  it.each([
    ['public', () => publicClient],
    ['confidential', () => confidentialClient],
  ])('signs a customer in as a %s client, with expiresAt from expires_in', async (_, client) => {
    const tokenSet = await signIn(client());
    expect(tokenSet.expiresAt).toBe('2026-06-15T13:00:00Z');
    expect(em.customerAccount.tokens.lookup(tokenSet.accessToken)?.email).toBe('customer@example.com');
  });

  it('refreshes in each rotation mode, keeping the old refresh and ID tokens when the answer omits them', async () => {
    for (const rotation of ['single-use', 'grace', 'reusable'] as const) {
      em.customerAccount.settings.rotation = rotation;
      const tokenSet = await signIn(publicClient);
      const answer = await refreshTokenSet({ endpoints, client: publicClient, tokenSet });
      expect(answer.kind, rotation).toBe('renewed');
    }
    em.customerAccount.settings.rotation = 'single-use';
    em.customerAccount.settings.refreshOmits = ['refresh_token', 'id_token'];
    const tokenSet = await signIn(publicClient);
    const answer = await refreshTokenSet({ endpoints, client: publicClient, tokenSet });
    expect(answer).toMatchObject({
      kind: 'renewed',
      token: { refreshToken: tokenSet.refreshToken, idToken: tokenSet.idToken },
    });
    em.customerAccount.settings.refreshOmits = [];
  });

  it('keeps the customer signed in on the transient 401, and signs out only on invalid_grant', async () => {
    const tokenSet = await signIn(publicClient);
    em.customerAccount.faults.inject({ kind: 'transient-401' });
    expect(await refreshTokenSet({ endpoints, client: publicClient, tokenSet })).toMatchObject({
      kind: 'unavailable',
      cause: { status: 401, transient: true },
    });
    expect((await refreshTokenSet({ endpoints, client: publicClient, tokenSet })).kind).toBe('renewed');
    expect((await refreshTokenSet({ endpoints, client: publicClient, tokenSet })).kind).toBe('invalid');
  });

  it('signs out at the emulator with the sign-out URL, which revokes the token set', async () => {
    const tokenSet = await signIn(confidentialClient);
    const url = signOutUrl({
      endpoints,
      idToken: tokenSet.idToken,
      postLogoutRedirectUri: em.customerAccount.postLogoutRedirectUri,
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(em.customerAccount.postLogoutRedirectUri);
    expect(em.customerAccount.tokens.lookup(tokenSet.accessToken)).toBeNull();
    expect((await refreshTokenSet({ endpoints, client: confidentialClient, tokenSet })).kind).toBe('invalid');
  });
});

describe('a Customer Account server that sends its headers, then stalls the body', () => {
  /** A 200 whose JSON body never ends (and that ignores the abort, as a custom `fetch` may). */
  const stalled = () =>
    new Response(
      new ReadableStream<Uint8Array>({ start: (body) => body.enqueue(new TextEncoder().encode('{"issuer":')) }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );

  it('fails discovery within timeoutMs instead of caching a promise that never settles, then discovers', async () => {
    // Another spelling of the emulator's origin: a discovery cache entry of its own.
    const shop = em.url.replace('127.0.0.1', 'localhost');
    let stall = true;
    const client = {
      timeoutMs: 100,
      fetch: ((input, init) => (stall ? Promise.resolve(stalled()) : fetch(input, init))) as typeof fetch,
    };
    const started = performance.now();
    await expect(discoverCustomerAccount(shop, client)).rejects.toThrow(/did not answer in 100 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
    stall = false;
    expect((await discoverCustomerAccount(shop, client)).tokenEndpoint).toBe(em.customerAccount.urls.token);
  });

  it('answers a refresh whose body stalls as unavailable within timeoutMs, keeping the customer signed in', async () => {
    const tokenSet = await signIn(publicClient);
    const client: CustomerAccountClient = { ...publicClient, timeoutMs: 100, fetch: async () => stalled() };
    const started = performance.now();
    expect((await refreshTokenSet({ endpoints, client, tokenSet })).kind).toBe('unavailable');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await refreshTokenSet({ endpoints, client: publicClient, tokenSet })).kind).toBe('renewed');
  });
});
