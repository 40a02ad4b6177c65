import type { Answer } from '../responses.js';

/** Token answers and errors are never cached (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** A JSON answer that no cache keeps. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return { kind: 'reply', status, body: JSON.stringify(value), headers: { ...NO_STORE, ...headers } };
}

/**
 * An OAuth error answer, `{ error, error_description? }` (RFC 6749 §5.2). A 401 carries `WWW-Authenticate`, as a
 * failed HTTP Basic client authentication must. The description never names a token.
 */
export function oauthError(
  status: number,
  error: string,
  description?: string,
  extra: Record<string, string> = {},
): Answer {
  const headers: Record<string, string> =
    status === 401 ? { 'WWW-Authenticate': 'Basic realm="oauth"', ...extra } : extra;
  return jsonReply(status, description === undefined ? { error } : { error, error_description: description }, headers);
}

/** A 302 to `location`, empty body. */
export function redirect(location: string): Answer {
  return { kind: 'reply', status: 302, body: '', headers: { ...NO_STORE, Location: location }, contentType: null };
}

/** `url` with `params` appended to its query (existing parameters kept, RFC 6749 §3.1.2). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) target.searchParams.append(name, value);
  return target.href;
}
