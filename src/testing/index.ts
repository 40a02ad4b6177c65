/**
 * A local Storefront API emulator for tests: `storefront-customer-session/testing`. Everything of
 * `storefront-customer-session/testing/fetch` (the `fetch` handler), plus what needs Node: `startEmulator` (a
 * `node:http` server), reading the vendored schemas from disk, and `createEmulator` defaulting to them.
 *
 * @packageDocumentation
 */
export * from './fetch.js';
// Shadows the `fetch` entry's createEmulator (a local export wins over `export *`): the same, schemas optional.
export { createEmulator } from './nodeEmulator.js';
export { startEmulator, type Emulator } from './server.js';
export { DEFAULT_SCHEMA_DIR, readSchemas } from './schemas.js';
export { readCustomerAccountSchemas } from './customerAccount/schemaFiles.js';
export { resolveVersion, type ServedVersion } from './routing.js';
export type { EmulatorOptions } from './types.js';
export { postGraphQL, type PostGraphQLOptions, type PostGraphQLResult } from './request.js';
