import { invalid } from './errors.js';

/** A Storefront API version handle: `YYYY-MM` with MM in 01, 04, 07, 10, or `unstable`. */
export type ApiVersionHandle = `${number}-${'01' | '04' | '07' | '10'}` | 'unstable';

/**
 * How long Shopify supports a stable version after its release, in months; it stays reachable a fortnight longer
 * (see {@link retirementTime}).
 */
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

/** The hour (UTC) of the 1st of its month at which Shopify releases a stable version. */
export const RELEASE_HOUR_UTC = 17;

/**
 * A version stays reachable until this day of the month, {@link SUPPORT_MONTHS} months after its release, at
 * {@link REACHABLE_UNTIL_HOUR_UTC} (the 2026-10 reference page: "Accessible until October 16, 2027 15:00 UTC").
 */
export const REACHABLE_UNTIL_DAY = 16;

/** The hour (UTC) of {@link REACHABLE_UNTIL_DAY} from which a version falls forward. */
export const REACHABLE_UNTIL_HOUR_UTC = 15;

function yearAndMonth(version: string): [year: number, monthIndex: number] {
  const match = STABLE_VERSION.exec(version);
  if (!match) throw invalid('apiVersion', version, ALLOWED);
  return [Number(match[1]), Number(match[2]) - 1];
}

/** The instant (UTC, ms) a stable version is released: 17:00 UTC on the 1st of its month. */
export function releaseTime(version: string): number {
  const [year, month] = yearAndMonth(version);
  return Date.UTC(year, month, 1, RELEASE_HOUR_UTC);
}

/**
 * The first instant (UTC, ms) Shopify no longer serves a stable version as itself (it falls forward from then):
 * 15:00 UTC on the 16th, {@link SUPPORT_MONTHS} months after its release (2025-07: 2026-07-16T15:00Z).
 */
export function retirementTime(version: string): number {
  const [year, month] = yearAndMonth(version);
  return Date.UTC(year, month + SUPPORT_MONTHS, REACHABLE_UNTIL_DAY, REACHABLE_UNTIL_HOUR_UTC);
}

/** An instant of the calendar as messages print it: `2026-07-16 15:00 UTC`. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The stable version released `quarters` quarters after `version` (negative goes back). */
export function shiftVersion(version: string, quarters: number): ApiVersionHandle {
  const [year, month] = yearAndMonth(version);
  const shifted = month + quarters * 3;
  const mm = String((((shifted % 12) + 12) % 12) + 1).padStart(2, '0');
  return `${year + Math.floor(shifted / 12)}-${mm}` as ApiVersionHandle;
}

/** The newest stable version released at or before `now` (a quarter's version from 17:00 UTC on its 1st). */
export function currentVersion(now: number): ApiVersionHandle {
  const date = new Date(now);
  const quarterMonth = Math.floor(date.getUTCMonth() / 3) * 3 + 1;
  const quarter = `${date.getUTCFullYear()}-${String(quarterMonth).padStart(2, '0')}` as ApiVersionHandle;
  return now < releaseTime(quarter) ? shiftVersion(quarter, -1) : quarter;
}

/**
 * The stable versions Shopify serves as themselves at `now`, oldest first: every version released at or before
 * `now` and not yet past its {@link retirementTime}. Four at a time, five in the fortnight after a release (from
 * 17:00 UTC on the 1st until 15:00 UTC on the 16th, the oldest is still served).
 */
export function supportedVersions(now: number): ApiVersionHandle[] {
  const versions: ApiVersionHandle[] = [];
  for (let version = currentVersion(now); retirementTime(version) > now; version = shiftVersion(version, -1)) {
    versions.unshift(version);
  }
  return versions;
}

/**
 * The release candidate at `now`: the next quarter's version, listed from the moment the current one is released
 * (served as itself, reported unsupported).
 */
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

/**
 * What Shopify serves for a request to `version` at `now`: the version itself while it is supported, the
 * release candidate or `unstable`; the oldest supported version for a retired or unreleased one (HTTP 200,
 * said only in `X-Shopify-API-Version`).
 */
export function servedVersion(version: string, now: number): ApiVersionHandle {
  const status = versionStatus(version, now);
  return status === 'retired' || status === 'unreleased' ? supportedVersions(now)[0]! : (version as ApiVersionHandle);
}

/**
 * The next instant after `now` at which what Shopify serves changes: the release candidate's release, or the
 * oldest supported version falling forward, whichever comes first.
 */
export function nextCalendarChange(now: number): number {
  return Math.min(releaseTime(releaseCandidate(now)), retirementTime(supportedVersions(now)[0]!));
}
