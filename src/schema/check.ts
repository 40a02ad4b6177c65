import { relative } from 'node:path';
import { Kind, NoUnusedFragmentsRule, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { LIBRARY } from '../runtime/errors.js';
import { loadOperations, withFragments, type LoadedOperations } from './operations.js';
import { listSnapshotVersions, loadSnapshot, snapshotPath } from './snapshot.js';

/** Options of {@link checkOperations}. */
export interface CheckOptions {
  /** The folder of `<version>.graphql` snapshots. */
  schemaDir: string;
  /** The folder of `.graphql` operations and fragments. */
  operationsDir: string;
  /** File names in messages are relative to this folder. */
  cwd: string;
  /** The versions to check against. @defaultValue every snapshot in `schemaDir` */
  versions?: readonly string[];
}

/** The outcome of {@link checkOperations}: what was checked, and one line per problem. */
export interface CheckResult {
  versions: string[];
  operations: string[];
  /**
   * e.g. `2026-01: CustomerAccessTokenRenew (operations/CustomerAccessTokenRenew.graphql): Cannot query field
   * "expiresAt" on type "CustomerAccessToken". [operations/CustomerAccessToken.fragment.graphql:3:3]`
   */
  problems: string[];
}

const fragmentRules = specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);

/**
 * Validates every operation in `operationsDir` (with the fragments it uses) against every vendored
 * schema in `schemaDir`, the way the server would. A fragment no operation uses is validated on its own.
 */
export async function checkOperations(options: CheckOptions): Promise<CheckResult> {
  return checkLoadedOperations(await loadOperations(options.operationsDir, options.cwd), options);
}

/** {@link checkOperations} for operations already loaded (e.g. the files a glob matched). */
export async function checkLoadedOperations(
  loaded: LoadedOperations,
  options: Omit<CheckOptions, 'operationsDir'>,
): Promise<CheckResult> {
  const { schemaDir, cwd } = options;
  const versions = options.versions ? [...options.versions] : await listSnapshotVersions(schemaDir);
  const problems = [...loaded.problems];
  if (versions.length === 0) {
    problems.push(
      `${LIBRARY}: no <version>.graphql snapshot in ${relative(cwd, schemaDir) || schemaDir}. ` +
        'Run `schema pull --version <YYYY-MM>`, or pass --schema-dir <dir>.',
    );
  }
  const used = new Set<string>();
  for (const operation of loaded.operations) {
    for (const node of operation.document.definitions)
      if (node.kind === Kind.FRAGMENT_DEFINITION) used.add(node.name.value);
  }
  const fragmentsByName = new Map(loaded.fragments.map((f) => [f.name, f]));
  const unused = loaded.fragments.filter((f) => !used.has(f.name));
  for (const version of versions) {
    let schema: GraphQLSchema;
    try {
      schema = await loadSnapshot(schemaDir, version);
    } catch (error) {
      problems.push(
        `${version}: ${relative(cwd, snapshotPath(schemaDir, version))} is not a readable schema: ` +
          `${(error as Error).message}`,
      );
      continue;
    }
    for (const operation of loaded.operations) {
      problems.push(
        ...describe(version, `${operation.name} (${operation.file})`, validate(schema, operation.document)),
      );
    }
    for (const fragment of unused) {
      const document = withFragments(fragment.node, fragmentsByName);
      problems.push(
        ...describe(version, `fragment ${fragment.name} (${fragment.file})`, validate(schema, document, fragmentRules)),
      );
    }
  }
  return { versions, operations: loaded.operations.map((o) => o.name), problems };
}

function describe(version: string, subject: string, errors: ReturnType<typeof validate>): string[] {
  return errors.map((error) => {
    const at =
      error.source && error.locations?.[0]
        ? ` [${error.source.name}:${error.locations[0].line}:${error.locations[0].column}]`
        : '';
    return `${version}: ${subject}: ${error.message}${at}`;
  });
}
