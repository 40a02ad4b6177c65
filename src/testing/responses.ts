import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_VERSION_HEADER,
  BUYER_IP_HEADER,
  DEPRECATED_REASON_HEADER,
  PRIVATE_TOKEN_HEADER,
  PUBLIC_TOKEN_HEADER,
} from '../runtime/endpoint.js';
import type { Fault, FaultStatus } from './types.js';

/** Headers on every answer so that a page on another origin can call the emulator and read the version. */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': [API_VERSION_HEADER, DEPRECATED_REASON_HEADER, 'Retry-After'].join(', '),
} as const;

const CORS_FLAT = Object.entries(CORS_HEADERS).flat();

/** The preflight answer's extra headers: POST with JSON and either token header (plus the official SDK's headers). */
export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
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

/** Writes a complete answer with a JSON (or other) body. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
  contentType = 'application/json; charset=utf-8',
): void {
  // The flat [name, value, …] form skips Node's per-call header object handling: this is the hot path.
  const flat: string[] = [...CORS_FLAT, 'Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(body))];
  for (const name in headers) flat.push(name, headers[name]!);
  res.writeHead(status, flat);
  res.end(body);
}

/** A JSON error body in GraphQL's `errors` shape. */
export function errorBody(message: string, code?: string): string {
  return JSON.stringify({ errors: [code ? { message, extensions: { code } } : { message }] });
}

const STATUS_ERRORS: Record<FaultStatus, [string, string]> = {
  401: ['Unauthorized', 'UNAUTHORIZED'],
  402: ['Unavailable Shop: this shop is frozen (payment required).', 'PAYMENT_REQUIRED'],
  403: ['Forbidden', 'FORBIDDEN'],
  423: ['Unavailable Shop: this shop is locked.', 'SHOP_LOCKED'],
  429: ['Throttled', 'THROTTLED'],
  430: ['Shopify Security Rejection', 'SECURITY_REJECTION'],
  500: ['Internal error. Looks like something went wrong on our end.', 'INTERNAL_SERVER_ERROR'],
  502: ['Bad Gateway', 'BAD_GATEWAY'],
  503: ['Service Unavailable', 'SERVICE_UNAVAILABLE'],
};

/** Plays a non-latency fault on `res` (or its socket). */
export function playFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: Exclude<Fault, { kind: 'latency' }>,
  headers: Record<string, string>,
): void {
  switch (fault.kind) {
    case 'status': {
      const [message, code] = STATUS_ERRORS[fault.status] ?? ['Error', 'ERROR'];
      const extra: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
      send(res, fault.status, errorBody(message, code), { ...headers, ...extra });
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'truncated-body': {
      const body = JSON.stringify({
        data: { customerAccessTokenRenew: { customerAccessToken: null, userErrors: [] } },
      });
      res.writeHead(200, {
        ...CORS_HEADERS,
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.write(body.slice(0, Math.floor(body.length / 2)), () => req.socket.destroy());
      return;
    }
    case 'non-json-body':
      send(
        res,
        200,
        '<!DOCTYPE html><html><body><h1>Something went wrong</h1></body></html>',
        headers,
        'text/html; charset=utf-8',
      );
      return;
  }
}
