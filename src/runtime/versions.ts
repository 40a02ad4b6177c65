import { invalid } from './errors.js';

/** A Storefront API version handle: `YYYY-MM` with MM in 01, 04, 07, 10, or `unstable`. */
export type ApiVersionHandle = `${number}-${'01' | '04' | '07' | '10'}` | 'unstable';

/** How long Shopify supports a stable version after its release, in months. */
export const SUPPORT_MONTHS = 12;

const STABLE_VERSION = /^(\d{4})-(01|04|07|10)$/;
const ALLOWED = 'Expected YYYY-MM with MM in 01, 04, 07, 10, or "unstable".';

/** Whether `value` is a well-formed version handle (it may still be unsupported or unknown). */
export function isWellFormedVersion(value: unknown): value is ApiVersionHandle {
  return value === 'unstable' || (typeof value === 'string' && STABLE_VERSION.test(value));
}

/**
 * Throws a {@link ConfigurationError} naming the fix unless `value` is a well-formed version.
 *
 * @param value - the version to check.
 * @param what - the option name used in the message.
 */
export function assertWellFormedVersion(value: unknown, what = 'apiVersion'): asserts value is ApiVersionHandle {
  if (!isWellFormedVersion(value)) throw invalid(what, value, ALLOWED);
}

/** The first instant (UTC, ms) a stable version is released: the first day of its month. */
export function releaseTime(version: string): number {
  const match = STABLE_VERSION.exec(version);
  if (!match) throw invalid('apiVersion', version, ALLOWED);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
}

/** The stable version released `quarters` quarters after `version` (negative goes back). */
export function shiftVersion(version: string, quarters: number): ApiVersionHandle {
  const release = new Date(releaseTime(version));
  const month = release.getUTCMonth() + quarters * 3;
  const year = release.getUTCFullYear() + Math.floor(month / 12);
  const mm = String((((month % 12) + 12) % 12) + 1).padStart(2, '0');
  return `${year}-${mm}` as ApiVersionHandle;
}

/** The newest stable version released at or before `now`. */
export function currentVersion(now: number): ApiVersionHandle {
  const date = new Date(now);
  const quarterMonth = Math.floor(date.getUTCMonth() / 3) * 3 + 1;
  return `${date.getUTCFullYear()}-${String(quarterMonth).padStart(2, '0')}` as ApiVersionHandle;
}

/**
 * The stable versions Shopify supports at `now`, oldest first: every version released in the last
 * {@link SUPPORT_MONTHS} months (four at a time).
 */
export function supportedVersions(now: number): ApiVersionHandle[] {
  const newest = currentVersion(now);
  const count = SUPPORT_MONTHS / 3;
  return Array.from({ length: count }, (_, i) => shiftVersion(newest, i - count + 1));
}

/** The release candidate at `now`: the next quarter's version, served but reported unsupported. */
export function releaseCandidate(now: number): ApiVersionHandle {
  return shiftVersion(currentVersion(now), 1);
}

/** Compares two stable version handles chronologically (`unstable` sorts last). */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'unstable') return 1;
  if (b === 'unstable') return -1;
  return releaseTime(a) - releaseTime(b);
}

/**
 * Where a version stands in Shopify's calendar at `now`: served as itself (`supported`, `release-candidate`,
 * `unstable`), or not (`retired`: older than every supported version; `unreleased`: newer than the candidate).
 */
export type VersionStatus = 'supported' | 'release-candidate' | 'unstable' | 'retired' | 'unreleased';

/** The calendar at `now` for one well-formed version: see {@link VersionStatus}. */
export function versionStatus(version: string, now: number): VersionStatus {
  if (version === 'unstable') return 'unstable';
  const supported: string[] = supportedVersions(now);
  if (supported.includes(version)) return 'supported';
  if (version === releaseCandidate(now)) return 'release-candidate';
  return compareVersions(version, supported[0]!) < 0 ? 'retired' : 'unreleased';
}

/** The first instant (UTC, ms) a stable version is no longer supported: when the fourth newer one is released. */
export function retirementTime(version: string): number {
  return releaseTime(shiftVersion(version, SUPPORT_MONTHS / 3));
}

/**
 * What Shopify serves for a request to `version` at `now`: the version itself while it is supported, the
 * release candidate or `unstable`; the oldest supported version for a retired or unreleased one (HTTP 200,
 * said only in `X-Shopify-API-Version`).
 */
export function servedVersion(version: string, now: number): ApiVersionHandle {
  const status = versionStatus(version, now);
  return status === 'retired' || status === 'unreleased' ? supportedVersions(now)[0]! : (version as ApiVersionHandle);
}
