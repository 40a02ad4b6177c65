import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type OAuthFault } from '../../../src/testing/index.js';
import { authorizeRaw, signIn, tokenRequest, type Client } from './signInClient.js';

let em: Emulator;
let client: Client;
const refresh = (refreshToken: string) =>
  tokenRequest(em, client, { grant_type: 'refresh_token', refresh_token: refreshToken });

beforeAll(async () => {
  em = await startEmulator({ now: Date.UTC(2026, 5, 15, 12) });
  client = { clientId: em.customerAccount.publicClientId };
});
afterAll(() => em.close());
afterEach(() => {
  em.customerAccount.faults.clear();
  em.customerAccount.counters.reset();
});

describe('token endpoint faults', () => {
  it('plays the transient 401 (empty error code), then refreshes normally: the refresh token is not spent', async () => {
    const { tokens } = await signIn(em, client);
    em.customerAccount.faults.inject({ kind: 'transient-401' }, { grantType: 'refresh_token' });
    const faulted = await refresh(tokens.refresh_token);
    expect(faulted.status).toBe(401);
    expect(faulted.body).toEqual({ error: '', error_description: 'Access token request error.' });
    const retried = await refresh(tokens.refresh_token);
    expect(retried.status).toBe(200);
    expect(em.customerAccount.counters.refreshesOf(tokens.refresh_token)).toBe(2);
  });

  it.each([429, 500, 502, 503, 504] as const)('answers %i with Retry-After verbatim when given', async (status) => {
    em.customerAccount.faults.inject({ kind: 'status', status, retryAfter: 7 });
    const faulted = await refresh('whatever');
    expect(faulted.status).toBe(status);
    expect(faulted.headers.get('retry-after')).toBe('7');
    expect(typeof faulted.body.error).toBe('string');
  });

  it.each([
    ['invalid_client', 401],
    ['unauthorized_client', 400],
    ['invalid_grant', 400],
  ] as const)('answers %s with %i', async (error, status) => {
    const { tokens } = await signIn(em, client);
    em.customerAccount.faults.inject({ kind: 'oauth-error', error });
    expect(await refresh(tokens.refresh_token)).toMatchObject({ status, body: { error } });
  });

  it('answers a malformed JSON body with 200', async () => {
    em.customerAccount.faults.inject({ kind: 'malformed-json' });
    const faulted = await refresh('whatever');
    expect(faulted.status).toBe(200);
    expect(typeof faulted.body).toBe('string');
    expect(() => JSON.parse(faulted.body)).toThrow();
  });

  it('hangs until the client gives up', async () => {
    em.customerAccount.faults.inject({ kind: 'hang' });
    const controller = new AbortController();
    const pending = fetch(em.customerAccount.urls.token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: client.clientId }),
      signal: controller.signal,
    });
    const settled = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(r, 100, 'held')),
    ]);
    expect(settled).toBe('held');
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await refresh('x')).body).toEqual({ error: 'invalid_grant' });
  });

  it('drops the connection (reset), and adds latency before the normal answer', async () => {
    em.customerAccount.faults.inject({ kind: 'reset' });
    await expect(refresh('x')).rejects.toThrow(TypeError);
    em.customerAccount.faults.inject({ kind: 'latency', ms: 50 });
    const started = performance.now();
    expect((await refresh('x')).body).toEqual({ error: 'invalid_grant' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('matches only its grant type, and counts down times', async () => {
    em.customerAccount.faults.inject({ kind: 'status', status: 503 }, { grantType: 'refresh_token', times: 2 });
    const { tokens } = await signIn(em, client); // a code exchange: not faulted
    expect((await refresh(tokens.refresh_token)).status).toBe(503);
    expect((await refresh(tokens.refresh_token)).status).toBe(503);
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
    expect(em.customerAccount.counters.codeExchanges()).toBe(1);
    expect(em.customerAccount.counters.refreshes()).toBe(3);
  });
});

describe('faults on the other endpoints', () => {
  it('match by endpoint: discovery, jwks, authorize', async () => {
    em.customerAccount.faults.inject({ kind: 'status', status: 500 }, { endpoint: 'discovery' });
    expect((await fetch(em.customerAccount.discoveryUrl)).status).toBe(500);
    expect((await fetch(em.customerAccount.discoveryUrl)).status).toBe(200);

    em.customerAccount.faults.inject({ kind: 'malformed-json' }, { endpoint: 'jwks' });
    await expect((await fetch(em.customerAccount.urls.jwks)).json()).rejects.toThrow();

    em.customerAccount.faults.inject({ kind: 'status', status: 503 }, { endpoint: 'authorize' });
    const response = await authorizeRaw(em, { client_id: client.clientId });
    expect(response.status).toBe(503);
    expect(em.customerAccount.counters.authorizations()).toBe(1);
  });
});

describe('inject', () => {
  it.each([
    [{ kind: 'teapot' }, {}, /"latency", "transient-401"/],
    [{ kind: 'status', status: 418 }, {}, /429, 500, 502, 503, 504/],
    [{ kind: 'oauth-error', error: 'access_denied' }, {}, /invalid_client/],
    [{ kind: 'transient-401' }, { endpoint: 'authorize' }, /use endpoint "token"/],
    [{ kind: 'hang' }, { endpoint: 'graphql' }, /"discovery", "jwks"/],
    [{ kind: 'hang' }, { endpoint: 'logout', grantType: 'refresh_token' }, /with endpoint "token"/],
    [{ kind: 'hang' }, { times: 0 }, /positive number/],
    [{ kind: 'latency', ms: -1 }, {}, /non-negative/],
  ])('refuses %o %o, naming what is allowed', (fault, scope, message) => {
    expect(() => em.customerAccount.faults.inject(fault as OAuthFault, scope as never)).toThrow(message);
  });
});
