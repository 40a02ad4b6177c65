import type { IntrospectionQuery } from 'graphql';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';
import {
  assertStoreDomain,
  endpointFor,
  API_VERSION_HEADER,
  PUBLIC_TOKEN_HEADER,
  PRIVATE_TOKEN_HEADER,
} from '../runtime/endpoint.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { INTROSPECTION_QUERY, sha256, type PulledSchema } from './introspection.js';

import { PRIVATE_TOKEN_ENV, PUBLIC_TOKEN_ENV } from './sources.js';

export { PRIVATE_TOKEN_ENV, PUBLIC_TOKEN_ENV } from './sources.js';

/** Options of {@link pullLiveSchema}. */
export interface LiveOptions {
  /** The store's host, e.g. `your-shop.myshopify.com` (https implied; http only for loopback). */
  storeDomain: string;
  /** The API version to introspect, e.g. `2026-07`. */
  version: string;
  /** A public storefront token (sent as `X-Shopify-Storefront-Access-Token`). */
  publicAccessToken?: string;
  /** A private storefront token (sent as `Shopify-Storefront-Private-Token`). */
  privateAccessToken?: string;
  /** The fetch used; the global one by default. */
  fetch?: typeof fetch;
  /** The longest the store may take to answer in full (ms). @defaultValue {@link LIVE_TIMEOUT_MS} */
  timeoutMs?: number;
}

/** No store is waited on for longer than this, its answer's body included. */
export const LIVE_TIMEOUT_MS = 15_000;

/**
 * Introspects a live store's Storefront API at `version`, with the query from
 * {@link INTROSPECTION_QUERY}. Refuses when Shopify answers with another version: it falls forward
 * silently for retired or unreleased versions and says so only in `X-Shopify-API-Version`.
 *
 * The token is sent in a header only; no message this function produces contains it.
 *
 * @throws ConfigurationError for a malformed version or domain, or not exactly one token.
 * @throws Error naming the fix when the store refuses, falls forward, or answers without a schema.
 */
export async function pullLiveSchema(options: LiveOptions): Promise<PulledSchema> {
  assertWellFormedVersion(options.version, 'version');
  const domain = assertStoreDomain(options.storeDomain, 'store domain');
  const { publicAccessToken, privateAccessToken } = options;
  if (!publicAccessToken === !privateAccessToken) {
    throw new ConfigurationError(
      `${LIBRARY}: ` +
        `${publicAccessToken ? 'both storefront tokens are set' : 'no storefront token is set'}; ` +
        `a live pull needs exactly one. Set ${PUBLIC_TOKEN_ENV} (a public token) or ` +
        `${PRIVATE_TOKEN_ENV} (a private token) in the environment.`,
    );
  }
  const url = endpointFor(domain, options.version);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (publicAccessToken) headers[PUBLIC_TOKEN_HEADER] = publicAccessToken;
  if (privateAccessToken) headers[PRIVATE_TOKEN_HEADER] = privateAccessToken;
  const timeoutMs = options.timeoutMs ?? LIVE_TIMEOUT_MS;
  const timedOut = () =>
    new Error(
      `${LIBRARY}: ${url} gave no complete answer within ${timeoutMs / 1000} s. Check the store domain and ` +
        'the network; nothing was written.',
    );
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      // Never follow a redirect: fetch would re-send the storefront token header to whatever host Location names.
      redirect: 'manual',
      headers,
      body: JSON.stringify({ query: INTROSPECTION_QUERY, operationName: 'IntrospectionQuery' }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw timedOut();
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(
      `${LIBRARY}: could not reach ${url}${code ? ` (${code})` : ''}. Check the store domain ` + 'and the network.',
    );
  }
  if (response.redirected || response.type === 'opaqueredirect' || (response.status > 299 && response.status < 400)) {
    throw new Error(
      `${LIBRARY}: ${domain} answered with a redirect (HTTP ${response.status}); it was not followed, so the ` +
        "storefront token went nowhere else. Pass the store's own domain (your-shop.myshopify.com).",
    );
  }
  if (response.status === 401 || response.status === 403) {
    const which = publicAccessToken ? PUBLIC_TOKEN_ENV : PRIVATE_TOKEN_ENV;
    throw new Error(
      `${LIBRARY}: ${domain} refused the storefront token (HTTP ${response.status}). Set ` +
        `${which} to a valid ${publicAccessToken ? 'public' : 'private'} Storefront API token of ` +
        'this store (Shopify admin → Apps → Headless or your custom app).',
    );
  }
  if (!response.ok) {
    throw new Error(
      `${LIBRARY}: introspection of ${url} failed with HTTP ${response.status}. Try again ` +
        'later; nothing was written.',
    );
  }
  const served = response.headers.get(API_VERSION_HEADER);
  if (served !== options.version) {
    throw new Error(
      served
        ? `${LIBRARY}: ${domain} answered with API version "${served}" instead of ` +
            `"${options.version}": Shopify serves another version when the one asked for is retired ` +
            `or not released yet. Refusing to store it as ${options.version}; pull a supported ` +
            'version.'
        : `${LIBRARY}: ${domain} did not say which API version answered (no ${API_VERSION_HEADER} ` +
            `header), so the schema cannot be stored as ${options.version}. Is this a Storefront API ` +
            'endpoint?',
    );
  }
  const text = await response.text().catch(() => {
    if (signal.aborted) throw timedOut();
    return '';
  });
  let body: { data?: IntrospectionQuery; errors?: Array<{ message?: string }> } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (!body?.data?.__schema) {
    // The server's own words, but never the token it was sent (a proxy may echo it back).
    const secrets = [publicAccessToken, privateAccessToken].filter((t): t is string => !!t);
    const said = body?.errors?.map((e) => e.message).join('; ') ?? '';
    const detail = secrets.reduce((out, t) => out.split(t).join('[token]'), said) || 'no JSON body with data.__schema';
    throw new Error(`${LIBRARY}: introspection of ${url} returned no schema: ${detail}.`);
  }
  return { introspection: body.data, source: `${url} (live introspection)`, sha256: sha256(text) };
}
