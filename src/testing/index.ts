/**
 * A local Storefront API emulator for tests: `storefront-customer-session/testing`.
 *
 * @packageDocumentation
 */
export { createEmulator, type EmulatorCustomers, type FetchEmulator } from './emulator.js';
export type { EmulatorFetch } from './fetchHandler.js';
export { startEmulator, type Emulator } from './server.js';
export type { EmulatorClock } from './clock.js';
export type { EmulatorCounters } from './counters.js';
export type { EmulatorFaults, Fault, FaultScope, FaultStatus } from './faults.js';
export { DEFAULT_MAX_DEPTH } from './depth.js';
export { formatExpiresAt, TOKEN_LIFETIME_MS } from './state.js';
export { DEFAULT_SCHEMA_DIR, readSchemas } from './schemas.js';
export { resolveVersion, type ServedVersion } from './routing.js';
export {
  CUSTOMER_SCOPES,
  DEFAULT_CUSTOMER,
  type CustomerSpec,
  type CreateEmulatorOptions,
  type EmulatorBehaviour,
  type EmulatorOptions,
  type EmulatorSettings,
  type InvalidRenewShape,
  type IssuedToken,
  type RenewReturns,
  type StorefrontScope,
  type StorefrontTokenSpec,
} from './types.js';
export { postGraphQL, type PostGraphQLOptions, type PostGraphQLResult } from './request.js';
