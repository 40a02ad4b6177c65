import { join } from 'node:path';
import { DEFAULT_SCHEMA_DIR, loadSchemaSet, readSchemas, type SchemaSet } from '../schemas.js';

/** The sub-folder of a schema folder that holds the Customer Account API's `<version>.graphql` snapshots. */
const SUBFOLDER = 'customer-account';

/**
 * The Customer Account schemas of a schema folder (`<dir>/customer-account/`), read on first use: `undefined` when
 * the folder has none (a Storefront-only fixture folder), so the emulator's Customer Account endpoint answers 404
 * instead of the emulator failing to start.
 */
export function customerAccountSchemasIn(dir: string = DEFAULT_SCHEMA_DIR): () => SchemaSet | undefined {
  let loaded: { set: SchemaSet | undefined } | undefined;
  return () => {
    if (!loaded) {
      try {
        loaded = { set: loadSchemaSet(join(dir, SUBFOLDER)) };
      } catch {
        loaded = { set: undefined };
      }
    }
    return loaded.set;
  };
}

/**
 * Reads the vendored Customer Account snapshots as text, for {@link createEmulator}'s `customerAccountSchemas` option
 * (or to hand to a worker).
 *
 * @param dir - a schema folder; its `customer-account/` sub-folder is read. @defaultValue the package's `schema/`
 * @returns `{ '2026-04': '<SDL>', … }`.
 */
export function readCustomerAccountSchemas(dir: string = DEFAULT_SCHEMA_DIR): Record<string, string> {
  return readSchemas(join(dir, SUBFOLDER));
}
