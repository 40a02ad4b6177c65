import { bounded, realTimer } from '../runtime/bounded.js';
import { assertStoreDomain, isLoopbackHost } from '../runtime/endpoint.js';
import type { RenewAnswer } from '../runtime/renewOutcome.js';
import type { StorefrontUnavailable } from '../runtime/signals.js';
import { judgeTokenSet, type CustomerAccountTokenSet } from './tokenSet.js';

/**
 * The Customer Account API's sign-in, framework-free: discovery, authorization code with PKCE, refresh, and the
 * sign-out URL (see CUSTOMER_ACCOUNT.md). Every request has a time limit, never follows a redirect, and every
 * answer is judged before it is trusted. Web APIs only (`fetch`, `crypto.subtle`): browsers, Node 20+, workerd.
 */

/** The endpoints of one shop, from its discovery documents. */
export interface CustomerAccountEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string;
  /** The Customer Account GraphQL endpoint as discovered (its version is replaced by the entry point's). */
  graphqlApi: string | undefined;
}

/** The app's OAuth client: public (browser; `client_id` in the body) or confidential (server; HTTP Basic). */
export interface CustomerAccountClient {
  clientId: string;
  /** Makes the client confidential: the token endpoint is called with HTTP Basic. Never in a browser bundle. */
  clientSecret?: string;
  /** @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /** The longest one request may take, its response body read in full included. @defaultValue 10 000 ms */
  timeoutMs?: number;
  /** The clock, for `expiresAt`. @defaultValue `Date.now` */
  now?: () => number;
}

/** The default scope: sign-in, the customer's email, and the Customer Account API. */
export const DEFAULT_SCOPE = 'openid email customer-account-api:full';
const DEFAULT_TIMEOUT_MS = 10_000;

const discoveries = new Map<string, Promise<CustomerAccountEndpoints>>();

/** `https://<domain>` for a shop domain, or the origin of a URL (the emulator answers on `http://127.0.0.1:<port>`). */
/**
 * The shop's origin: `https://` and a host name (`your-shop.myshopify.com`), or the scheme an origin URL gives
 * (`http://` for a loopback host only, the emulator's `em.url`); a loopback `host:port` alone is served over http.
 * Anything else is a `ConfigurationError` naming the fix (with the value a URL would not read, never its credentials).
 */
export function shopOrigin(shop: unknown): string {
  const text = typeof shop === 'string' ? shop.trim() : '';
  const scheme = /^(https?):\/\//i.exec(text)?.[1]?.toLowerCase();
  // The host as a URL reads it (punycode for an international domain; a path, a query or credentials dropped).
  let host: string | undefined;
  try {
    host = new URL(scheme ? text : `https://${text}`).host;
  } catch {
    // judged below, with the value as given
  }
  const checked = assertStoreDomain(host ? `${scheme ?? 'https'}://${host}` : shop, 'shop');
  return `${scheme ?? (isLoopbackHost(checked) ? 'http' : 'https')}://${checked}`;
}

/**
 * Fetches and reads the JSON body within one time limit, never following a redirect (a token or a code never goes to
 * another host). The limit covers the body too: a server that sends its headers and then stalls would otherwise hold
 * the caller (and a cached discovery, every later caller) for good. Rejects when the time is up, also when a custom
 * `fetch` ignores the abort.
 */
async function send(
  client: Pick<CustomerAccountClient, 'fetch' | 'timeoutMs'>,
  url: string,
  init: RequestInit,
): Promise<{ response: Response; body: Record<string, unknown> }> {
  const ms = client.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const stop = () => controller.abort();
  const outer = init.signal;
  outer?.addEventListener('abort', stop, { once: true });
  const exchange = async () => {
    const response: unknown = await (client.fetch ?? globalThis.fetch)(url, {
      ...init,
      redirect: 'manual',
      signal: controller.signal,
    });
    // A custom fetch may resolve with anything (undefined, a plain object): a failed request, as a network error.
    if (!isResponse(response)) throw new Error(`${url} answered no HTTP response`);
    return { response, body: await json(response) };
  };
  const outcome = await bounded(exchange, ms, realTimer);
  outer?.removeEventListener('abort', stop);
  if (outcome.ok) return outcome.value;
  controller.abort(); // the time is up: end the request (a custom fetch that ignores this is not waited for)
  throw outcome.timedOut ? new Error(`${url} did not answer in ${ms} ms`) : outcome.error;
}

