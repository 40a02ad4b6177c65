import type { CustomerAccountOptions } from './customerAccount/oauth.js';

/** The Storefront access scopes the emulator checks. */
export type StorefrontScope =
  | 'unauthenticated_read_customers'
  | 'unauthenticated_write_customers'
  | 'unauthenticated_read_checkouts'
  | 'unauthenticated_write_checkouts'
  | (string & {});

/** Every customer scope: the token mutations and `customer`. */
export const CUSTOMER_SCOPES: readonly StorefrontScope[] = [
  'unauthenticated_read_customers',
  'unauthenticated_write_customers',
];

/** The scopes of the cart operations: `cart` reads, `cartCreate` and `cartBuyerIdentityUpdate` write. */
export const CART_SCOPES: readonly StorefrontScope[] = [
  'unauthenticated_read_checkouts',
  'unauthenticated_write_checkouts',
];

/** The scopes of the seeded storefront tokens, and of an added one that names none: customers and carts. */
export const DEFAULT_SCOPES: readonly StorefrontScope[] = [...CUSTOMER_SCOPES, ...CART_SCOPES];

/** A storefront (app) token the emulator accepts. */
export interface StorefrontTokenSpec {
  /** `public` goes in `X-Shopify-Storefront-Access-Token`, `private` in `Shopify-Storefront-Private-Token`. */
  kind: 'public' | 'private';
  /** The token string. @defaultValue a random string */
  token?: string;
  /** The access scopes it carries. @defaultValue {@link DEFAULT_SCOPES} (customers and carts) */
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

/** What renew answers with on success; every candidate STOREFRONT.md leaves open (see `CustomerStore.renew`). */
export type RenewReturns = 'same-token' | 'new-token' | 'not-extending' | 'rotate-same-expiry' | 'rotate';

/** Every `renewReturns` mode (the emulator command's `--renew-returns` takes the same). */
export const RENEW_RETURNS: readonly RenewReturns[] = [
  'same-token',
  'new-token',
  'not-extending',
  'rotate-same-expiry',
  'rotate',
];

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

/** What every emulator is seeded with and how it behaves, whatever carries its requests. */
export interface EmulatorBehaviour {
  /** The initial emulator clock, ms since the epoch. @defaultValue `Date.now()` */
  now?: number;
  /** The storefront tokens accepted. @defaultValue one public and one private token with {@link DEFAULT_SCOPES} */
  storefrontTokens?: StorefrontTokenSpec[];
  /** The customers seeded. @defaultValue `[DEFAULT_CUSTOMER]` */
  customers?: CustomerSpec[];
  /** @defaultValue `'new-token'` */
  renewReturns?: RenewReturns;
  /** @defaultValue `'user-errors'` */
  invalidRenewShape?: InvalidRenewShape;
  /**
   * The deepest selection a query may have; deeper ones get Shopify's `Query has a depth of N, which exceeds the
   * max depth of M` error. @defaultValue 17, the limit a third-party report quotes for the Storefront API
   */
  maxDepth?: number;
  /** The Customer Account sign-in's shop id and initial settings. */
  customerAccount?: CustomerAccountOptions;
}

/** Options for {@link createEmulator}: the behaviour, plus the schemas as text (no file system needed). */
export interface CreateEmulatorOptions extends EmulatorBehaviour {
  /**
   * The SDL of each version to serve, keyed by handle (`'2026-04'`, optionally `'unstable'`). Required from
   * `/testing/fetch`; the Node entry `/testing` defaults it to the package's vendored ones (`readSchemas()`).
   */
  schemas: Readonly<Record<string, string>>;
  /**
   * The SDL of each Customer Account API version the Customer Account GraphQL endpoint serves, keyed by handle. In
   * Node, `readCustomerAccountSchemas()` gives the package's vendored ones. @defaultValue none: that endpoint answers 404
   */
  customerAccountSchemas?: Readonly<Record<string, string>>;
  /**
   * The host the emulator names in `url` and `storeDomain` (it answers any host).
   * @defaultValue `'emulator.myshopify.test'`
   */
  storeDomain?: string;
}

/** Options for {@link startEmulator}: the behaviour, plus where it listens and where its schemas are. */
export interface EmulatorOptions extends EmulatorBehaviour {
  /** The port to listen on (always on 127.0.0.1). @defaultValue 0, an ephemeral port */
  port?: number;
  /**
   * The folder with `<version>.graphql` snapshots; the Customer Account endpoint reads its `customer-account/`
   * sub-folder (none there: that endpoint answers 404). @defaultValue the package's `schema/` folder
   */
  schemaDir?: string;
}

/** A customer access token as the emulator holds it (for test assertions). */
export interface IssuedToken {
  accessToken: string;
  /** ms since the epoch (whole seconds). */
  expiresAt: number;
  deleted: boolean;
}
