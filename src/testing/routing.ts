import { compareVersions, isWellFormedVersion, servedVersion, supportedVersions } from '../runtime/versions.js';

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
 * Decides which version serves a request for `requested` at `now`, the way Shopify does (see
 * {@link servedVersion}): a supported or release-candidate version serves itself; `unstable` is served (by
 * `unstable.graphql` when vendored, else by the newest stable snapshot); a retired or unreleased version falls
 * forward to the oldest supported one. The emulator can only run vendored snapshots, so when the version Shopify
 * would serve is not vendored, the closest vendored version at or after it serves (else the newest vendored), and
 * the header names what really served.
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
  const target = servedVersion(requested, now);
  if (vendored.includes(target)) return { header: target, schemaVersion: target };
  const oldest = supportedVersions(now)[0]!;
  const served = vendored.find((version) => compareVersions(version, oldest) >= 0) ?? newest;
  return { header: served, schemaVersion: served };
}

/**
 * Whether the emulator serves `version` as itself at `now`: only then may `publicApiVersions` list it.
 *
 * @param vendored - the vendored stable versions, oldest first.
 */
export function servesAsItself(
  version: string,
  now: number,
  vendored: readonly string[],
  hasUnstable = false,
): boolean {
  return resolveVersion(version, now, vendored, hasUnstable).header === version;
}
