import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { compareVersions, isWellFormedVersion } from '../runtime/versions.js';
import { buildStorefrontSchema } from '../schema/buildStorefrontSchema.js';
import { BoundedCache } from './boundedCache.js';
import { SCHEMA_BYTES_PER_CHAR, SCHEMA_CACHE_BYTES } from './schemaSet.js';

/** The package's `schema/` folder, found relative to this module (works from `src/` and `dist/`). */
export const DEFAULT_SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

/** The vendored schema snapshots of one folder, built lazily, once per process. */
export interface SchemaSet {
  /** Vendored stable versions, oldest first. */
  versions: readonly string[];
  /** Whether `unstable.graphql` is vendored too (else the newest stable snapshot serves `unstable`). */
  hasUnstable: boolean;
  /** The built schema of a vendored version. */
  schema(version: string): GraphQLSchema;
}

/** Built schemas by file, and the snapshots of each folder: shared by every emulator of the process, bounded. */
const built = new BoundedCache<string, GraphQLSchema>(64, SCHEMA_CACHE_BYTES);
const listed = new BoundedCache<string, { versions: readonly string[]; hasUnstable: boolean }>(256, 1024 * 1024);

/** Lists the `<YYYY-MM>.graphql` files in `dir`; throws a message naming the fix when there are none. */
export function loadSchemaSet(dir: string = DEFAULT_SCHEMA_DIR): SchemaSet {
  const folder = resolve(dir);
  let found = listed.get(folder);
  if (!found) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      throw new ConfigurationError(
        invalidMessage('schemaDir', dir, 'Expected a folder of <version>.graphql snapshots (run `schema pull`).'),
      );
    }
    const handles = names.filter((name) => name.endsWith('.graphql')).map((name) => name.slice(0, -'.graphql'.length));
    const versions = handles.filter((name) => name !== 'unstable' && isWellFormedVersion(name)).sort(compareVersions);
    if (versions.length === 0) {
      throw new ConfigurationError(
        invalidMessage('schemaDir', dir, 'It holds no <YYYY-MM>.graphql snapshot; run `schema pull` first.'),
      );
    }
    found = { versions, hasUnstable: handles.includes('unstable') };
    listed.set(folder, found, 2 * (folder.length + versions.join().length) + 256);
  }
  const { versions, hasUnstable } = found;
  const known = new Set(hasUnstable ? [...versions, 'unstable'] : versions);
  const mine = new Map<string, GraphQLSchema>();
  return {
    versions,
    hasUnstable,
    schema(version) {
      let schema = mine.get(version);
      if (schema) return schema;
      if (!known.has(version))
        throw new ConfigurationError(invalidMessage('version', version, `Vendored: ${versions.join(', ')}.`));
      const file = join(folder, `${version}.graphql`);
      schema = built.get(file);
      if (!schema) {
        const text = readFileSync(file, 'utf8');
        schema = buildStorefrontSchema(text);
        built.set(file, schema, text.length * SCHEMA_BYTES_PER_CHAR);
      }
      mine.set(version, schema);
      return schema;
    },
  };
}

/**
 * Reads the `<version>.graphql` snapshots of `dir` as text, for {@link createEmulator}'s `schemas` option (or to
 * hand to a worker: a miniflare binding, a bundler's text loader).
 *
 * @param dir - a folder of snapshots. @defaultValue the package's `schema/` folder
 * @returns `{ '2026-04': '<SDL>', … }`, `unstable` included when vendored.
 */
export function readSchemas(dir: string = DEFAULT_SCHEMA_DIR): Record<string, string> {
  const { versions, hasUnstable } = loadSchemaSet(dir);
  const handles = hasUnstable ? [...versions, 'unstable'] : versions;
  return Object.fromEntries(
    handles.map((handle) => [handle, readFileSync(join(resolve(dir), `${handle}.graphql`), 'utf8')]),
  );
}
