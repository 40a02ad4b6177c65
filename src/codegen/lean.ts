import type { CodegenConfig } from '@graphql-codegen/cli';
import type { CodegenPlugin, Types } from '@graphql-codegen/plugin-helpers';
import type { GraphQLSchema } from 'graphql';
import { LIBRARY } from '../runtime/errors.js';
import { loadDocumentFiles, loadSchemaFile } from './sources.js';

/** One file the config generates: its path as the config names it (relative to `cwd`) and its content. */
export interface GeneratedFile {
  filename: string;
  content: string;
}

/** The root keys of a graphql-codegen config the lean runner honours (the rest would change its output). */
const ROOT_KEYS = new Set([
  'documents',
  'generates',
  'config',
  'ignoreNoDocuments',
  'emitLegacyCommonJSImports',
  'importExtension',
  'silent',
  'verbose',
  'debug',
  'errorsOnly',
  'overwrite',
]);
/** The keys of one `generates` entry the lean runner honours. */
const OUTPUT_KEYS = new Set(['schema', 'preset', 'presetConfig', 'plugins', 'config']);

/**
 * Generates every output of a graphql-codegen config in this process, with the same packages and
 * inputs graphql-codegen's CLI hands them (`@graphql-codegen/core`'s `codegen()`, a preset's
 * `buildGeneratesSection`, plugins by name), so the content is byte-for-byte the CLI's; without
 * the CLI's start-up (listr2, cosmiconfig, jiti, yargs, the loaders it does not need here). Each
 * schema file is parsed once and shared by every output that names it; the documents are read once.
 *
 * It supports the subset of the config format the package's codegen.ts uses: `.graphql` schema
 * files per output, document globs, presets and plugins by name, `config` and `presetConfig`.
 * Anything else is refused, naming the key, rather than generating something the CLI would not.
 *
 * @param config - the config object, as codegen.ts exports it.
 * @param cwd - the folder its relative paths are resolved against.
 * @returns every generated file, in the config's order; nothing is written.
 * @throws Error listing, per schema file, each cause (a document invalid against that version names the
 * operation file and the field) when an input cannot be loaded or a document is invalid.
 */
export async function generateLean(config: CodegenConfig, cwd: string): Promise<GeneratedFile[]> {
  assertSupported(config);
  const [graphql, { codegen }, helpers] = await Promise.all([
    import('graphql'),
    import('@graphql-codegen/core'),
    import('@graphql-codegen/plugin-helpers'),
  ]);
  const generates = Object.entries(config.generates);
  const schemas = new Map<
    string,
    Promise<{ schemaAst: GraphQLSchema; schema: ReturnType<typeof helpers.getCachedDocumentNodeFromSchema> }>
  >();
  const schemaOf = (file: string) => {
    if (!schemas.has(file)) {
      schemas.set(
        file,
        loadSchemaFile(graphql, cwd, file).then((schemaAst) => ({
          schemaAst,
          schema: helpers.getCachedDocumentNodeFromSchema(schemaAst),
        })),
      );
    }
    return schemas.get(file)!;
  };
  const documents = await loadDocumentFiles(
    graphql,
    cwd,
    helpers.normalizeInstanceOrArray(config.documents as string | string[]),
  );
  if (documents.length === 0 && !config.ignoreNoDocuments) {
    throw new Error(
      `${LIBRARY}: no GraphQL operation found in ${JSON.stringify(config.documents)}. Add one, or set ignoreNoDocuments.`,
    );
  }
  const cache = createCache();
  const pluginContext = {};
  const profiler = helpers.createNoopProfiler();
  const perOutput = await Promise.allSettled(
    generates.map(async ([filename, entry]) => {
      const output = helpers.normalizeOutputParam(entry as Types.ConfiguredOutput);
      try {
        const { schema, schemaAst } = await schemaOf(output.schema as string);
        const plugins = helpers.normalizeConfig((output.plugins ?? []) as Types.OutputConfig[]);
        const pluginMap = Object.fromEntries(
          await Promise.all(
            plugins.map(async (p) => [Object.keys(p)[0]!, await loadPlugin(Object.keys(p)[0]!)] as const),
          ),
        );
        const outputConfig = (output.config ?? {}) as Record<string, unknown>;
        const raw: Record<string, unknown> = {
          ...(config.config as Record<string, unknown> | undefined),
          emitLegacyCommonJSImports: config.emitLegacyCommonJSImports,
          importExtension: config.importExtension,
          ...(typeof outputConfig === 'string' ? { value: outputConfig } : outputConfig),
        };
        const importExtension = helpers.normalizeImportExtension({
          emitLegacyCommonJSImports: raw['emitLegacyCommonJSImports'] as boolean | undefined,
          importExtension: raw['importExtension'] as '' | `.${string}` | undefined,
        });
        const emitLegacyCommonJSImports = (raw['emitLegacyCommonJSImports'] as boolean | undefined) ?? true;
        const mergedConfig = { ...raw, importExtension, emitLegacyCommonJSImports };
        const common = {
          plugins,
          schema,
          schemaAst,
          documents,
          config: mergedConfig,
          pluginMap,
          pluginContext,
          profiler,
          documentTransforms: [],
        };
        const outputs: Types.GenerateOptions[] = output.preset
          ? await (
              await loadPreset(output.preset as string)
            ).buildGeneratesSection({ ...common, baseOutputDir: filename, presetConfig: output.presetConfig ?? {} })
          : [{ ...common, filename }];
        // A preset's outputs carry the schema as a DocumentNode only, and codegen() rebuilds a
        // GraphQLSchema from it for every output (makeExecutableSchema, ~0.1 s a version). When an
        // output still has the very document built from `schemaAst`, hand it that schema instead.
        return await Promise.all(
          outputs.map(async (args) => ({
            filename: args.filename,
            content: await codegen({
              ...args,
              schemaAst: args.schemaAst ?? (args.schema === schema ? schemaAst : undefined),
              importExtension,
              emitLegacyCommonJSImports,
              cache,
            } as Types.GenerateOptions),
          })),
        );
      } catch (error) {
        throw Object.assign(new Error((error as Error).message, { cause: error }), {
          filename,
          schema: output.schema as string,
        });
      }
    }),
  );
  const failures = perOutput.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as Error & { filename: string; schema: string }] : [],
  );
  if (failures.length > 0) {
    // One line per schema and distinct cause (every output of a version fails alike), naming the version's schema file.
    const seen = new Set<string>();
    const lines = failures.filter(
      (f) => !seen.has(`${f.schema}\n${f.message}`) && seen.add(`${f.schema}\n${f.message}`),
    );
    throw new Error(
      `${LIBRARY}: codegen failed; nothing was written.\n${lines.map((f) => `- ${f.schema} (${f.filename}): ${f.message}`).join('\n')}`,
      {
        cause: failures[0],
      },
    );
  }
  return perOutput.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
}

