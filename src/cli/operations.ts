import { relative, resolve } from 'node:path';
import type { LoadedOperations } from '../schema/operations.js';
import { parseVersionList } from '../tooling/appVersions.js';
import { resolveOperations, type OperationsPointer } from '../tooling/operationFiles.js';
import { SHIPPED_SCHEMA_DIR, snapshotVersions } from '../tooling/shippedSchemas.js';
import { apiFolder, apiLayout, DEFAULT_API, type SchemaApi } from '../tooling/apis.js';
import { UsageError } from './command.js';

/** The snapshots a command reads (`--schema-dir`, else the shipped ones): the folder, its name for messages, its versions. */
export interface Schemas {
  dir: string;
  where: string;
  /** The versions with a snapshot there, oldest first; none when the folder is missing. */
  versions: string[];
}

/**
 * The {@link Schemas} of `--schema-dir` (`option`), or of the package when it is not given; for the Customer Account
 * API, their `customer-account/` sub-folder.
 */
export function schemasAt(option: string | boolean | undefined, cwd: string, api: SchemaApi = DEFAULT_API): Schemas {
  const dir = apiFolder(typeof option === 'string' ? resolve(cwd, option) : SHIPPED_SCHEMA_DIR, api);
  const shipped = `the ${api === DEFAULT_API ? '' : `${apiLayout(api).title} `}schemas shipped in the package`;
  const where = typeof option === 'string' ? relative(cwd, dir) || dir : shipped;
  let versions: string[];
  try {
    versions = snapshotVersions(dir);
  } catch {
    versions = [];
  }
  return { dir, where, versions };
}

/** The package's own operations: the `operations/` folder beside the shipped schemas (this repository's). */
export const PACKAGE_OPERATIONS_DIR = resolve(SHIPPED_SCHEMA_DIR, '..', 'operations');

/** `--operations` resolved, or a {@link UsageError} naming what it is not. */
export function operationsPointer(given: string, cwd: string): OperationsPointer {
  const pointer = resolveOperations(given, cwd);
  if (!pointer) {
    throw new UsageError(
      `there is no folder or .graphql file at ${JSON.stringify(given)} (--operations): pass the folder of the ` +
        "app's operations, or a quoted glob such as --operations 'app/**/*.graphql'.",
    );
  }
  return pointer;
}

/**
 * Whether `pointer` names the package's own operations (of `api`: `operations/`, `operations-customer-account/`),
 * which maintainers check against every vendored version.
 */
export function isPackageOwn(pointer: OperationsPointer, api: SchemaApi = DEFAULT_API): boolean {
  const own =
    api === DEFAULT_API ? PACKAGE_OPERATIONS_DIR : resolve(SHIPPED_SCHEMA_DIR, '..', apiLayout(api).operationsDir);
  return pointer.kind === 'folder' && pointer.root === own;
}

/** `--versions`, parsed (each well formed), or `undefined` when absent. */
export function askedVersions(value: string | boolean | undefined): string[] | undefined {
  return typeof value === 'string' ? parseVersionList(value) : undefined;
}

/**
 * Reads the operations `pointer` names (graphql is loaded only now, so `--help` runs without it). A pointer that
 * matches no `.graphql` file is a {@link UsageError}: one line, before any schema is read.
 */
export async function loadPointedOperations(pointer: OperationsPointer, cwd: string): Promise<LoadedOperations> {
  const { loadOperations } = await import('../schema/operations.js');
  let matched = 0;
  const loaded = await loadOperations(pointer.root, cwd, (file) => {
    const keep = pointer.matches(file);
    if (keep) matched++;
    return keep;
  });
  if (matched === 0) {
    const where = relative(cwd, pointer.root) || '.';
    throw new UsageError(
      pointer.kind === 'glob'
        ? `--operations ${JSON.stringify(pointer.given)} matches no .graphql or .gql file (looked under ${where}/).`
        : `--operations ${JSON.stringify(pointer.given)} holds no .graphql or .gql file.`,
    );
  }
  return loaded;
}
