/** urql's `fetchOptions`: an object, a function urql calls per request, or none. */
type FetchOptions = RequestInit | (() => RequestInit) | undefined;

/** The `fetchOptions` an operation is sent with, given the ones it came with. */
export type RequestOptions = (fetchOptions: FetchOptions) => () => RequestInit;

/**
 * The storefront exchange's request options: `headers` merged into an operation's urql `fetchOptions` (an object or a
 * function), keeping the caller's other headers, and `redirect: 'manual'`. Always a function: urql calls it per
 * request, and the storefront token stays in a closure instead of on `result.operation.context`, where an app
 * logging a result would print it. Without `fetchOptions` (the common case) the options are built once.
 */
export function requestOptions(headers: Readonly<Record<string, string>>): RequestOptions {
  const merge = (options: RequestInit | undefined): RequestInit => {
    const merged = headerRecord(options?.headers);
    for (const name in headers) merged[name.toLowerCase()] = headers[name]!;
    // Never follow a redirect (see the storefront exchange's recording fetch).
    return { ...options, headers: merged, redirect: 'manual' };
  };
  // urql copies what it is given and never writes to it.
  const bare = merge(undefined);
  const none = () => bare;
  return (fetchOptions) =>
    typeof fetchOptions === 'function'
      ? () => merge(fetchOptions())
      : fetchOptions
        ? () => merge(fetchOptions) // read per request: the app may change its object later
        : none;
}

/**
 * A new record of `given` headers (a plain object, a Headers object or a list of pairs), names in lower case, so that a
 * header set on top replaces the caller's whatever its case. A plain object (the usual form) is read as it is: only the
 * other two (both have `forEach`) need a Headers object to normalise them, about 800 B and a few µs per request.
 */
export function headerRecord(given: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  const headers = given as Record<string, string> | undefined;
  if (typeof headers?.forEach === 'function') new Headers(given).forEach((value, name) => (record[name] = value));
  else for (const name in headers) record[name.toLowerCase()] = String(headers[name]);
  return record;
}
