import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { ConfigurationError, invalidMessage } from '../errors.js';
import { compareVersions, isWellFormedVersion } from '../versions.js';

/** The package's `schema/` folder, found relative to this module (works from `src/` and `dist/`). */
export const DEFAULT_SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

/** The vendored schema snapshots of one folder, built lazily, once per process. */
export interface SchemaSet {
  /** Vendored stable versions, oldest first (`unstable` is never vendored; the newest serves it). */
  versions: readonly string[];
  /** The built schema of a vendored version. */
  schema(version: string): GraphQLSchema;
}

const built = new Map<string, GraphQLSchema>();
const listed = new Map<string, readonly string[]>();

/** Lists the `<YYYY-MM>.graphql` files in `dir`; throws a message naming the fix when there are none. */
export function loadSchemaSet(dir: string = DEFAULT_SCHEMA_DIR): SchemaSet {
  const folder = resolve(dir);
  let versions = listed.get(folder);
  if (!versions) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      throw new ConfigurationError(invalidMessage('schemaDir', dir, 'Expected a folder of <version>.graphql snapshots (run `schema pull`).'));
    }
    versions = names
      .map((name) => name.replace(/\.graphql$/, ''))
      .filter((name) => name !== 'unstable' && isWellFormedVersion(name))
      .sort(compareVersions);
    if (versions.length === 0) {
      throw new ConfigurationError(invalidMessage('schemaDir', dir, 'It holds no <YYYY-MM>.graphql snapshot; run `schema pull` first.'));
    }
    listed.set(folder, versions);
  }
  const known = new Set(versions);
  return {
    versions,
    schema(version) {
      if (!known.has(version)) throw new ConfigurationError(invalidMessage('version', version, `Vendored: ${versions.join(', ')}.`));
      const file = join(folder, `${version}.graphql`);
      let schema = built.get(file);
      if (!schema) {
        schema = buildSchema(readFileSync(file, 'utf8'));
        built.set(file, schema);
      }
      return schema;
    },
  };
}
