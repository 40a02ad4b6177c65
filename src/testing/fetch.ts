/**
 * The emulator as a `fetch` handler only: `storefront-customer-session/testing/fetch`. Nothing here imports a
 * `node:` module, so it runs in workerd (Oxygen, miniflare), browsers, Deno, Bun and behind MSW. Pass the
 * schemas as SDL text (`createEmulator({ schemas: { '2026-04': sdl } })`); `startEmulator` and `readSchemas`,
 * which need Node's file system and HTTP server, are in `storefront-customer-session/testing`.
 *
 * @packageDocumentation
 */
export { createEmulator, type EmulatorCustomers, type FetchEmulator } from './emulator.js';
export {
  DEFAULT_ACCESS_TOKEN_TTL_MS,
  DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER,
  type CustomerAccountGraphqlControls,
} from './customerAccount/graphqlApi.js';
export type { CustomerAccountCustomer, CustomerAccountTokenGrant } from './customerAccount/accessTokens.js';
export type { CustomerAccountOrder, CustomerAccountOrderSpec } from './customerAccount/orders.js';
export type { EmulatorFetch } from './fetchHandler.js';
export type { EmulatorClock } from './clock.js';
export type { EmulatorCounters } from './counters.js';
export type { EmulatorFaults, Fault, FaultScope, FaultStatus } from './faults.js';
export { DEFAULT_MAX_DEPTH } from './depth.js';
export type { CustomerAccountOptions, EmulatorCustomerAccount } from './customerAccount/oauth.js';
export type { CustomerAccountSettings, RefreshOmission, RefreshRotation } from './customerAccount/oauthSettings.js';
export type {
  CustomerAccountFaults,
  OAuthEndpoint,
  OAuthFault,
  OAuthFaultScope,
  OAuthGrantType,
} from './customerAccount/oauthFaults.js';
export type { CustomerAccountCounters } from './customerAccount/oauthCounters.js';
export type { OAuthClient, OAuthClientSpec } from './customerAccount/oauthClients.js';
export type { CustomerAccountUrls } from './customerAccount/discovery.js';
export type { CustomerAccountTokens } from './customerAccount/accessTokens.js';
export { formatExpiresAt, TOKEN_LIFETIME_MS } from './state.js';
export { MAX_CARTS, type EmulatorCart, type EmulatorCarts } from './carts.js';
export {
  CART_SCOPES,
  CUSTOMER_SCOPES,
  DEFAULT_CUSTOMER,
  DEFAULT_SCOPES,
  type CustomerSpec,
  type CreateEmulatorOptions,
  type EmulatorBehaviour,
  type EmulatorSettings,
  type InvalidRenewShape,
  type IssuedToken,
  type RenewReturns,
  type StorefrontScope,
  type StorefrontTokenSpec,
} from './types.js';
