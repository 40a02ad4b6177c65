import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseVersions } from '../tooling/appVersions.js';
import { resolveOperations } from '../tooling/operationFiles.js';
import { SHIPPED_SCHEMA_DIR, shippedVersions } from '../tooling/shippedSchemas.js';
import { apiFolder, apiLayout, DEFAULT_API, type SchemaApi } from '../tooling/apis.js';
import { PLUGIN_NAME } from './appDocuments.js';

/** Every Storefront custom scalar, typed as it arrives in JSON; `strictScalars` fails on a new one. */
export const SCALARS = {
  DateTime: 'string',
  URL: 'string',
  HTML: 'string',
  Decimal: 'string',
  Color: 'string',
  UnsignedInt64: 'string',
  ISO8601DateTime: 'string',
  JSON: 'unknown',
} as const;

/** The client preset's options, the same for the package's documents and an app's. */
export const CLIENT_PRESET = {
  presetConfig: { fragmentMasking: false },
  config: {
    strictScalars: true,
    scalars: SCALARS,
    enumsAsTypes: true,
    onlyOperationTypes: true,
    useTypeImports: true,
    emitLegacyCommonJSImports: false,
    dedupeFragments: true,
  },
} as const;

/** What {@link sharingLoadedSchema} needs of a graphql-codegen preset (5, 6 and 7): the client preset is one. */
export interface GeneratesSectionPreset {
  buildGeneratesSection(options: { schemaAst?: unknown }): Promise<object[]> | object[];
}

/**
 * `preset`, handing each file it plans the GraphQLSchema graphql-codegen already loaded for its folder
 * (`schemaAst`, where the preset gives none). The client preset passes on only the schema's document, so
 * @graphql-codegen/core would rebuild the schema from it for each of its files (graphql.ts, gql.ts, index.ts) of
 * each version: two thirds of the schema building of a codegen run. It is the same schema, so the files are byte for
 * byte those of the preset alone. Used by codegen.ts and the CLI's `codegen`.
 */
export function sharingLoadedSchema<P extends GeneratesSectionPreset>(preset: P): P {
  return {
    ...preset,
    async buildGeneratesSection(options: { schemaAst?: unknown }) {
      const outputs = await preset.buildGeneratesSection(options);
      // Read after the preset ran: it may replace options.schemaAst (the client preset's semantic nullability).
      return outputs.map((output) => ({ schemaAst: options.schemaAst, ...output }));
    },
  };
}

/** Options of {@link storefrontCodegen}. */
export interface StorefrontCodegenOptions {
  /**
   * The app's `.graphql` operations, relative to where graphql-codegen runs: a folder (every `.graphql`/`.gql` file
   * under it), a glob, or a file; or several.
   */
  operations: string | readonly string[];
  /** The folder that receives `<version>/graphql.ts` (client preset) and `<version>/documents.ts` per version. */
  out: string;
  /**
   * The API versions to generate for, each shipped in the package.
   * @defaultValue the shipped versions Shopify supports at `now` (never a retired one)
   */
  versions?: readonly string[];
  /** The time the default versions are chosen at (ms). @defaultValue `Date.now()` */
  now?: number;
  /** Where plugins other than this package's resolve from. @defaultValue `process.cwd()` */
  cwd?: string;
  /**
   * Which API the operations are for: `customer-account` compiles them against the shipped Customer Account schemas
   * into `<out>/customer-account/<version>/`, bound to `customer-account/<version>`. @defaultValue `storefront`
   */
  api?: SchemaApi;
}

/** One output of the config, in the shape graphql-codegen 5, 6 and 7 read. */
export interface StorefrontCodegenOutput {
  schema: string;
  preset?: 'client';
  presetConfig?: object;
  config?: object;
  plugins?: Record<string, object>[];
}

