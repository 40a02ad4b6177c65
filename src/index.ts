/**
 * storefront-customer-session: typed Shopify Storefront customer-access-token documents and urql exchanges
 * that keep the customer signed in. The root entry point serves the newest stable generated API version;
 * import `storefront-customer-session/<version>` to pin another one.
 *
 * @packageDocumentation
 */
export * from '../generated/latest.js';
export { generatedVersions, newestGeneratedVersion } from '../generated/versions.js';
export { ConfigurationError } from './runtime/errors.js';
export { memoryTokenStore, type MaybePromise, type Token, type TokenStore } from './runtime/tokenStore.js';
export {
  CustomerSessionError,
  describeSignal,
  signalOf,
  type CustomerSessionSignal,
  type Deprecation,
  type RenewalUnavailable,
  type SignInReason,
  type SignInRequired,
  type StoreFailure,
  type StorefrontUnavailable,
  type VersionMismatch,
  type WrongVersionDocument,
} from './runtime/signals.js';
export { storefrontInfo, STOREFRONT_EXTENSION, type StorefrontResponseInfo } from './runtime/responseInfo.js';
export { CUSTOMER_SESSION_EXTENSION, type CustomerTokenExchangeOptions } from './runtime/customerTokenExchange.js';
export {
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_RENEW_COOLDOWN_MS,
  DEFAULT_RENEW_WINDOW_MS,
  TOKEN_LIFETIME_MS,
} from './runtime/customerTokenOptions.js';
export type { StorefrontExchangeOptions, VersionedExchange } from './runtime/storefrontExchange.js';
export { DEFAULT_RETRY, type RetryOptions, type Sleep } from './runtime/storefrontRetry.js';
export type {
  CreateTokenResult,
  CustomerUserError,
  DeleteTokenResult,
  HelperOptions,
  MutationClient,
  RenewTokenResult,
} from './runtime/helpers.js';
export type { UserError } from './runtime/renewOutcome.js';
export {
  withInjectedToken,
  type InjectedVariables,
  type TokenInjected,
  type VersionBrand,
  type VersionedDocument,
} from './runtime/documents.js';
export type {
  Bound,
  BoundCreate,
  BoundCustomerTokenExchange,
  BoundDelete,
  BoundRenew,
  BoundStorefrontExchange,
} from './runtime/versionEntry.js';
