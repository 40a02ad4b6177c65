import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/testing/index.js';
import { callback, signIn, tokenRequest, type Client } from './signInClient.js';

let em: Emulator;
let client: Client;

beforeAll(async () => {
  em = await startEmulator({ now: Date.UTC(2026, 5, 15, 12) });
  em.customers.add({ email: 'other@example.com', password: 'x' });
  client = { clientId: em.customerAccount.publicClientId };
});
afterAll(() => em.close());

function logout(params: Record<string, string>) {
  const url = new URL(em.customerAccount.urls.endSession);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return fetch(url, { redirect: 'manual' });
}
const refresh = (refreshToken: string) =>
  tokenRequest(em, client, { grant_type: 'refresh_token', refresh_token: refreshToken });

describe('logout', () => {
  it('revokes the customer’s access and refresh tokens and redirects to the registered URI, with state', async () => {
    const first = (await signIn(em, client)).tokens;
    const second = (await signIn(em, client)).tokens;
    const other = (await signIn(em, client, { login_hint: 'other@example.com' })).tokens;
    const response = await logout({
      id_token_hint: first.id_token,
      post_logout_redirect_uri: em.customerAccount.postLogoutRedirectUri,
      state: 'bye',
    });
    expect(response.status).toBe(302);
    const { base, params } = callback(response);
    expect(base).toBe(em.customerAccount.postLogoutRedirectUri);
    expect(params.get('state')).toBe('bye');

    for (const tokens of [first, second]) {
      expect(em.customerAccount.tokens.lookup(tokens.access_token)).toBeNull();
      expect(await refresh(tokens.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    expect(em.customerAccount.tokens.lookup(other.access_token)).not.toBeNull();
    expect((await refresh(other.refresh_token)).status).toBe(200);
    expect(em.customerAccount.counters.logouts()).toBe(1);
  });

  it('accepts an expired ID token as the hint', async () => {
    const { tokens } = await signIn(em, client);
    em.clock.advance(2 * 3600_000);
    const response = await logout({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: em.customerAccount.postLogoutRedirectUri,
    });
    expect(response.status).toBe(302);
  });

  it.each([
    [
      'an unregistered post_logout_redirect_uri',
      (idToken: string) => ({ id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/' }),
    ],
    ['no post_logout_redirect_uri', (idToken: string) => ({ id_token_hint: idToken })],
    [
      'a forged signature',
      (idToken: string) => ({
        id_token_hint: `${idToken.slice(0, -4)}AAAA`,
        post_logout_redirect_uri: em.customerAccount.postLogoutRedirectUri,
      }),
    ],
    ['no id_token_hint', () => ({ post_logout_redirect_uri: em.customerAccount.postLogoutRedirectUri })],
    [
      'garbage',
      () => ({ id_token_hint: 'not.a.jwt', post_logout_redirect_uri: em.customerAccount.postLogoutRedirectUri }),
    ],
  ])('answers 400 for %s, and revokes nothing', async (_, params) => {
    const { tokens } = await signIn(em, client);
    const response = await logout(params(tokens.id_token));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(em.customerAccount.tokens.lookup(tokens.access_token)).not.toBeNull();
  });
});
