import type { Token, TokenKind } from '../runtime/tokenStore.js';

/**
 * The Customer Account API's tokens, stored as one unit. Treat every field as a secret: never put one in a URL
 * (the sign-out URL's `id_token_hint` is the one exception the protocol requires), a log line or an error.
 */
export interface CustomerAccountTokenSet extends Token {
  /** Sent as the `Authorization` header of Customer Account GraphQL requests. */
  accessToken: string;
  /** Trades for a new token set at the token endpoint; `''` when the server gave none (sign-in required). */
  refreshToken: string;
  /** The OpenID Connect ID token, kept for the sign-out URL's `id_token_hint`; `''` when none was given. */
  idToken: string;
  /** When the access token stops working: the time of the answer plus its `expires_in` (ISO 8601). */
  expiresAt: string;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const VSCHARS = /^[\x20-\x7e]+$/;

/**
 * A value as a token set (a plain copy of its four fields), or `null` when it has not that shape or its access token
 * is no header value.
 */
export function judgeTokenSet(value: unknown): CustomerAccountTokenSet | null {
  const set = value as Partial<CustomerAccountTokenSet> | null;
  if (typeof set !== 'object' || set === null) return null;
  // RFC 6749 A.12: an access token is 1*VSCHAR, what the Authorization header can carry. Any other character (a CR or
  // LF, a non-ASCII one) makes `fetch` throw an error that quotes the header, token included.
  if (!isString(set.accessToken) || !VSCHARS.test(set.accessToken) || !isString(set.expiresAt)) return null;
  return {
    accessToken: set.accessToken,
    refreshToken: isString(set.refreshToken) ? set.refreshToken : '',
    idToken: isString(set.idToken) ? set.idToken : '',
    expiresAt: set.expiresAt,
  };
}

/** The session core's view of the kind: judged as a token set; an expired access token is refreshed. */
export const CUSTOMER_ACCOUNT_TOKEN: TokenKind = { judge: judgeTokenSet, renewsAfterExpiry: true };
