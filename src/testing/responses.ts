import {
  API_VERSION_HEADER,
  BUYER_IP_HEADER,
  DEPRECATED_REASON_HEADER,
  PRIVATE_TOKEN_HEADER,
  PUBLIC_TOKEN_HEADER,
} from '../runtime/endpoint.js';

/**
 * What the emulator answers, before any transport writes it: a reply (optionally cut short after `cutAt`
 * characters, the connection then dropped), or a dropped connection. The `fetch` handler and the `node:http`
 * server each turn it into their own kind of answer.
 */
export type Answer =
  | {
      kind: 'reply';
      status: number;
      /** Headers besides CORS, `Content-Type` and `Content-Length`, which the transport adds. */
      headers: Record<string, string>;
      body: string;
      /** @defaultValue JSON; `null` for no `Content-Type` (an empty preflight answer). */
      contentType?: string | null;
      /** Send only this many characters of `body` (with the full `Content-Length`), then drop the connection. */
      cutAt?: number;
      /** With `cutAt`: hold the connection open after the part sent until this settles, then drop it. */
      stall?: Promise<void>;
    }
  | { kind: 'reset' };

/** The `Content-Type` of every JSON answer. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers on every answer so that a page on another origin can call the emulator and read the version. */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': [API_VERSION_HEADER, DEPRECATED_REASON_HEADER, 'Retry-After'].join(', '),
} as const;

/** The methods the GraphQL path serves (anything else is a 405). */
export const ALLOWED_METHODS = 'POST, OPTIONS';

/** The preflight answer's extra headers: POST with JSON and either token header (plus the official SDK's headers). */
export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': ALLOWED_METHODS,
  'Access-Control-Allow-Headers': [
    'Content-Type',
    'Accept',
    PUBLIC_TOKEN_HEADER,
    PRIVATE_TOKEN_HEADER,
    BUYER_IP_HEADER,
    'X-SDK-Variant',
    'X-SDK-Version',
    'X-SDK-Variant-Source',
  ].join(', '),
  'Access-Control-Max-Age': '86400',
} as const;

/** The value Shopify sends in `X-Shopify-API-Deprecated-Reason`. */
export const DEPRECATED_REASON = 'https://shopify.dev/api/usage/versioning#deprecation-practices';

/** A JSON reply. */
export function reply(status: number, body: string, headers: Record<string, string>): Answer {
  return { kind: 'reply', status, body, headers };
}

/** A JSON error body in GraphQL's `errors` shape. */
export function errorBody(message: string, code?: string): string {
  return JSON.stringify({ errors: [code ? { message, extensions: { code } } : { message }] });
}
