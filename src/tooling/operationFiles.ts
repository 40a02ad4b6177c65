import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * What an `--operations` argument names, resolved once for every command (`codegen`, `schema check`, `schema diff`)
 * and for `storefrontCodegen`: a folder (every `.graphql`/`.gql` file under it), a glob (`app/**\/*.graphql`), or
 * one file.
 */
export interface OperationsPointer {
  /** The argument as given, for messages. */
  readonly given: string;
  readonly kind: 'folder' | 'glob' | 'file';
  /** The folder to walk (absolute): the folder itself, a glob's folder before its first wildcard, a file's folder. */
  readonly root: string;
  /** Whether a file (its path relative to `root`, `/`-separated) is one of the operations. */
  matches(relativePath: string): boolean;
  /** The same files as graphql-codegen document pointers (a glob, relative to `cwd` when `given` was). */
  readonly codegenPointer: string;
}

const WILDCARD = /[*?[\]{}]/;
const OPERATION_FILE = /\.(graphql|gql)$/;

/**
 * Resolves an `--operations` argument against `cwd`. A value with a wildcard (`* ? [ ] { }`) is a glob; otherwise an
 * existing folder or file. Returns `undefined` when it is neither (the caller says so, naming the argument).
 */
export function resolveOperations(given: string, cwd: string): OperationsPointer | undefined {
  const slashed = given.split(sep).join('/');
  if (WILDCARD.test(slashed)) {
    const parts = slashed.split('/');
    const firstWild = parts.findIndex((part) => WILDCARD.test(part));
    const base = parts.slice(0, firstWild).join('/');
    const pattern = globPattern(parts.slice(firstWild).join('/'));
    return {
      given,
      kind: 'glob',
      root: resolve(cwd, base || '.'),
      matches: (file) => pattern.test(file),
      codegenPointer: given,
    };
  }
  const path = resolve(cwd, given);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const shown = isAbsolute(given) ? path : relative(cwd, path) || '.';
    return {
      given,
      kind: 'folder',
      root: path,
      matches: (file) => OPERATION_FILE.test(file),
      codegenPointer: `${shown.split(sep).join('/')}/**/*.{graphql,gql}`,
    };
  }
  if (stat?.isFile()) {
    const name = relative(join(path, '..'), path);
    return { given, kind: 'file', root: join(path, '..'), matches: (file) => file === name, codegenPointer: given };
  }
  return undefined;
}

/**
 * A glob as a regular expression over `/`-separated relative paths: `**` spans folders, `*` and `?` stay within one,
 * `{a,b}` is either, `[…]` a character class. Names starting with a dot match only a pattern that says so.
 */
export function globPattern(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const wholeSegment = (i === 0 || glob[i - 1] === '/') && (glob[i + 2] === '/' || i + 2 === glob.length);
      if (wholeSegment) {
        // `**/` matches no folder or any number of them; a trailing `**` matches everything below.
        source += glob[i + 2] === '/' ? '(?:[^/.][^/]*/)*' : '(?:[^/.][^/]*(?:/[^/.][^/]*)*)?';
        i += glob[i + 2] === '/' ? 2 : 1;
        continue;
      }
      source += '[^/]*';
      i++;
    } else if (char === '*') source += (i === 0 || glob[i - 1] === '/' ? '(?!\\.)' : '') + '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
