// The customer session of this app: the token lives in an HttpOnly cookie, and there are two stores over it.
//
// - `writableCookieStore`, in the proxy (proxy.ts) and in route handlers: there cookies can be written, so a
//   renewed token is saved with `Set-Cookie`. The proxy is the one place that renews.
// - `readOnlyCookieStore`, in server components: they cannot set cookies (`cookies().set()` throws while
//   rendering), so its `set` and `clear` do nothing, and its client never renews: a token it renewed could not
//   be saved, and the customer would pay a renewal on every page.
import { Client, fetchExchange } from '@urql/core';
import { NextResponse } from 'next/server';
import {
  customerTokenExchange,
  storefrontExchange,
  type CustomerTokenExchangeOptions,
  type Token,
  type TokenStore,
} from 'storefront-customer-session/2026-04';

/** The cookie that holds the customer access token (JSON: `{ accessToken, expiresAt }`). */
export const TOKEN_COOKIE = 'customer_token';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The package's defaults, named here because the proxy checks the window before it builds a client. */
export const RENEW_WINDOW_MS = 7 * DAY;
const CLOCK_SKEW_MS = 5 * MINUTE;

/** Whether the proxy should run the exchange for this token: it is inside the renewal window (or expired). */
export function isDue(token: Token, now = Date.now()): boolean {
  return Date.parse(token.expiresAt) - now < RENEW_WINDOW_MS;
}

/** The token in a cookie value, or `null` when there is none or it is not a token. */
export function readToken(value: string | undefined): Token | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Partial<Token>;
    return typeof parsed.accessToken === 'string' && typeof parsed.expiresAt === 'string'
      ? { accessToken: parsed.accessToken, expiresAt: parsed.expiresAt }
      : null;
  } catch {
    return null;
  }
}

/** What to write into the cookie (Next encodes the value). */
export function cookieValue(token: Token): string {
  return JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt });
}

/** HttpOnly, SameSite=Lax, expiring with the token; Secure whenever the app is served over https. */
export function cookieOptions(token: Token | null, secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    expires: token ? new Date(token.expiresAt) : new Date(0),
  };
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see examples/nextjs/README.md).`);
  return value;
}

/** One client per request and store: nothing is shared between customers. */
export function storefrontClient(store: TokenStore, options: Omit<CustomerTokenExchangeOptions, 'store'> = {}): Client {
  const storeDomain = env('STOREFRONT_DOMAIN');
  return new Client({
    url: `https://${storeDomain}`, // replaced: every operation goes to /api/2026-04/graphql.json
    exchanges: [
      customerTokenExchange({ store, renewWindowMs: RENEW_WINDOW_MS, clockSkewMs: CLOCK_SKEW_MS, ...options }),
      storefrontExchange({ storeDomain, publicAccessToken: env('STOREFRONT_PUBLIC_TOKEN') }),
      fetchExchange,
    ],
  });
}

/**
 * A store over the cookie that a server component read. `set` and `clear` do nothing: a server component cannot
 * write cookies, and the proxy already renewed (or cleared) the cookie before the page rendered.
 */
export function readOnlyCookieStore(value: string | undefined): TokenStore {
  const token = readToken(value);
  return {
    get: () => token,
    set() {},
    clear() {},
  };
}

/**
 * The client of a server component: it never renews (its window is one millisecond past the skew margin, so a
 * token is renewed only by the proxy), and it cannot sign out (the proxy clears an expired cookie).
 */
export function readOnlyClient(cookie: string | undefined): Client {
  return storefrontClient(readOnlyCookieStore(cookie), { renewWindowMs: CLOCK_SKEW_MS + 1 });
}

/**
 * A store for code that can write cookies: it remembers what the exchange wrote, for the caller to put on the
 * response (`written` is `undefined` when nothing changed, `null` after a sign-out).
 */
export function writableCookieStore(value: string | undefined): TokenStore & { written(): Token | null | undefined } {
  let current = readToken(value);
  let written: Token | null | undefined;
  return {
    get: () => current,
    set(token) {
      current = written = { accessToken: token.accessToken, expiresAt: token.expiresAt };
    },
    clear() {
      current = written = null;
    },
    written: () => written,
  };
}

/** A 303 to a path of this app (relative, so it stays on the host the browser used). */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path } });
}
