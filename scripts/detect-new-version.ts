/**
 * Used by the scheduled job of `.github/workflows/storefront-schemas.yml`: compares the Storefront API
 * versions released at `now` (the calendar in src/runtime/versions.ts) with the snapshots vendored in `schema/`, and
 * says which
 * stable versions to add, which release candidate is out, and which vendored versions Shopify no longer
 * supports. Writes `key=value` lines to `$GITHUB_OUTPUT` when it is set.
 *
 * Usage: npx tsx scripts/detect-new-version.ts [--now <ISO date>] [--schema-dir <dir>]
 */
import { appendFileSync } from 'node:fs';
import { snapshotVersions } from '../src/tooling/shippedSchemas.js';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  compareVersions,
  currentVersion,
  releaseCandidate,
  supportedVersions,
  versionStatus,
} from '../src/runtime/versions.js';

/** What the scheduled job needs to know. */
export interface VersionReport {
  /** The newest stable version released at `now`. */
  current: string;
  /** The next quarter's release candidate at `now`. */
  candidate: string;
  /**
   * The stable versions released after the newest vendored one, up to `current`, oldest first; empty
   * when `schema/` is up to date. Only versions Shopify still supports are listed.
   */
  add: string[];
  /** The newest vendored stable version (what a new one is diffed against), or `''` when none is vendored. */
  newest: string;
  /**
   * Vendored stable versions that have retired at `now` (Shopify serves the oldest supported for them), oldest first.
   */
  unsupported: string[];
}

/** Compares what Shopify has released at `now` with the `vendored` versions. */
export function detectNewVersion(now: number, vendored: readonly string[]): VersionReport {
  const current = currentVersion(now);
  const stable = vendored.filter((v) => v !== 'unstable');
  const newest = [...stable].sort(compareVersions).at(-1);
  const supported = supportedVersions(now);
  const add = supported.filter((v) => newest === undefined || compareVersions(v, newest) > 0);
  return {
    current,
    candidate: releaseCandidate(now),
    add,
    newest: newest ?? '',
    unsupported: stable.filter((v) => versionStatus(v, now) === 'retired').sort(compareVersions),
  };
}

/** The versions that have a `<version>.graphql` snapshot in `dir`. */
export function vendoredVersions(dir: string): string[] {
  return snapshotVersions(dir);
}

function run(): void {
  const { values } = parseArgs({
    options: { now: { type: 'string' }, 'schema-dir': { type: 'string', default: 'schema' } },
  });
  const now = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(now)) {
    console.error(
      `detect-new-version: the provided --now ("${values.now}") is invalid. Expected an ISO date, e.g. 2026-07-15.`,
    );
    process.exit(2);
  }
  const report = detectNewVersion(now, vendoredVersions(values['schema-dir']!));
  const lines = [
    `current=${report.current}`,
    `candidate=${report.candidate}`,
    `add=${report.add.join(' ')}`,
    `newest=${report.newest}`,
    `unsupported=${report.unsupported.join(' ')}`,
  ];
  console.log(lines.join('\n'));
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) run();
