/** The prefix every message of this package starts with, so a log line names its source. */
export const LIBRARY = 'storefront-customer-session';

/**
 * Formats a message in the package's one shape:
 * `storefront-customer-session: the provided <what> ("<value>") is invalid. <fix>`
 *
 * @param what - the option or argument that was wrong, e.g. `apiVersion`.
 * @param value - the offending value; shown in quotes. Never pass a secret here.
 * @param fix - what is allowed, or what to do instead.
 */
export function invalidMessage(what: string, value: unknown, fix: string): string {
  return `${LIBRARY}: the provided ${what} (${JSON.stringify(String(value))}) is invalid.${fix && ` ${fix}`}`;
}

/** An error thrown when the package is set up wrong. Its message names the fix. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The {@link ConfigurationError} for {@link invalidMessage}`(what, value, fix)`, for callers to throw. */
export function invalid(what: string, value: unknown, fix: string): ConfigurationError {
  return new ConfigurationError(invalidMessage(what, value, fix));
}