/** A graphql-codegen config (5, 6 or 7): `export default storefrontCodegen(...)` in an app's `codegen.ts`. */
export interface StorefrontCodegenConfig {
  documents: string[];
  ignoreNoDocuments: false;
  /**
   * `.js` in the client preset's relative imports (gql.ts, index.ts). graphql-codegen 5 reads this option only at
   * the root of the config (an output's own value is overwritten with the root's, which defaults to `true`).
   */
  emitLegacyCommonJSImports: false;
  /**
   * Handed by graphql-codegen to the schema loader: the Storefront schemas are trusted as Shopify publishes them.
   * graphql 17 refuses every one from 2025-10 on when it validates the type system, which graphql-codegen would
   * otherwise do before validating the operations against them (the operations are still validated).
   */
  assumeValid: true;
  generates: Record<string, StorefrontCodegenOutput>;
  /** Loads this package's plugin in-process, and any other plugin from `cwd` as graphql-codegen would. */
  pluginLoader: (name: string) => Promise<any>;
}

/**
 * The versions to generate for: those asked for, each shipped (for `api`); otherwise the shipped ones Shopify supports
 * at `now`.
 */
export function resolveVersions(
  asked: readonly string[] | undefined,
  now: number = Date.now(),
  api: SchemaApi = DEFAULT_API,
): string[] {
  const where = `the ${api === DEFAULT_API ? '' : `${apiLayout(api).title} `}schemas shipped in the package`;
  const available = shippedVersions(apiFolder(SHIPPED_SCHEMA_DIR, api));
  return chooseVersions({ asked, available, where, packageOwn: false, now });
}

/**
 * A graphql-codegen config that compiles an app's own operations against the Storefront schemas shipped in
 * this package, one folder per API version: the client preset's `graphql.ts` (types and plain documents) and a
 * `documents.ts` whose documents are bound to that version, like the package's own (another version's
 * exchanges refuse them), with `$customerAccessToken` optional wherever an operation declares it as `String!`.
 *
 * @param options - the operations glob, the output folder and, optionally, the versions.
 * @returns a config for graphql-codegen 5, 6 or 7 (with `@graphql-codegen/client-preset` installed).
 * @throws ConfigurationError when a version is not shipped in the package, or none shipped is supported at `now`.
 * @example
 * ```ts
 * // codegen.ts, run with `graphql-codegen --config codegen.ts` (add `--check` in CI)
 * import { storefrontCodegen } from 'storefront-customer-session/codegen';
 * export default storefrontCodegen({ operations: 'app/**\/*.graphql', out: 'app/generated', versions: ['2026-04'] });
 * ```
 */
export function storefrontCodegen(options: StorefrontCodegenOptions): StorefrontCodegenConfig {
  const generates: Record<string, StorefrontCodegenOutput> = {};
  const api = options.api ?? DEFAULT_API;
  // The Customer Account outputs get the same sub-folder as the package's, so both APIs can share one `out`.
  const out = apiFolder(options.out, api);
  for (const version of resolveVersions(options.versions, options.now, api)) {
    const schema = join(apiFolder(SHIPPED_SCHEMA_DIR, api), `${version}.graphql`);
    generates[`${out}/${version}/`] = { schema, preset: 'client', ...CLIENT_PRESET };
    generates[`${out}/${version}/documents.ts`] = {
      schema,
      plugins: [{ [PLUGIN_NAME]: api === DEFAULT_API ? { apiVersion: version } : { apiVersion: version, api } }],
    };
  }
  const cwd = resolve(options.cwd ?? process.cwd());
  const requireFrom = createRequire(join(cwd, 'noop.js'));
  const operations = typeof options.operations === 'string' ? [options.operations] : [...options.operations];
  return {
    // A folder becomes the glob of its .graphql files; a pointer that names nothing is left for graphql-codegen to report.
    documents: operations.map((given) => resolveOperations(given, cwd)?.codegenPointer ?? given),
    ignoreNoDocuments: false,
    emitLegacyCommonJSImports: false,
    assumeValid: true,
    generates,
    // A resolution failure keeps its MODULE_NOT_FOUND code, so graphql-codegen tries its next candidate name.
    pluginLoader: (name) =>
      name === PLUGIN_NAME ? import('./appDocuments.js') : import(pathToFileURL(requireFrom.resolve(name)).href),
  };
}
