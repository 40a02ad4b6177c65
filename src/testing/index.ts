/**
 * A local Storefront API emulator for tests: `storefront-customer-session/testing`.
 *
 * @packageDocumentation
 */
export { startEmulator, type Emulator, type EmulatorCustomers } from './emulator.js';
export type { EmulatorClock } from './clock.js';
export type { EmulatorCounters } from './counters.js';
export type { EmulatorFaults } from './faults.js';
export { formatExpiresAt, TOKEN_LIFETIME_MS } from './state.js';
export { DEFAULT_SCHEMA_DIR } from './schemas.js';
export { resolveVersion, type ServedVersion } from './routing.js';
export {
  CUSTOMER_SCOPES,
  DEFAULT_CUSTOMER,
  type CustomerSpec,
  type EmulatorOptions,
  type EmulatorSettings,
  type Fault,
  type FaultScope,
  type FaultStatus,
  type InvalidRenewShape,
  type IssuedToken,
  type RenewReturns,
  type StorefrontScope,
  type StorefrontTokenSpec,
} from './types.js';
export { postGraphQL, type PostGraphQLOptions, type PostGraphQLResult } from './request.js';