const isResponse = (value: unknown): value is Response =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Response).status === 'number' &&
  typeof (value as Response).headers?.get === 'function';

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An absolute http(s) URL, or `undefined` (an endpoint that is none: relative, `javascript:`, not a URL). */
function httpUrl(value: unknown): string | undefined {
  try {
    return /^https?:$/.test(new URL(text(value) ?? '').protocol) ? (value as string) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The shop's Customer Account endpoints, from `/.well-known/openid-configuration` and
 * `/.well-known/customer-account-api`; cached per shop domain, and dropped from the cache when a call fails.
 *
 * @param shop - the shop domain (`your-shop.myshopify.com`, a custom domain), or an origin URL.
 */
export function discoverCustomerAccount(
  shop: string,
  client: Pick<CustomerAccountClient, 'fetch' | 'timeoutMs'> = {},
): Promise<CustomerAccountEndpoints> {
  let origin: string;
  try {
    origin = shopOrigin(shop);
  } catch (error) {
    return Promise.reject(error); // rejected like every other failure, never thrown
  }
  let found = discoveries.get(origin);
  if (!found) {
    found = (async () => {
      const [oidc, api] = await Promise.all(
        ['openid-configuration', 'customer-account-api'].map(async (name) => {
          const { response, body } = await send(client, `${origin}/.well-known/${name}`, {
            headers: { accept: 'application/json' },
          });
          if (!response.ok) throw new Error(`${origin}/.well-known/${name} answered HTTP ${response.status}`);
          return body;
        }),
      );
      const endpoints = {
        issuer: text(oidc!['issuer']),
        authorizationEndpoint: httpUrl(oidc!['authorization_endpoint']),
        tokenEndpoint: httpUrl(oidc!['token_endpoint']),
        endSessionEndpoint: httpUrl(oidc!['end_session_endpoint']),
        graphqlApi: httpUrl(api!['graphql_api']),
      };
      if (
        !endpoints.issuer ||
        !endpoints.authorizationEndpoint ||
        !endpoints.tokenEndpoint ||
        !endpoints.endSessionEndpoint
      )
        throw new Error(`${origin}/.well-known/openid-configuration lacks an issuer or an endpoint`);
      return endpoints as CustomerAccountEndpoints;
    })();
    discoveries.set(origin, found);
    found.catch(() => discoveries.delete(origin));
  }
  return found;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The PKCE S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** What {@link createSignIn} answers: the URL to send the customer to, and what to keep for the callback. */
export interface SignInRequest {
  url: string;
  /** Keep these until the callback (e.g. in a short-lived, HttpOnly cookie or `sessionStorage`). */
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Starts a sign-in: the authorize URL with a fresh `state`, `nonce` and PKCE S256 challenge. */
export async function createSignIn(options: {
  endpoints: CustomerAccountEndpoints;
  clientId: string;
  redirectUri: string;
  scope?: string;
  locale?: string;
  loginHint?: string;
  prompt?: 'none';
}): Promise<SignInRequest> {
  const state = randomString();
  const nonce = randomString();
  const codeVerifier = randomString();
  const url = new URL(options.endpoints.authorizationEndpoint);
  const params: Record<string, string | undefined> = {
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope ?? DEFAULT_SCOPE,
    state,
    nonce,
    code_challenge: await codeChallengeOf(codeVerifier),
    code_challenge_method: 'S256',
    locale: options.locale,
    login_hint: options.loginHint,
    prompt: options.prompt,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { url: url.toString(), state, nonce, codeVerifier };
}

/** The `nonce` claim of an ID token (its payload decoded; the signature is the server's over TLS). */
export function idTokenNonce(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const decoded: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return text((decoded as Record<string, unknown>)['nonce']);
  } catch {
    return undefined;
  }
}

/** A token endpoint's failure, as the session's signals describe one. */
function failure(response: Response | null): StorefrontUnavailable {
  const status = response?.status ?? null;
  // No header is no delay (`Number(null)` would be 0).
  const retryAfter = Number(response?.headers.get('retry-after') ?? Number.NaN);
  return {
    kind: 'storefront-unavailable',
    status,
    attempts: 1,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null,
    transient: status === null || status === 401 || status === 408 || status === 429 || status >= 500,
  };
}

/** RFC 6749 §2.3.1: the client id and secret are form-encoded before they are joined for HTTP Basic. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/** Calls the token endpoint with `grant`; resolves with the response and its JSON body (or `null`: no response). */
async function tokenRequest(
  endpoints: CustomerAccountEndpoints,
  client: CustomerAccountClient,
  grant: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ response: Response; body: Record<string, unknown> } | null> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const form = new URLSearchParams(grant);
  if (client.clientSecret !== undefined)
    headers['authorization'] = `Basic ${btoa(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`)}`;
  else form.set('client_id', client.clientId);
  try {
    return await send(client, endpoints.tokenEndpoint, { method: 'POST', headers, body: form, signal });
  } catch {
    return null;
  }
}

/** How long an access token is taken to live when its answer gave no usable `expires_in` (a 401 refreshes sooner). */
const UNKNOWN_LIFETIME_MS = 120_000;

/**
 * A token endpoint's success, judged: a token set, keeping `previous`'s refresh and ID tokens when none came.
 *
 * @remarks
 * An unusable `expires_in` (missing, not a positive number, or past what a date holds) makes the answer malformed,
 * except on a refresh that rotated the refresh token: the old one is spent, so the answer is kept (or the next
 * refresh gets `invalid_grant` and signs the customer out), its access token living until `previous`'s expiry or
 * {@link UNKNOWN_LIFETIME_MS} from now, whichever is later.
 */
function tokenSetOf(
  body: Record<string, unknown>,
  now: number,
  previous?: CustomerAccountTokenSet,
): CustomerAccountTokenSet | null {
  const expiresIn = body['expires_in'];
  const refreshToken = text(body['refresh_token']);
  // A date holds ±8.64e15 ms (about 275 000 years): past it (an expires_in of 1e300) `toISOString` would throw.
  let expiresAt = new Date(typeof expiresIn === 'number' && expiresIn > 0 ? now + expiresIn * 1000 : NaN);
  if (Number.isNaN(expiresAt.getTime())) {
    if (!previous || !refreshToken || refreshToken === previous.refreshToken) return null;
    expiresAt = new Date(Math.max(Date.parse(previous.expiresAt) || 0, now + UNKNOWN_LIFETIME_MS));
  }
  return judgeTokenSet({
    accessToken: body['access_token'],
    refreshToken: refreshToken ?? previous?.refreshToken ?? '',
    idToken: text(body['id_token']) ?? previous?.idToken ?? '',
    expiresAt: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
}

/** What {@link completeSignIn} answers. */
export type SignInResult =
  | { ok: true; tokenSet: CustomerAccountTokenSet }
  | {
      ok: false;
      /** `denied`: the callback carried an error; `state`/`nonce`: not this sign-in's (refuse it); `rejected`: the code was refused. */
      reason: 'denied' | 'state' | 'nonce' | 'rejected' | 'unavailable';
      error?: string;
    };

/**
 * Completes a sign-in from the callback: checks `state`, trades the code (with the PKCE verifier) for tokens, and
 * checks the ID token's `nonce`.
 */
export async function completeSignIn(options: {
  endpoints: CustomerAccountEndpoints;
  client: CustomerAccountClient;
  redirectUri: string;
  /** The callback URL the customer came back to (or its query string). */
  callback: string | URL;
  /** What {@link createSignIn} answered for this sign-in. */
  expected: Pick<SignInRequest, 'state' | 'nonce' | 'codeVerifier'>;
}): Promise<SignInResult> {
  const { endpoints, client, expected } = options;
  let params: URLSearchParams;
  try {
    params = new URL(String(options.callback), 'http://callback.invalid').searchParams;
  } catch {
    return { ok: false, reason: 'state' }; // no URL (a raw request-target such as `//[/callback?…`): not this sign-in's
  }
  if (params.get('state') !== expected.state) return { ok: false, reason: 'state' };
  const error = params.get('error');
  if (error) return { ok: false, reason: 'denied', error };
  const code = params.get('code');
  if (!code) return { ok: false, reason: 'denied', error: 'no code' };
  const answer = await tokenRequest(endpoints, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: options.redirectUri,
    code_verifier: expected.codeVerifier,
  });
  if (!answer) return { ok: false, reason: 'unavailable' };
  const errorCode = text(answer.body['error']);
  if (!answer.response.ok)
    return { ok: false, reason: errorCode === 'invalid_grant' ? 'rejected' : 'unavailable', error: errorCode };
  const tokenSet = tokenSetOf(answer.body, (client.now ?? Date.now)());
  if (!tokenSet || !tokenSet.refreshToken) return { ok: false, reason: 'unavailable', error: 'malformed token answer' };
  if (idTokenNonce(tokenSet.idToken) !== expected.nonce) return { ok: false, reason: 'nonce' };
  return { ok: true, tokenSet };
}