/** Refuses config keys whose effect the lean runner does not reproduce. */
function assertSupported(config: CodegenConfig): void {
  const refuse = (key: string, where: string) => {
    throw new Error(
      `${LIBRARY}: the provided codegen config (${where} "${key}") is not supported by the lean runner. Run graphql-codegen --config <file> instead.`,
    );
  };
  for (const key of Object.keys(config)) if (!ROOT_KEYS.has(key)) refuse(key, 'root key');
  if (config.overwrite === false) refuse('overwrite', 'root key');
  if (!config.generates || Object.keys(config.generates).length === 0)
    throw new Error(`${LIBRARY}: the provided codegen config has no "generates". Add one output.`);
  for (const [filename, entry] of Object.entries(config.generates)) {
    if (Array.isArray(entry) || typeof entry !== 'object') refuse(filename, 'generates entry without a schema');
    for (const key of Object.keys(entry)) if (!OUTPUT_KEYS.has(key)) refuse(key, `generates["${filename}"] key`);
    const { schema } = entry as { schema?: unknown };
    if (typeof schema !== 'string' || !/\.(graphql|graphqls|gql)$/.test(schema))
      refuse(JSON.stringify(schema), `generates["${filename}"].schema other than one .graphql file`);
    const { preset } = entry as { preset?: unknown };
    if (preset !== undefined && typeof preset !== 'string') refuse('preset', `generates["${filename}"] non-string`);
  }
}

/** A preset by name, resolved as the CLI does (`@graphql-codegen/<name>`, `@graphql-codegen/<name>-preset`, `<name>`). */
async function loadPreset(name: string): Promise<Types.OutputPreset> {
  const loaded = (await importFirst(
    [`@graphql-codegen/${name}`, `@graphql-codegen/${name}-preset`, name],
    `preset "${name}"`,
  )) as {
    preset?: Types.OutputPreset;
    default?: Types.OutputPreset;
  };
  return loaded.preset ?? loaded.default ?? (loaded as Types.OutputPreset);
}

/** A plugin by name, resolved as the CLI does for the usual names (`@graphql-codegen/<name>`, `<name>`). */
async function loadPlugin(name: string): Promise<CodegenPlugin> {
  return (await importFirst(
    [`@graphql-codegen/${name}`, `@graphql-codegen/${name}-plugin`, `graphql-codegen-${name}`, name],
    `plugin "${name}"`,
  )) as CodegenPlugin;
}

async function importFirst(specifiers: readonly string[], what: string): Promise<unknown> {
  for (const specifier of specifiers) {
    try {
      return await import(specifier);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(`${LIBRARY}: the codegen ${what} is not installed. Install one of: ${specifiers.join(', ')}.`);
}

/** The CLI's memo: one promise per namespace and key, shared by every output of the run. */
function createCache(): <T>(namespace: string, key: string, factory: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(namespace: string, key: string, factory: () => Promise<T>) => {
    const id = `${namespace}:${key}`;
    if (!cache.has(id)) cache.set(id, factory());
    return cache.get(id) as Promise<T>;
  };
}
