import { ConfigurationError, invalidMessage } from '../../runtime/errors.js';
import { randomToken } from '../state.js';

/**
 * The emulator's Customer Account access tokens, shared by its two halves: the OAuth token endpoint issues them
 * (`src/testing/customerAccount/oauth*.ts`), the Customer Account GraphQL endpoint looks them up
 * (`graphqlEndpoint.ts`). Neither half knows how the other works; this file is the whole contract between them.
 */

/** The signed-in customer a token stands for. */
export interface CustomerAccountCustomer {
  /** The customer's GID, e.g. `gid://shopify/Customer/1`: the GraphQL `Customer.id`. */
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** What a live token resolves to: its customer and when it stops working (ms since the epoch). */
export interface CustomerAccountTokenRecord extends CustomerAccountCustomer {
  expiresAt: number;
}

/** What the GraphQL endpoint needs: a live token's customer, or `null` (unknown, revoked, expired, evicted). */
export interface CustomerAccountTokens {
  lookup(accessToken: string): CustomerAccountTokenRecord | null;
}

/** The in-memory tokens of one emulator: the OAuth endpoint issues and revokes, the GraphQL endpoint looks up. */
export interface IssuingCustomerAccountTokens extends CustomerAccountTokens {
  /**
   * Issues a new access token for `customer` that lives `ttlMs` from the clock's now (the OAuth answer's
   * `expires_in` is `ttlMs / 1000`).
   */
  issue(customer: CustomerAccountCustomer, ttlMs: number): { accessToken: string; expiresAt: number };
  /** Makes `accessToken` unknown from now on; whether it was live. */
  revoke(accessToken: string): boolean;
  /** How many tokens are held (expired ones not yet dropped included); never more than `maxTokens`. */
  size(): number;
}

/** Options of {@link createCustomerAccountTokens}. */
export interface CustomerAccountTokensOptions {
  /**
   * The most tokens held at once. When full, expired tokens are dropped first, then the oldest issued: a long
   * load run cannot grow the emulator's memory without bound. @defaultValue 10 000
   */
  maxTokens?: number;
}

/** The default bound of {@link CustomerAccountTokensOptions.maxTokens}. */
export const DEFAULT_MAX_CUSTOMER_ACCOUNT_TOKENS = 10_000;

/** Customer Account access tokens start with `shcat_`, as Shopify's do; the rest is random. */
export const ACCESS_TOKEN_PREFIX = 'shcat_';

/**
 * Creates the in-memory Customer Account access tokens of an emulator, on the emulator's clock: a token is live
 * until `expiresAt` (exclusive) by `clock.now()`, never by the wall clock.
 *
 * @param clock - the emulator's clock (anything with `now()`).
 * @param options - the size bound.
 */
export function createCustomerAccountTokens(
  clock: { now(): number },
  options: CustomerAccountTokensOptions = {},
): IssuingCustomerAccountTokens {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_CUSTOMER_ACCOUNT_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new ConfigurationError(invalidMessage('maxTokens', maxTokens, 'Expected a whole number of 1 or more.'));
  }
  // Insertion order is issue order: the first key is the oldest token.
  const tokens = new Map<string, CustomerAccountTokenRecord>();

  const makeRoom = (now: number) => {
    if (tokens.size < maxTokens) return;
    for (const [token, record] of tokens) if (record.expiresAt <= now) tokens.delete(token);
    while (tokens.size >= maxTokens) tokens.delete(tokens.keys().next().value!);
  };

  return {
    lookup(accessToken) {
      const record = tokens.get(accessToken);
      if (!record) return null;
      if (record.expiresAt <= clock.now()) {
        tokens.delete(accessToken);
        return null;
      }
      return { ...record };
    },
    issue(customer, ttlMs) {
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        throw new ConfigurationError(invalidMessage('ttlMs', ttlMs, 'Expected a positive number of milliseconds.'));
      }
      const now = clock.now();
      makeRoom(now);
      const accessToken = `${ACCESS_TOKEN_PREFIX}${randomToken()}${randomToken()}`;
      const expiresAt = now + ttlMs;
      const { customerId, email, firstName, lastName } = customer;
      tokens.set(accessToken, { customerId, email, firstName, lastName, expiresAt });
      return { accessToken, expiresAt };
    },
    revoke(accessToken) {
      const record = tokens.get(accessToken);
      tokens.delete(accessToken);
      return record !== undefined && record.expiresAt > clock.now();
    },
    size: () => tokens.size,
  };
}