/** What {@link refreshTokenSet} answers: the refreshed set, `invalid` (sign in again), or `unavailable` (kept). */
export type RefreshAnswer =
  { kind: 'renewed'; token: CustomerAccountTokenSet } | Exclude<RenewAnswer, { kind: 'renewed' }>;

/**
 * Refreshes `tokenSet` with its refresh token. Only `invalid_grant` (or no refresh token at all) is `invalid`:
 * the customer must sign in again. Anything else (a 401 with an empty error code, 5xx, 429, a network error, a
 * malformed answer, `invalid_client`) is `unavailable`: the token set is kept and refresh is tried again later. An
 * answer that rotated the refresh token is `renewed` even when its `expires_in` is unusable (see `tokenSetOf`).
 */
export async function refreshTokenSet(options: {
  endpoints: CustomerAccountEndpoints;
  client: CustomerAccountClient;
  tokenSet: CustomerAccountTokenSet;
  signal?: AbortSignal;
}): Promise<RefreshAnswer> {
  const { tokenSet } = options;
  if (!tokenSet.refreshToken) return { kind: 'invalid', userErrors: [], error: undefined };
  const answer = await tokenRequest(
    options.endpoints,
    options.client,
    { grant_type: 'refresh_token', refresh_token: tokenSet.refreshToken },
    options.signal,
  );
  if (!answer) return { kind: 'unavailable', error: undefined, cause: failure(null) };
  if (text(answer.body['error']) === 'invalid_grant') return { kind: 'invalid', userErrors: [], error: undefined };
  const next = answer.response.ok ? tokenSetOf(answer.body, (options.client.now ?? Date.now)(), tokenSet) : null;
  return next
    ? { kind: 'renewed', token: next }
    : { kind: 'unavailable', error: undefined, cause: failure(answer.response) };
}

/** The URL that signs the customer out at Shopify (`id_token_hint`), then returns to `postLogoutRedirectUri`. */
export function signOutUrl(options: {
  endpoints: CustomerAccountEndpoints;
  idToken: string;
  postLogoutRedirectUri: string;
}): string {
  const url = new URL(options.endpoints.endSessionEndpoint);
  url.searchParams.set('id_token_hint', options.idToken);
  url.searchParams.set('post_logout_redirect_uri', options.postLogoutRedirectUri);
  return url.toString();
}
