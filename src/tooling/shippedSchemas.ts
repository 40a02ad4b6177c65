import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The schema snapshots shipped with the package: `schema/` in this repository, `dist/schema/` in the installed
 * package (scripts/build.mjs copies them there). Found relative to this module, so the same path works from `src/`
 * and from `dist/src/`. The CLI's `codegen`, `schema check` and `schema diff` default to it.
 */
export const SHIPPED_SCHEMA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');

/** The shipped `<YYYY-MM>.graphql` versions (and `unstable`, when shipped), oldest first. */
export function shippedVersions(dir: string = SHIPPED_SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => /^(\d{4}-(01|04|07|10)|unstable)\.graphql$/.test(name))
    .map((name) => name.slice(0, -'.graphql'.length))
    .sort();
}
