import { API_VERSION_HEADER, PUBLIC_TOKEN_HEADER } from '../runtime/endpoint.js';

/** One GraphQL request to an emulator (or any Storefront endpoint on loopback). */
export interface PostGraphQLOptions {
  /** The emulator's `url`, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The API version in the path. */
  version: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Extra or replacing headers; by default only `Content-Type` and, when `token` is set, the public token header. */
  headers?: Record<string, string>;
  /** A public storefront token, sent in `X-Shopify-Storefront-Access-Token`. */
  token?: string;
}

/** What came back, already read. */
export interface PostGraphQLResult {
  status: number;
  /** `X-Shopify-API-Version` of the answer. */
  version: string | null;
  headers: Headers;
  /** The parsed JSON body (`undefined` when the body is not JSON). */
  body: any;
}

/**
 * Sends one GraphQL POST with global `fetch` and reads the answer: a convenience for tests against the emulator.
 * A redirect is never followed (it would carry the token to another host): a 3xx comes back as it is.
 *
 * @example
 * ```ts
 * const { body } = await postGraphQL({ url: em.url, version: '2026-04', token: em.publicAccessToken, query: '{ shop {
 * name } }' });
 * ```
 */
export async function postGraphQL(options: PostGraphQLOptions): Promise<PostGraphQLResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.token !== undefined) headers[PUBLIC_TOKEN_HEADER] = options.token;
  const response = await fetch(`${options.url}/api/${options.version}/graphql.json`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, ...options.headers },
    body: JSON.stringify({ query: options.query, variables: options.variables, operationName: options.operationName }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    version: response.headers.get(API_VERSION_HEADER),
    headers: response.headers,
    body,
  };
}
