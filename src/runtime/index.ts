/**
 * The runtime every version entry point re-exports beside its own documents and bound exchanges: the token
 * store, the signals and the errors an app handles, and the types of the options and results.
 */
export { ConfigurationError } from './errors.js';
export { memoryTokenStore, type Token, type TokenStore } from './tokenStore.js';
export { localStorageTokenStore } from './localStorageTokenStore.js';
export { indexedDbTokenStore } from './indexedDbTokenStore.js';
export { webLocksCoordination } from './webLocksCoordination.js';
// What a store or lock of the app's own implements ("Shared stores: one protocol" in the README): types only.
export type { RenewalCoordination, SharedTokenStore, TokenRecord } from './coordination.js';
export {
  CustomerSessionError,
  describeSignal,
  signalOf,
  type CustomerSessionSignal,
  type SignInRequired,
} from './signals.js';
export { storefrontInfo, type StorefrontResponseInfo } from './responseInfo.js';
export { withInjectedToken } from './documents.js';
export type { CustomerTokenExchangeOptions } from './customerTokenExchange.js';
export type { StorefrontExchangeOptions } from './storefrontExchange.js';
export type { RetryOptions } from './storefrontRetry.js';
export type { CreateTokenResult, DeleteTokenResult, RenewTokenResult } from './helpers.js';
export type { CartBuyerIdentityFailure, KeepCartBuyerIdentityOptions } from './cartBuyerIdentity.js';
