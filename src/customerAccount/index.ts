/**
 * The Customer Account API (`storefront-customer-session/customer-account`): sign-in with authorization code and
 * PKCE, refresh, sign-out, and an urql exchange that keeps the customer's token set refreshed on the same session
 * core as the legacy token. Apps that only use legacy accounts never import it and pay nothing for it.
 *
 * @packageDocumentation
 */
export {
  codeChallengeOf,
  completeSignIn,
  createSignIn,
  DEFAULT_SCOPE,
  discoverCustomerAccount,
  idTokenNonce,
  refreshTokenSet,
  signOutUrl,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type RefreshAnswer,
  type SignInRequest,
  type SignInResult,
} from './oauth.js';
export {
  createCustomerAccountExchange,
  DEFAULT_ACCESS_SKEW_MS,
  DEFAULT_REFRESH_WINDOW_MS,
  type CustomerAccountExchangeOptions,
} from './customerAccountExchange.js';
export { judgeTokenSet, type CustomerAccountTokenSet } from './tokenSet.js';
export { memoryTokenStore, type TokenStore } from '../runtime/tokenStore.js';
export type { SharedTokenStore, RenewalCoordination } from '../runtime/coordination.js';
export { CustomerSessionError, signalOf, describeSignal, type CustomerSessionSignal } from '../runtime/signals.js';
