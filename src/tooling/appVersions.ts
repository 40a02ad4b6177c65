import { invalid } from '../runtime/errors.js';
import {
  assertWellFormedVersion,
  formatInstant,
  retirementTime,
  servedVersion,
  supportedVersions,
  versionStatus,
} from '../runtime/versions.js';

/** `2026-01, 2026-04 ,` → `['2026-01', '2026-04']`: a `--versions` value, each one checked to be well formed. */
export function parseVersionList(text: string): string[] {
  const versions = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const version of versions) assertWellFormedVersion(version, 'version');
  return versions;
}

/** What {@link chooseVersions} decides from. */
export interface VersionChoice {
  /** The versions asked for (`--versions`, `versions`), if any. */
  asked?: readonly string[] | undefined;
  /** The versions there are schemas for, oldest first. */
  available: readonly string[];
  /** Where `available` is, for the message when a version is missing, e.g. `the schemas shipped in the package`. */
  where: string;
  /**
   * Whether the operations are the package's own (`operations/` beside the shipped schemas): then every available
   * version, retired ones included, is the default, as the maintainers check and generate them.
   */
  packageOwn: boolean;
  /** Now (ms), for Shopify's calendar. */
  now: number;
}

/**
 * The API versions to check or generate an app's operations for: the ones asked for, each of which must be
 * available; otherwise the available ones Shopify supports at `now` (an app has no use for a retired version,
 * and a field added since would fail against it). The package's own operations default to every available version.
 *
 * @throws ConfigurationError naming the fix: a version asked for that is not available, or no available version
 *   Shopify supports (a package too old for today's calendar).
 */
export function chooseVersions(choice: VersionChoice): string[] {
  const { asked, available, where, packageOwn, now } = choice;
  for (const version of asked ?? []) {
    if (!available.includes(version))
      throw invalid('version', version, `There is no ${version} schema in ${where}: ${available.join(', ')}.`);
  }
  if (asked?.length) return [...new Set(asked)];
  if (packageOwn) return [...available];
  const supported: string[] = supportedVersions(now);
  const chosen = available.filter((v) => supported.includes(v));
  if (chosen.length === 0) {
    throw invalid(
      'versions',
      '',
      `None of ${available.join(', ')} (${where}) is supported by Shopify on ${day(now)} ` +
        `(${supported.join(', ')} are): update storefront-customer-session, or pass --versions.`,
    );
  }
  return chosen;
}

/**
 * One warning per version asked for an app's operations that Shopify has retired at `now`: what it serves
 * instead, and which versions to generate for.
 */
export function retiredVersionWarnings(
  versions: readonly string[],
  available: readonly string[],
  now: number,
  title = 'Storefront',
): string[] {
  const supported: string[] = supportedVersions(now);
  return versions
    .filter((v) => versionStatus(v, now) === 'retired')
    .map(
      (v) =>
        `warning: ${title} API ${v} retired on ${formatInstant(retirementTime(v))}; Shopify serves ` +
        `${servedVersion(v, now)} for it. Use a supported version: ` +
        `${available.filter((a) => supported.includes(a)).join(', ')}.`,
    );
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
