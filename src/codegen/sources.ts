import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { LIBRARY } from '../runtime/errors.js';

/** The `graphql` functions the loaders need, passed in so the runner loads graphql-js only when it runs. */
export type GraphqlModule = Pick<
  typeof import('graphql'),
  'buildASTSchema' | 'lexicographicSortSchema' | 'parse' | 'print' | 'Source'
>;

/**
 * Builds one schema snapshot the way graphql-codegen's CLI loads a `.graphql` schema pointer
 * (`assumeValidSDL`, sorted lexicographically), from the SDL parsed once.
 *
 * @param file - the `.graphql` file, absolute or relative to `cwd`.
 * @throws Error naming the file when it cannot be read or parsed.
 */
export async function loadSchemaFile(graphql: GraphqlModule, cwd: string, file: string): Promise<GraphQLSchema> {
  const path = resolve(cwd, file);
  try {
    const ast = graphql.parse(new graphql.Source(await readFile(path, 'utf8'), path));
    return graphql.lexicographicSortSchema(graphql.buildASTSchema(ast, { assumeValidSDL: true }));
  } catch (error) {
    throw new Error(`${LIBRARY}: the schema ${file} could not be loaded: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Loads the operations and fragments matched by `patterns` as graphql-codegen's CLI does: one source
 * per file that holds at least one executable definition, with its absolute `location`, only its
 * executable definitions, and those printed back as its `rawSDL` (without the file's comments, as
 * the CLI's loader does); sorted by location.
 *
 * @param patterns - files or globs relative to `cwd` (`*`, `**`, `?`, `{a,b}`; a leading `!` excludes).
 */
export async function loadDocumentFiles(
  graphql: GraphqlModule,
  cwd: string,
  patterns: readonly string[],
): Promise<Types.DocumentFile[]> {
  const files = await expandGlobs(cwd, patterns);
  const sources = await Promise.all(
    files.map(async (location): Promise<Types.DocumentFile | undefined> => {
      const parsed = graphql.parse(new graphql.Source(await readFile(location, 'utf8'), location));
      const definitions = parsed.definitions.filter(
        (d) => d.kind === 'OperationDefinition' || d.kind === 'FragmentDefinition',
      );
      if (definitions.length === 0) return undefined;
      const document: DocumentNode = { ...parsed, definitions };
      return { location, document, rawSDL: graphql.print(document) };
    }),
  );
  return sources
    .filter((s) => s !== undefined)
    .sort((a, b) => (a.location! < b.location! ? -1 : a.location! > b.location! ? 1 : 0));
}

/** The absolute paths of the files under `cwd` that match `patterns` (dot files and folders skipped). */
export async function expandGlobs(cwd: string, patterns: readonly string[]): Promise<string[]> {
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => globRegExp(cwd, p));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globRegExp(cwd, p.slice(1)));
  const bases = [...new Set(patterns.filter((p) => !p.startsWith('!')).map((p) => staticBase(cwd, p)))];
  const found = new Set<string>();
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
        return;
      throw error;
    }
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') return;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return walk(path);
        const posix = path.split(sep).join('/');
        if (include.some((re) => re.test(posix)) && !exclude.some((re) => re.test(posix))) found.add(path);
      }),
    );
  };
  await Promise.all(bases.map(walk));
  return [...found].sort();
}

/** The folder before a pattern's first wildcard, where the walk starts. */
function staticBase(cwd: string, pattern: string): string {
  const parts = pattern.split('/');
  const wild = parts.findIndex((part) => /[*?{[]/.test(part));
  const fixed = wild === -1 ? parts.slice(0, -1) : parts.slice(0, wild);
  return resolve(cwd, fixed.join('/') || '.');
}

/** A glob as a regular expression over absolute POSIX-style paths. */
function globRegExp(cwd: string, pattern: string): RegExp {
  const absolute = (isAbsolute(pattern) ? pattern : join(cwd, pattern)).split(sep).join('/');
  let source = '';
  for (let i = 0; i < absolute.length; i++) {
    const char = absolute[i]!;
    if (char === '*' && absolute[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything.
      if (absolute[i + 2] === '/') {
        source += '(?:[^/]*/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = absolute.indexOf('}', i);
      if (end === -1)
        throw new Error(
          `${LIBRARY}: the provided documents pattern ("${relative(cwd, absolute)}") is invalid. Close its "{".`,
        );
      source += `(?:${absolute
        .slice(i + 1, end)
        .split(',')
        .map(escapeRegExp)
        .join('|')})`;
      i = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
