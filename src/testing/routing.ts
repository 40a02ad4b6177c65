import { compareVersions, isWellFormedVersion, releaseCandidate, supportedVersions } from '../runtime/versions.js';

/** Matches the Storefront GraphQL path and captures the version segment. */
const GRAPHQL_PATH = /^\/api\/([^/]+)\/graphql\.json$/;

/** Which vendored schema answers, and the version named in `X-Shopify-API-Version`. */
export interface ServedVersion {
  /** The version reported to the client. */
  header: string;
  /** The vendored snapshot that executes the request. */
  schemaVersion: string;
}

/** The version segment of a Storefront GraphQL path, or `undefined` when the path is not one (404). */
export function versionFromPath(url: string): string | undefined {
  const path = url.split('?', 1)[0] ?? '';
  const version = GRAPHQL_PATH.exec(path)?.[1];
  return version !== undefined && isWellFormedVersion(version) ? version : undefined;
}

/**
 * Decides which version serves a request for `requested` at `now`, the way Shopify does: a supported (or
 * release-candidate) vendored version serves itself; `unstable` is served (by `unstable.graphql` when vendored,
 * else by the newest stable snapshot); anything else (retired, or never vendored) falls forward to the oldest
 * supported version. The emulator can only run vendored snapshots, so when that one is missing too, the closest
 * vendored version at or after it serves (else the newest vendored), and the header names what really served.
 *
 * @param requested - a well-formed version handle from the request path.
 * @param now - the emulator clock, which decides what is supported.
 * @param vendored - the vendored stable versions, oldest first.
 * @param hasUnstable - whether an `unstable` snapshot is vendored.
 * @returns the version to report and the snapshot to execute with.
 */
export function resolveVersion(
  requested: string,
  now: number,
  vendored: readonly string[],
  hasUnstable = false,
): ServedVersion {
  const newest = vendored[vendored.length - 1]!;
  if (requested === 'unstable') return { header: 'unstable', schemaVersion: hasUnstable ? 'unstable' : newest };
  const isLive = supportedVersions(now).includes(requested as never) || requested === releaseCandidate(now);
  if (isLive && vendored.includes(requested)) return { header: requested, schemaVersion: requested };
  const target = supportedVersions(now)[0]!;
  const served = vendored.find((version) => compareVersions(version, target) >= 0) ?? newest;
  return { header: served, schemaVersion: served };
}
