import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../src/testing/index.js';
import { signIn, tokenRequest, verifyIdToken, type Client } from './signInClient.js';

const NOW = Date.UTC(2026, 5, 15, 12);

let em: Emulator;
let client: Client;
const refresh = (refreshToken: string, as: Client = client) =>
  tokenRequest(em, as, { grant_type: 'refresh_token', refresh_token: refreshToken });

beforeAll(async () => {
  em = await startEmulator({ now: NOW });
  client = { clientId: em.customerAccount.publicClientId };
});
afterAll(() => em.close());
afterEach(() => {
  em.clock.set(NOW);
  em.customerAccount.counters.reset();
  Object.assign(em.customerAccount.settings, {
    rotation: 'single-use',
    graceSeconds: 30,
    expiresIn: 3600,
    refreshTokenExpiresIn: null,
    refreshOmits: [],
    tokenType: null,
    reuseRevokesSignIn: false,
  });
});

describe('rotation: single-use (the default)', () => {
  it('answers a new token set, and the refresh token sent dies', async () => {
    const { tokens } = await signIn(em, client);
    em.clock.advance(3500_000);
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toEqual({
      access_token: expect.stringMatching(/^shcat_/),
      expires_in: 3600,
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    expect(renewed.body.access_token).not.toBe(tokens.access_token);
    expect(renewed.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(em.customerAccount.tokens.lookup(renewed.body.access_token)?.expiresAt).toBe(NOW + 3500_000 + 3600_000);
    expect(await refresh(tokens.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(renewed.body.refresh_token)).status).toBe(200);
  });

  it('lets only one of two parallel refreshes of one token through; the other gets invalid_grant', async () => {
    const { tokens } = await signIn(em, client);
    const answers = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)!.body).toEqual({ error: 'invalid_grant' });
    expect(em.customerAccount.counters.refreshesOf(tokens.refresh_token)).toBe(2);
    expect(em.customerAccount.counters.refreshes()).toBe(2);
  });

  it('keeps the winner signed in unless reuse detection is on, which revokes the whole sign-in', async () => {
    const { tokens } = await signIn(em, client);
    const first = await refresh(tokens.refresh_token);
    await refresh(tokens.refresh_token);
    expect(em.customerAccount.tokens.lookup(first.body.access_token)).not.toBeNull();

    em.customerAccount.settings.reuseRevokesSignIn = true;
    const second = await refresh(first.body.refresh_token);
    expect((await refresh(first.body.refresh_token)).body).toEqual({ error: 'invalid_grant' });
    expect(em.customerAccount.tokens.lookup(second.body.access_token)).toBeNull();
    expect((await refresh(second.body.refresh_token)).body).toEqual({ error: 'invalid_grant' });
  });

  it('signs a new ID token for the same customer and nonce', async () => {
    const { tokens, nonce } = await signIn(em, client);
    em.clock.advance(60_000);
    const renewed = await refresh(tokens.refresh_token);
    const { claims, valid } = await verifyIdToken(em, renewed.body.id_token);
    expect(valid).toBe(true);
    expect(claims).toMatchObject({ nonce, aud: client.clientId, iat: (NOW + 60_000) / 1000 });
  });
});

describe('rotation: grace', () => {
  it('answers the same new token set to the old refresh token inside the window, then invalid_grant', async () => {
    em.customerAccount.settings.rotation = 'grace';
    em.customerAccount.settings.graceSeconds = 10;
    const { tokens } = await signIn(em, client);
    const first = await refresh(tokens.refresh_token);
    em.clock.advance(9_000);
    const again = await refresh(tokens.refresh_token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, expires_in: 3600 - 9 });
    em.clock.advance(1_000);
    expect((await refresh(tokens.refresh_token)).body).toEqual({ error: 'invalid_grant' });
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it('answers both of two parallel refreshes with one token set', async () => {
    em.customerAccount.settings.rotation = 'grace';
    const { tokens } = await signIn(em, client);
    const [a, b] = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token)]);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });
});

describe('rotation: reusable', () => {
  it('keeps the refresh token working and sends it back unchanged', async () => {
    em.customerAccount.settings.rotation = 'reusable';
    const { tokens } = await signIn(em, client);
    const first = await refresh(tokens.refresh_token);
    const second = await refresh(tokens.refresh_token);
    expect(first.body.refresh_token).toBe(tokens.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
  });
});

describe('the refresh answer', () => {
  it('may leave out refresh_token (the one sent keeps working) and id_token', async () => {
    em.customerAccount.settings.refreshOmits = ['refresh_token', 'id_token'];
    const { tokens } = await signIn(em, client);
    const first = await refresh(tokens.refresh_token);
    expect(first.body).toEqual({ access_token: expect.any(String), expires_in: 3600 });
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it('grants the expires_in of the settings, and token_type when set', async () => {
    const { tokens } = await signIn(em, client);
    em.customerAccount.settings.expiresIn = 7200;
    em.customerAccount.settings.tokenType = 'Bearer';
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.body).toMatchObject({ expires_in: 7200, token_type: 'Bearer' });
    expect(em.customerAccount.tokens.lookup(renewed.body.access_token)?.expiresAt).toBe(NOW + 7200_000);
  });
});

describe('dead refresh tokens answer 400 {"error":"invalid_grant"}', () => {
  it.each([
    ['unknown', async () => 'shcrt_never-issued'],
    [
      'expired',
      async () => {
        em.customerAccount.settings.refreshTokenExpiresIn = 3600;
        const { tokens } = await signIn(em, client);
        em.clock.advance(3600_000);
        return tokens.refresh_token as string;
      },
    ],
    [
      'revoked',
      async () => {
        const { tokens } = await signIn(em, client);
        expect(em.customerAccount.revokeCustomer('customer@example.com')).toBeGreaterThanOrEqual(1);
        return tokens.refresh_token as string;
      },
    ],
  ])('%s', async (_, deadToken) => {
    const response = await refresh(await deadToken());
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant' });
  });

  it('another client’s', async () => {
    const { tokens } = await signIn(em, client);
    const other = { clientId: em.customerAccount.clientId, clientSecret: em.customerAccount.clientSecret };
    expect(await refresh(tokens.refresh_token, other)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });
});

describe('settings', () => {
  it('refuse a bad value at the assignment, naming what is allowed', () => {
    const settings = em.customerAccount.settings as unknown as Record<string, unknown>;
    expect(() => (settings['rotation'] = 'sometimes')).toThrow(/"single-use", "grace", "reusable"/);
    expect(() => (settings['expiresIn'] = 0)).toThrow(/whole number of seconds/);
    expect(() => (settings['refreshOmits'] = ['access_token'])).toThrow(/refresh_token/);
    expect(() => (settings['rotaton'] = 'grace')).toThrow(TypeError);
    expect(em.customerAccount.settings.rotation).toBe('single-use');
  });

  it('are taken from the emulator options, checked the same way', async () => {
    const other = await startEmulator({ customerAccount: { shopId: '42', settings: { rotation: 'grace' } } });
    expect(other.customerAccount.settings.rotation).toBe('grace');
    expect(other.customerAccount.urls.issuer).toBe(`${other.url}/authentication/42`);
    await other.close();
    await expect(startEmulator({ customerAccount: { settings: { expiresIn: -1 } } })).rejects.toThrow(/expiresIn/);
  });
});
