/**
 * The interface between the emulator's Customer Account sign-in (the OAuth endpoints, which issue access tokens)
 * and its Customer Account GraphQL endpoint (which accepts them). Neither imports the other: both get the one
 * {@link CustomerAccountTokens} the emulator creates.
 */

/** The customer an access token belongs to. */
export interface CustomerAccountCustomer {
  /** `gid://shopify/Customer/<n>`. */
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** What an access token is good for: its customer, and until when (ms since the epoch, by the emulator clock). */
export interface CustomerAccountTokenGrant extends CustomerAccountCustomer {
  expiresAt: number;
}

/** What the Customer Account GraphQL endpoint asks of the tokens. */
export interface CustomerAccountTokens {
  /** The customer and expiry of a live access token; `null` for an unknown, revoked or expired one. */
  lookup(accessToken: string): CustomerAccountTokenGrant | null;
}

/** The in-memory tokens: what the GraphQL endpoint asks, plus what the sign-in endpoints do. */
export interface CustomerAccountTokenStore extends CustomerAccountTokens {
  /**
   * Issues a new access token for `customer`, live for `ttlMs` from the emulator clock's now.
   *
   * @returns the token string (a secret: assert on it, never log it).
   */
  issue(customer: CustomerAccountCustomer, ttlMs: number): string;
  /** Revokes an access token; an unknown one is ignored. */
  revoke(accessToken: string): void;
}

/** The most access tokens held at once; past it the oldest are forgotten (they look up as `null`). */
export const MAX_ACCESS_TOKENS = 50_000;

/** The prefix public examples of Customer Account access tokens show (not a contract: clients must not parse tokens). */
const ACCESS_TOKEN_PREFIX = 'shcat_';

/**
 * Creates the in-memory Customer Account access tokens.
 *
 * @param clock - the emulator clock: a token expires when it passes `expiresAt`, never by the wall clock.
 * @param limit - the most tokens held at once. @defaultValue {@link MAX_ACCESS_TOKENS}
 */
export function createCustomerAccountTokens(
  clock: { now(): number },
  limit = MAX_ACCESS_TOKENS,
): CustomerAccountTokenStore {
  const tokens = new Map<string, CustomerAccountTokenGrant>();
  return {
    issue(customer, ttlMs) {
      const accessToken = ACCESS_TOKEN_PREFIX + randomHex();
      const { customerId, email, firstName, lastName } = customer;
      const grant = { customerId, email, firstName, lastName, expiresAt: clock.now() + ttlMs };
      tokens.set(accessToken, grant);
      // Bounded: past the limit the oldest tokens (the first to expire) are forgotten.
      for (const oldest of tokens.keys()) {
        if (tokens.size <= limit) break;
        tokens.delete(oldest);
      }
      return accessToken;
    },
    revoke(accessToken) {
      tokens.delete(accessToken);
    },
    lookup(accessToken) {
      const grant = typeof accessToken === 'string' ? tokens.get(accessToken) : undefined;
      if (!grant) return null;
      if (grant.expiresAt <= clock.now()) {
        tokens.delete(accessToken);
        return null;
      }
      return { ...grant };
    },
  };
}

/** 16 random bytes as hex, from Web Crypto (Node, workerd and browsers alike). */
function randomHex(): string {
  let hex = '';
  for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(16))) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
