import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmulator,
  DEFAULT_CUSTOMER,
  readSchemas,
  startEmulator,
  type Emulator,
} from '../../../src/testing/index.js';
import { authorizeRaw, callback, pkce, signIn, tokenRequest, verifyIdToken, type Client } from './signInClient.js';

const NOW = Date.UTC(2026, 5, 15, 12);

let em: Emulator;
let confidential: Client;
let publicClient: Client;

beforeAll(async () => {
  em = await startEmulator({ now: NOW });
  confidential = { clientId: em.customerAccount.clientId, clientSecret: em.customerAccount.clientSecret };
  publicClient = { clientId: em.customerAccount.publicClientId };
});
afterAll(() => em.close());
afterEach(() => {
  em.clock.set(NOW);
  em.customerAccount.counters.reset();
});

/** A valid authorize request for the public client, with one PKCE pair. */
function request(overrides: Record<string, string | undefined> = {}) {
  const { verifier, challenge } = pkce();
  const params = {
    client_id: em.customerAccount.publicClientId,
    response_type: 'code',
    redirect_uri: em.customerAccount.redirectUri,
    scope: 'openid email customer-account-api:full',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return { params, verifier };
}

async function codeFor(overrides: Record<string, string | undefined> = {}) {
  const { params, verifier } = request(overrides);
  const { params: back } = callback(await authorizeRaw(em, params));
  return { code: back.get('code')!, verifier, redirectUri: params.redirect_uri! };
}

describe('discovery', () => {
  it('serves the OpenID configuration on the store host, naming the sign-in endpoints on the same origin', async () => {
    const response = await fetch(`${em.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const issuer = `${em.url}/authentication/${em.customerAccount.shopId}`;
    expect(await response.json()).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      end_session_endpoint: `${issuer}/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(em.customerAccount.discoveryUrl).toBe(`${em.url}/.well-known/openid-configuration`);
  });

  it('serves the same document under the issuer, where OpenID discovery looks for it', async () => {
    const root = await (await fetch(em.customerAccount.discoveryUrl)).json();
    const underIssuer = await (await fetch(`${root.issuer}/.well-known/openid-configuration`)).json();
    expect(underIssuer).toEqual(root);
  });

  it('names the GraphQL endpoint of the newest supported version, which follows the clock', async () => {
    const ask = async () => (await fetch(`${em.url}/.well-known/customer-account-api`)).json();
    const base = `${em.url}/${em.customerAccount.shopId}/account/customer/api`;
    expect(await ask()).toEqual({ graphql_api: `${base}/2026-04/graphql` });
    em.clock.set(Date.UTC(2026, 10, 22));
    expect(await ask()).toEqual({ graphql_api: `${base}/2026-10/graphql` });
  });

  it('answers 404 for a path under another shop id', async () => {
    const response = await fetch(`${em.url}/authentication/42/oauth/token`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe('a whole sign-in', () => {
  it.each([
    ['public', () => publicClient],
    ['confidential', () => confidential],
  ])('works for a %s client: authorize, callback with state, code exchange with PKCE', async (_, client) => {
    const { tokens } = await signIn(em, client());
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^shcat_/),
      expires_in: 3600,
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    expect(em.customerAccount.tokens.lookup(tokens.access_token)).toEqual({
      customerId: 'gid://shopify/Customer/1',
      email: DEFAULT_CUSTOMER.email,
      firstName: DEFAULT_CUSTOMER.firstName,
      lastName: DEFAULT_CUSTOMER.lastName,
      expiresAt: NOW + 3600_000,
    });
    expect(em.customerAccount.counters.codeExchanges()).toBe(1);
  });

  it('echoes state on the callback', async () => {
    const { params } = request({ state: 'opaque/state+with=chars' });
    const response = await authorizeRaw(em, params);
    expect(response.status).toBe(302);
    const back = callback(response);
    expect(back.base).toBe(em.customerAccount.redirectUri);
    expect(back.params.get('state')).toBe('opaque/state+with=chars');
    expect(back.params.get('code')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('signs an ID token the JWKS verifies, carrying the nonce, issuer, audience, subject and email', async () => {
    const { tokens, nonce } = await signIn(em, publicClient);
    const { header, claims, valid } = await verifyIdToken(em, tokens.id_token);
    expect(valid).toBe(true);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toEqual({
      iss: `${em.url}/authentication/${em.customerAccount.shopId}`,
      aud: publicClient.clientId,
      sub: 'gid://shopify/Customer/1',
      nonce,
      email: DEFAULT_CUSTOMER.email,
      iat: NOW / 1000,
      exp: NOW / 1000 + 3600,
    });
    const [head, , signature] = tokens.id_token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'mallory@example.com' })).toString('base64url');
    const tampered = `${head}.${forged}.${signature}`;
    expect((await verifyIdToken(em, tampered)).valid).toBe(false);
  });

  it('signs in the customer named by login_hint', async () => {
    em.customers.add({ email: 'grace@example.com', password: 'x', firstName: 'Grace', lastName: 'Hopper' });
    const { tokens } = await signIn(em, publicClient, { login_hint: 'grace@example.com' });
    expect(em.customerAccount.tokens.lookup(tokens.access_token)).toMatchObject({
      email: 'grace@example.com',
      firstName: 'Grace',
    });
    const { claims } = await verifyIdToken(em, tokens.id_token);
    expect(claims.email).toBe('grace@example.com');
  });

  it('lets an access token expire by the emulator clock', async () => {
    em.customerAccount.settings.expiresIn = 120;
    try {
      const { tokens } = await signIn(em, publicClient);
      expect(tokens.expires_in).toBe(120);
      em.clock.advance(119_999);
      expect(em.customerAccount.tokens.lookup(tokens.access_token)).not.toBeNull();
      em.clock.advance(1);
      expect(em.customerAccount.tokens.lookup(tokens.access_token)).toBeNull();
    } finally {
      em.customerAccount.settings.expiresIn = 3600;
    }
  });

  it('runs without a server too: the fetch handler signs with Web Crypto', async () => {
    const emulator = createEmulator({ schemas: readSchemas(), now: NOW });
    const { verifier, challenge } = pkce();
    const authorizeUrl = new URL(emulator.customerAccount.urls.authorization);
    const params = {
      client_id: emulator.customerAccount.publicClientId,
      response_type: 'code',
      redirect_uri: emulator.customerAccount.redirectUri,
      scope: 'openid email',
      state: 's',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(params)) authorizeUrl.searchParams.set(name, value);
    expect(authorizeUrl.origin).toBe('https://emulator.myshopify.test');
    const code = callback(await emulator.fetch(authorizeUrl)).params.get('code')!;
    const exchange = await emulator.fetch(emulator.customerAccount.urls.token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: params.client_id,
        code,
        redirect_uri: params.redirect_uri,
        code_verifier: verifier,
      }),
    });
    expect(exchange.status).toBe(200);
    expect(await exchange.json()).toMatchObject({ access_token: expect.any(String), id_token: expect.any(String) });
    await emulator.close();
  });
});

describe('the code exchange refuses', () => {
  it('a code_verifier that does not hash to the code_challenge (PKCE), and the code is spent', async () => {
    const { code, redirectUri, verifier } = await codeFor();
    const wrong = await tokenRequest(em, publicClient, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const right = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    expect((await tokenRequest(em, publicClient, right)).body.error).toBe('invalid_grant');
  });

  it('a code used twice, and revokes what the first use got', async () => {
    const { code, redirectUri, verifier } = await codeFor();
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    const first = await tokenRequest(em, publicClient, form);
    expect(first.status).toBe(200);
    const second = await tokenRequest(em, publicClient, form);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(em.customerAccount.tokens.lookup(first.body.access_token)).toBeNull();
    const refresh = { grant_type: 'refresh_token', refresh_token: first.body.refresh_token };
    expect((await tokenRequest(em, publicClient, refresh)).body).toEqual({ error: 'invalid_grant' });
  });

  it('both of two parallel exchanges of one code', async () => {
    const { code, redirectUri, verifier } = await codeFor();
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    const answers = await Promise.all([tokenRequest(em, publicClient, form), tokenRequest(em, publicClient, form)]);
    for (const answer of answers)
      if (answer.status === 200) expect(em.customerAccount.tokens.lookup(answer.body.access_token)).toBeNull();
    expect(answers.filter((a) => a.status === 400)).not.toHaveLength(0);
  });

  it('a code older than a minute', async () => {
    const { code, redirectUri, verifier } = await codeFor();
    em.clock.advance(60_000);
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    expect((await tokenRequest(em, publicClient, form)).body.error).toBe('invalid_grant');
  });

  it('a redirect_uri other than the authorize request’s', async () => {
    const other = 'http://localhost:3000/other';
    em.customerAccount.addRedirectUri(publicClient.clientId, other);
    const { code, verifier } = await codeFor();
    const form = { grant_type: 'authorization_code', code, redirect_uri: other, code_verifier: verifier };
    expect((await tokenRequest(em, publicClient, form)).body.error).toBe('invalid_grant');
  });

  it('another client’s code', async () => {
    const { code, redirectUri, verifier } = await codeFor();
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
    expect((await tokenRequest(em, confidential, form)).body.error).toBe('invalid_grant');
  });

  it('a confidential client without valid HTTP Basic: 401 invalid_client', async () => {
    const form = { grant_type: 'authorization_code', code: 'x', redirect_uri: 'x', code_verifier: 'x' };
    const asPublic = await tokenRequest(em, { clientId: confidential.clientId }, form);
    expect(asPublic.status).toBe(401);
    expect(asPublic.body.error).toBe('invalid_client');
    expect(asPublic.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrongSecret = await tokenRequest(em, { ...confidential, clientSecret: 'wrong-secret' }, form);
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const unknown = await tokenRequest(em, { clientId: 'shp_unknown' }, form);
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('a body that is not a form', async () => {
    const response = await fetch(em.customerAccount.urls.token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: publicClient.clientId }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe('invalid_request');
  });
});

describe('authorize', () => {
  it('answers 400, not a redirect, for an unknown client or an unregistered redirect_uri', async () => {
    for (const overrides of [
      { client_id: 'shp_nobody' },
      { redirect_uri: 'https://evil.example/cb' },
      { client_id: undefined },
    ]) {
      const response = await authorizeRaw(em, request(overrides).params);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it.each([
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge_method: undefined }, 'invalid_request'],
    [{ code_challenge: undefined }, 'invalid_request'],
    [{ code_challenge: 'short' }, 'invalid_request'],
    [{ scope: 'email customer-account-api:full' }, 'invalid_scope'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ nonce: undefined }, 'invalid_request'],
    [{ login_hint: 'nobody@example.com' }, 'access_denied'],
  ] as const)('redirects %o with error=%s and the state', async (overrides, error) => {
    const response = await authorizeRaw(em, request(overrides).params);
    expect(response.status).toBe(302);
    const { base, params } = callback(response);
    expect(base).toBe(em.customerAccount.redirectUri);
    expect(params.get('error')).toBe(error);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toBeNull();
  });

  it('needs a state', async () => {
    const { params } = callback(await authorizeRaw(em, request({ state: undefined }).params));
    expect(params.get('error')).toBe('invalid_request');
  });

  it('serves a client registered at runtime, on its own redirect URIs', async () => {
    const client = em.customerAccount.registerClient({
      type: 'confidential',
      redirectUris: ['com.example.app://callback'],
    });
    expect(client.clientSecret).toMatch(/^[0-9a-f]{64}$/);
    const { tokens } = await signIn(em, client, { redirect_uri: 'com.example.app://callback' });
    expect(em.customerAccount.tokens.lookup(tokens.access_token)).not.toBeNull();
    expect(() => em.customerAccount.registerClient({ type: 'public', clientSecret: 'abcdefgh' })).toThrow(
      /public client has no secret/,
    );
    expect(() => em.customerAccount.addRedirectUri('shp_nobody', 'https://x.example/')).toThrow(/registerClient/);
    expect(() => em.customerAccount.addRedirectUri(client.clientId, 'https://x.example/#frag')).toThrow(/fragment/);
  });
});
