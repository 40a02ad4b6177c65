import { createEmulator as createWithSchemas, type FetchEmulator } from './emulator.js';
import { readSchemas } from './schemas.js';
import type { CreateEmulatorOptions } from './types.js';

let vendored: Readonly<Record<string, string>> | undefined;

/**
 * Creates a Storefront API emulator as a `fetch` handler (see `storefront-customer-session/testing/fetch`), in
 * Node: `schemas` defaults to the package's vendored snapshots, read once per process.
 *
 * @param options - the same as the `fetch` entry's `createEmulator`, with `schemas` optional.
 * @returns the emulator; hand `emulator.fetch` to the exchanges' `fetch` option or to a request interceptor.
 * @example
 * ```ts
 * const emulator = createEmulator();
 * const exchange = storefrontExchange({
 *   storeDomain: emulator.storeDomain,
 *   publicAccessToken: emulator.publicAccessToken,
 *   fetch: emulator.fetch,
 * });
 * ```
 */
export function createEmulator(
  options: Omit<CreateEmulatorOptions, 'schemas'> & Partial<Pick<CreateEmulatorOptions, 'schemas'>> = {},
): FetchEmulator {
  return createWithSchemas({ ...options, schemas: options.schemas ?? (vendored ??= readSchemas()) });
}
