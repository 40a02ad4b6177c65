import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  Kind,
  parse,
  Source,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import { LIBRARY } from '../runtime/errors.js';
import { filesUnder } from '../tooling/filesUnder.js';

/** One named operation and the file it lives in. */
export interface OperationSource {
  name: string;
  /** The file, relative to the folder the paths are shown from, e.g. `operations/Customer.graphql`. */
  file: string;
  /** The operation together with every fragment it spreads (transitively): ready to validate. */
  document: DocumentNode;
}

/** A fragment and the file it lives in. */
export interface FragmentSource {
  name: string;
  file: string;
  node: FragmentDefinitionNode;
}

/** What {@link loadOperations} found: operations, fragments, and problems that stop a check. */
export interface LoadedOperations {
  operations: OperationSource[];
  fragments: FragmentSource[];
  /** Unreadable files, syntax errors, anonymous or duplicate names: one line each, naming the file. */
  problems: string[];
}

/**
 * Reads every `.graphql`/`.gql` file under `dir` (recursively, following each symbolic link once: see
 * {@link filesUnder}) and returns its operations, each with the fragments it uses, so that every one can be
 * validated on its own.
 *
 * @param dir - the operations folder.
 * @param base - file names are shown relative to this folder (the working directory).
 * @param only - keeps the files it answers true for (their path relative to `dir`); every `.graphql`/`.gql` file
 *   by default.
 */
export async function loadOperations(
  dir: string,
  base: string,
  only: (file: string) => boolean = () => true,
): Promise<LoadedOperations> {
  const problems: string[] = [];
  let entries: string[];
  try {
    entries = filesUnder(dir, (name) => /\.(graphql|gql)$/.test(name));
  } catch {
    return {
      operations: [],
      fragments: [],
      problems: [`${LIBRARY}: no operations folder at ${relative(base, dir) || dir}. Pass --operations ` + '<dir>.'],
    };
  }
  const definitions: Array<{ file: string; node: OperationDefinitionNode | FragmentDefinitionNode }> = [];
  for (const entry of entries.filter((e) => only(e.split(sep).join('/')))) {
    const file = relative(base, join(dir, entry)) || entry;
    try {
      const document = parse(new Source(await readFile(join(dir, entry), 'utf8'), file));
      for (const node of document.definitions) {
        if (node.kind === Kind.OPERATION_DEFINITION || node.kind === Kind.FRAGMENT_DEFINITION)
          definitions.push({ file, node });
        else problems.push(`${file}: only operations and fragments belong here, found a ${node.kind}.`);
      }
    } catch (error) {
      const { message, locations } = error as GraphQLError;
      problems.push(`${file}${locations?.[0] ? `:${locations[0].line}:${locations[0].column}` : ''}: ${message}`);
    }
  }
  const fragments = new Map<string, FragmentSource>();
  const operations: Array<{ name: string; file: string; node: OperationDefinitionNode }> = [];
  const seen = new Map<string, string>();
  for (const { file, node } of definitions) {
    const name = node.name?.value;
    const kind = node.kind === Kind.FRAGMENT_DEFINITION ? 'fragment' : 'operation';
    if (!name) {
      problems.push(`${file}: an anonymous operation cannot be generated; give it a name.`);
      continue;
    }
    const key = `${kind} ${name}`;
    if (seen.has(key)) {
      problems.push(`${file}: ${key} is also defined in ${seen.get(key)}; names must be unique.`);
      continue;
    }
    seen.set(key, file);
    if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(name, { name, file, node });
    else operations.push({ name, file, node });
  }
  if (definitions.length === 0 && problems.length === 0)
    problems.push(`${LIBRARY}: no operations in ${relative(base, dir) || dir}.`);
  return {
    operations: operations.map(({ name, file, node }) => ({ name, file, document: withFragments(node, fragments) })),
    fragments: [...fragments.values()],
    problems,
  };
}

/**
 * A document holding `root` and every fragment it spreads, transitively (unknown ones are left for validation to
 * report).
 */
export function withFragments(
  root: OperationDefinitionNode | FragmentDefinitionNode,
  fragments: ReadonlyMap<string, FragmentSource>,
): DocumentNode {
  const included = new Map<string, FragmentDefinitionNode>();
  const queue: Array<OperationDefinitionNode | FragmentDefinitionNode> = [root];
  while (queue.length > 0) {
    visit(queue.shift()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !included.has(fragment.name) && fragment.node !== root) {
          included.set(fragment.name, fragment.node);
          queue.push(fragment.node);
        }
      },
    });
  }
  return { kind: Kind.DOCUMENT, definitions: [root, ...included.values()] };
}
