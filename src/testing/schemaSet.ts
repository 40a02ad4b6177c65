import type { GraphQLSchema } from 'graphql';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { compareVersions, isWellFormedVersion } from '../runtime/versions.js';
import { buildStorefrontSchema } from '../schema/buildStorefrontSchema.js';
import { BoundedCache } from './boundedCache.js';
import type { SchemaSet } from './schemas.js';

/**
 * What a built schema costs per character of its SDL, over-estimated (a 364 K-character Storefront schema builds
 * to about 6 MB), plus the text itself.
 */
export const SCHEMA_BYTES_PER_CHAR = 32;

/** The estimated bytes each schema cache may hold: every vendored version several times over. */
export const SCHEMA_CACHE_BYTES = 512 * 1024 * 1024;

/** Schemas built from SDL text, shared by every emulator given the same text (building one takes ~100 ms). */
const built = new BoundedCache<string, GraphQLSchema>(16, SCHEMA_CACHE_BYTES);

/**
 * A {@link SchemaSet} from SDL strings keyed by version handle, built lazily: what the `fetch` handler uses
 * where there is no file system (workerd, browsers).
 *
 * @param sdl - `{ '2026-04': '<SDL>', unstable?: '<SDL>' }`.
 * @throws {@link ConfigurationError} when a key is not a version handle, a value is not text, or no stable
 * version is given.
 */
export function schemaSetFromSdl(sdl: Readonly<Record<string, string>>): SchemaSet {
  if (typeof sdl !== 'object' || sdl === null) {
    throw new ConfigurationError(
      invalidMessage('schemas', sdl, "Expected { '<YYYY-MM>': '<SDL text>' }; in Node, readSchemas() gives them."),
    );
  }
  for (const [handle, text] of Object.entries(sdl)) {
    if (!isWellFormedVersion(handle))
      throw new ConfigurationError(invalidMessage('schemas key', handle, 'Expected YYYY-MM or "unstable".'));
    if (typeof text !== 'string' || text.trim() === '')
      throw new ConfigurationError(invalidMessage(`schemas["${handle}"]`, typeof text, 'Expected SDL text.'));
  }
  const handles = Object.keys(sdl);
  const versions = handles.filter((handle) => handle !== 'unstable').sort(compareVersions);
  if (versions.length === 0) {
    throw new ConfigurationError(
      invalidMessage('schemas', handles.join(', '), 'Expected at least one stable version, e.g. "2026-04".'),
    );
  }
  return {
    versions,
    hasUnstable: handles.includes('unstable'),
    schema(version) {
      const text = Object.hasOwn(sdl, version) ? sdl[version] : undefined;
      if (text === undefined)
        throw new ConfigurationError(invalidMessage('version', version, `Given: ${handles.join(', ')}.`));
      let schema = built.get(text);
      if (!schema) {
        schema = buildStorefrontSchema(text);
        built.set(text, schema, text.length * SCHEMA_BYTES_PER_CHAR);
      }
      return schema;
    },
  };
}
