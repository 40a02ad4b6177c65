import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareVersions, isWellFormedVersion } from '../runtime/versions.js';

/**
 * The schema snapshots shipped with the package: `schema/` in this repository, `dist/schema/` in the installed
 * package (scripts/build.mjs copies them there). Found relative to this module, so the same path works from `src/`
 * and from `dist/src/`. The CLI's `codegen`, `schema check` and `schema diff` default to it.
 */
export const SHIPPED_SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

/**
 * The versions that have a `<version>.graphql` snapshot in `dir` (`YYYY-MM` with MM in 01, 04, 07, 10, and
 * `unstable`), oldest first: the one rule for "which versions are vendored", used by codegen.ts, the CLI, the
 * emulator, the benchmarks and the new-version detector.
 */
export function snapshotVersions(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .map((name) => name.slice(0, -'.graphql'.length))
    .filter((name) => isWellFormedVersion(name))
    .sort(compareVersions);
}

/** The shipped versions, oldest first. */
export function shippedVersions(dir: string = SHIPPED_SCHEMA_DIR): string[] {
  return snapshotVersions(dir);
}
