import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { Emulator } from '../../../src/testing/index.js';

/**
 * A minimal Customer Account sign-in client for the tests, over real HTTP, written with node:crypto: it checks
 * the emulator's Web Crypto work (PKCE hashes, RS256 signatures) against an independent implementation.
 */

export const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** A fresh PKCE pair: a verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  response_type?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  login_hint?: string;
}

/** GETs the authorize endpoint without following the redirect. */
export async function authorizeRaw(em: Emulator, params: Partial<AuthorizeParams>): Promise<Response> {
  const url = new URL(em.customerAccount.urls.authorization);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return fetch(url, { redirect: 'manual' });
}

/** The parameters of a 302's `Location`, and the URL without them. */
export function callback(response: Response): { base: string; params: URLSearchParams } {
  const location = new URL(response.headers.get('location')!);
  const params = new URLSearchParams(location.search);
  location.search = '';
  return { base: location.href, params };
}

export type Client = { clientId: string; clientSecret?: string };

/** POSTs a form to the token endpoint as `client` (HTTP Basic when it has a secret, else `client_id` in the body). */
export async function tokenRequest(
  em: Emulator,
  client: Client,
  form: Record<string, string>,
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(form);
  if (client.clientSecret !== undefined) {
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers['Authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else body.set('client_id', client.clientId);
  const response = await fetch(em.customerAccount.urls.token, { method: 'POST', headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** The whole sign-in: authorize (state and nonce checked), callback, code exchange with PKCE. */
export async function signIn(
  em: Emulator,
  client: Client,
  extra: Partial<AuthorizeParams> = {},
): Promise<{ tokens: any; nonce: string; state: string }> {
  const { verifier, challenge } = pkce();
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const redirectUri = extra.redirect_uri ?? em.customerAccount.redirectUri;
  const response = await authorizeRaw(em, {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid email customer-account-api:full',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`);
  const { params } = callback(response);
  if (params.get('state') !== state) throw new Error('state not echoed');
  const code = params.get('code');
  if (!code) throw new Error(`no code: ${params.get('error')}`);
  const exchange = await tokenRequest(em, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  if (exchange.status !== 200) throw new Error(`code exchange answered ${exchange.status}`);
  return { tokens: exchange.body, nonce, state };
}

/** Verifies an RS256 JWT against the emulator's JWKS (fetched over HTTP); answers its header and claims. */
export async function verifyIdToken(em: Emulator, jwt: string): Promise<{ header: any; claims: any; valid: boolean }> {
  const discovery = await (await fetch(em.customerAccount.discoveryUrl)).json();
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  const [head, body, signature] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  const jwk = jwks.keys.find((key: { kid: string }) => key.kid === header.kid);
  const valid =
    jwk !== undefined &&
    header.alg === 'RS256' &&
    verify(
      'RSA-SHA256',
      Buffer.from(`${head}.${body}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
  return { header, claims, valid };
}
