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

/** A value as a token set (a plain copy of its four fields), or `null` when it has not that shape. */
export function judgeTokenSet(value: unknown): CustomerAccountTokenSet | null {
  const set = value as Partial<CustomerAccountTokenSet> | null;
  if (typeof set !== 'object' || set === null) return null;
  if (!isString(set.accessToken) || set.accessToken === '' || !isString(set.expiresAt)) return null;
  return {
    accessToken: set.accessToken,
    refreshToken: isString(set.refreshToken) ? set.refreshToken : '',
    idToken: isString(set.idToken) ? set.idToken : '',
    expiresAt: set.expiresAt,
  };
}

/** The session core's view of the kind: judged as a token set; an expired access token is refreshed. */
export const CUSTOMER_ACCOUNT_TOKEN: TokenKind = { judge: judgeTokenSet, renewsAfterExpiry: true };
