import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchemas } from '../../../src/testing/index.js';
import { b64url, pkce } from './signInClient.js';
import { createPublicKey, randomBytes, verify } from 'node:crypto';

const ORIGIN = 'https://emulator.myshopify.test';
let mf: Miniflare;

beforeAll(async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./signInWorker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    external: ['node:*'],
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: result.outputFiles[0]!.text,
    compatibilityDate: '2026-04-01',
    bindings: { SCHEMAS: { '2026-04': readSchemas()['2026-04']! }, NOW: Date.UTC(2026, 5, 15) },
  });
}, 30_000);
afterAll(() => mf?.dispose());

const json = async (url: string, init?: any) => (await (await mf.dispatchFetch(url, init)).json()) as any;

describe('the Customer Account sign-in inside workerd (miniflare)', () => {
  it('signs in with PKCE and signs an RS256 ID token the JWKS verifies, with Web Crypto only', async () => {
    const { publicClientId, redirectUri } = await json(`${ORIGIN}/client`);
    const discovery = await json(`${ORIGIN}/.well-known/openid-configuration`);
    const { verifier, challenge } = pkce();
    const nonce = b64url(randomBytes(8));
    const authorize = new URL(discovery.authorization_endpoint);
    for (const [name, value] of Object.entries({
      client_id: publicClientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid email',
      state: 'st',
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }))
      authorize.searchParams.set(name, value);
    const redirected = await mf.dispatchFetch(authorize.href, { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    const code = new URL(redirected.headers.get('location')!).searchParams.get('code')!;
    const tokens = await json(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: publicClientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    expect(tokens.expires_in).toBe(3600);
    const [head, body, signature] = (tokens.id_token as string).split('.') as [string, string, string];
    const { keys } = await json(discovery.jwks_uri);
    const key = createPublicKey({ key: keys[0], format: 'jwk' });
    expect(verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(body, 'base64url').toString())).toMatchObject({ nonce, aud: publicClientId });
  });
});
