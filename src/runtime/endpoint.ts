import { invalid } from './errors.js';

/** Request header carrying a public storefront token; safe in browsers. */
export const PUBLIC_TOKEN_HEADER = 'X-Shopify-Storefront-Access-Token';
/** Request header carrying a private storefront token; server only. */
export const PRIVATE_TOKEN_HEADER = 'Shopify-Storefront-Private-Token';
/** Request header with the buyer's IP, sent with the private token. */
export const BUYER_IP_HEADER = 'Shopify-Storefront-Buyer-IP';
/** Response header naming the API version that actually served the request. */
export const API_VERSION_HEADER = 'X-Shopify-API-Version';
/** Response header present when the request touched something deprecated. */
export const DEPRECATED_REASON_HEADER = 'X-Shopify-API-Deprecated-Reason';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(?::\d{1,5})?$/;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/;

/** Whether a host (with optional port) is on this machine; only those may be reached over plain http. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Normalises a store domain (`shop.myshopify.com`, `https://shop.example.com/`) to its host, or
 * throws a {@link ConfigurationError} that names the fix. Plain `http://` is accepted only for
 * loopback hosts (a local emulator); Shopify is always https.
 */
export function assertStoreDomain(value: unknown, what = 'storeDomain'): string {
  const fix = (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
    ? 'Expected a host name such as "your-shop.myshopify.com" or "shop.example.com" (https is implied).'
    : '';
  if (typeof value !== 'string' || value.trim() === '') throw invalid(what, value, fix);
  const trimmed = value.trim().toLowerCase().replace(/\/+$/, '');
  const match = /^(?:(https?):\/\/)?([^/?#]+)$/.exec(trimmed);
  const host = match?.[2];
  if (!match || !host || !(HOST.test(host) || isLoopbackHost(host))) {
    throw invalid(what, value, fix);
  }
  if (match[1] === 'http' && !isLoopbackHost(host)) {
    throw invalid(
      what,
      value,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Shopify is only served over https; drop "http://".'
        : '',
    );
  }
  return host;
}

/** The GraphQL endpoint for a (normalised) store host and version. */
export function endpointFor(host: string, version: string): string {
  const scheme = isLoopbackHost(host) ? 'http' : 'https';
  return `${scheme}://${host}/api/${version}/graphql.json`;
}

/** How a caller names the two storefront tokens in its messages: options in code, variables in a shell. */
export interface TokenNames {
  public: string;
  private: string;
  /** `Pass` for options, `Set` for environment variables. */
  verb: 'Pass' | 'Set';
  /** Who needs the token, e.g. "storefrontExchange" or "renew". */
  who: string;
  /** Appended to the fix, e.g. " in the environment". */
  where?: string;
}

/**
 * The one-storefront-token rule, for the exchange, the CLI and live schema pulls alike: exactly one of the
 * public and the private token. Never echoes a token.
 *
 * @returns which token is set and the header that carries it.
 * @throws ConfigurationError naming the fix when none or both are set.
 */
export function exactlyOneToken(
  publicToken: string | undefined,
  privateToken: string | undefined,
  names: TokenNames,
): { kind: 'public' | 'private'; header: string; token: string } {
  const where = names.where ?? '';
  if (publicToken === undefined && privateToken === undefined) {
    throw invalid(
      'access token',
      '(none)',
      (typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true)
        ? ''
        : `${names.who} needs exactly one storefront token: ${names.verb.toLowerCase()} ${names.public} ` +
            `(public, browsers and servers) or ${names.private} (private, servers only)${where}.`,
    );
  }
  if (publicToken !== undefined && privateToken !== undefined) {
    throw invalid(
      'access token',
      `${names.public} and ${names.private}`,
      (typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true)
        ? ''
        : `Both ${names.public} and ${names.private} are set; ${names.verb === 'Set' ? 'unset' : 'drop'} one: ` +
            `${names.public} in browsers, ${names.private} on servers.`,
    );
  }
  return publicToken !== undefined
    ? { kind: 'public', header: PUBLIC_TOKEN_HEADER, token: publicToken }
    : { kind: 'private', header: PRIVATE_TOKEN_HEADER, token: privateToken! };
}
