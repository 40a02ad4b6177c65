/** The Storefront access scopes the emulator checks. */
export type StorefrontScope = 'unauthenticated_read_customers' | 'unauthenticated_write_customers' | (string & {});

/** Every customer scope; the default for the seeded storefront tokens. */
export const CUSTOMER_SCOPES: readonly StorefrontScope[] = [
  'unauthenticated_read_customers',
  'unauthenticated_write_customers',
];

/** A storefront (app) token the emulator accepts. */
export interface StorefrontTokenSpec {
  /** `public` goes in `X-Shopify-Storefront-Access-Token`, `private` in `Shopify-Storefront-Private-Token`. */
  kind: 'public' | 'private';
  /** The token string. @defaultValue a random string */
  token?: string;
  /** The access scopes it carries. @defaultValue {@link CUSTOMER_SCOPES} */
  scopes?: readonly StorefrontScope[];
}

/** A customer seeded into the emulator (legacy customer accounts: email and password). */
export interface CustomerSpec {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** A disabled (never activated) customer cannot sign in. @defaultValue true */
  enabled?: boolean;
}

/** The customer seeded when {@link EmulatorOptions.customers} is not given. */
export const DEFAULT_CUSTOMER = {
  email: 'customer@example.com',
  password: 'correct-horse-battery-staple',
  firstName: 'Ada',
  lastName: 'Lovelace',
} as const satisfies CustomerSpec;

/** What renew answers with on success: the same token string (moved expiry) or a fresh one. */
export type RenewReturns = 'same-token' | 'new-token';

/**
 * What renew answers for an unknown, deleted or expired token: `user-errors` is
 * `customerAccessToken: null` with a `userErrors` entry; `access-denied` is
 * `customerAccessTokenRenew: null` with a top-level `ACCESS_DENIED` error (both are candidates in STOREFRONT.md).
 */
export type InvalidRenewShape = 'user-errors' | 'access-denied';

/** The behaviour switches a test may flip at runtime. */
export interface EmulatorSettings {
  renewReturns: RenewReturns;
  invalidRenewShape: InvalidRenewShape;
}

/** Options for {@link startEmulator}. */
export interface EmulatorOptions {
  /** The port to listen on (always on 127.0.0.1). @defaultValue 0, an ephemeral port */
  port?: number;
  /** The initial emulator clock, ms since the epoch. @defaultValue `Date.now()` */
  now?: number;
  /** The folder with `<version>.graphql` snapshots. @defaultValue the package's `schema/` folder */
  schemaDir?: string;
  /** The storefront tokens accepted. @defaultValue one public and one private token with {@link CUSTOMER_SCOPES} */
  storefrontTokens?: StorefrontTokenSpec[];
  /** The customers seeded. @defaultValue `[DEFAULT_CUSTOMER]` */
  customers?: CustomerSpec[];
  /** @defaultValue `'new-token'` */
  renewReturns?: RenewReturns;
  /** @defaultValue `'user-errors'` */
  invalidRenewShape?: InvalidRenewShape;
}

/** HTTP statuses a status fault can answer with. */
export type FaultStatus = 429 | 430 | 500 | 502 | 503 | 401 | 403 | 402 | 423;

/**
 * A transport-level misbehaviour the emulator plays instead of (or, for latency, before) a normal answer.
 * `retryAfter` is sent as the `Retry-After` header verbatim (seconds; a string lets tests send bad values).
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: FaultStatus; retryAfter?: number | string }
  | { kind: 'reset' }
  | { kind: 'truncated-body' }
  | { kind: 'non-json-body' };

/** Which requests a fault applies to. */
export interface FaultScope {
  /** How many matching requests get the fault. @defaultValue 1 (pass `Infinity` for "until cleared") */
  times?: number;
  /** Only requests with this GraphQL operation name match. @defaultValue every request */
  operationName?: string;
}

/** A customer access token as the emulator holds it (for test assertions). */
export interface IssuedToken {
  accessToken: string;
  /** ms since the epoch (whole seconds). */
  expiresAt: number;
  deleted: boolean;
}
