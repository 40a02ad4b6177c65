import type { OperationResult } from '@urql/core';
import { API_VERSION_HEADER, DEPRECATED_REASON_HEADER } from './endpoint.js';

/**
 * What the storefront exchange learnt from the HTTP response of an operation, attached to every result it
 * lets through as `result.extensions.storefront` (read it typed with {@link storefrontInfo}).
 */
export interface StorefrontResponseInfo {
  /** The version the documents were generated for, and the one in the request URL. */
  requestedVersion: string;
  /** `X-Shopify-API-Version`: the version that actually answered (`null` when no response arrived). */
  servedVersion: string | null;
  /** Whether `servedVersion` differs from `requestedVersion`: Shopify fell forward and the types may be wrong. */
  versionMismatch: boolean;
  /** `X-Shopify-API-Deprecated-Reason`, when the request touched something deprecated. */
  deprecatedReason: string | null;
  /** The last HTTP status (`null` when no response arrived). */
  status: number | null;
  /** Requests sent for this result, retries included. */
  attempts: number;
}

/** The key under `result.extensions` where {@link StorefrontResponseInfo} lives. */
export const STOREFRONT_EXTENSION = 'storefront';

/**
 * The typed response information of a result that went through a storefront exchange.
 *
 * @example
 * ```ts
 * const info = storefrontInfo(result);
 * if (info?.versionMismatch) report(`asked ${info.requestedVersion}, got ${info.servedVersion}`);
 * ```
 */
export function storefrontInfo(result: Pick<OperationResult, 'extensions'>): StorefrontResponseInfo | undefined {
  const info = result.extensions?.[STOREFRONT_EXTENSION] as StorefrontResponseInfo | undefined;
  return info && typeof info.requestedVersion === 'string' ? info : undefined;
}

/** What one HTTP attempt answered; filled in by {@link recordingFetch}. */
export interface ResponseRecord {
  /** `null` until a response arrives; stays `null` on a network error. */
  status: number | null;
  servedVersion: string | null;
  deprecatedReason: string | null;
  retryAfter: string | null;
}

/** An empty record for a new attempt. */
export function newRecord(): ResponseRecord {
  return { status: null, servedVersion: null, deprecatedReason: null, retryAfter: null };
}

/**
 * Wraps `fetch` so that the response headers of this one attempt are recorded: urql hands a successful
 * result no `Response`, so this is the only place the served version can be read for every operation.
 */
export function recordingFetch(base: typeof fetch, record: ResponseRecord): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    record.status = response.status;
    record.servedVersion = response.headers.get(API_VERSION_HEADER);
    record.deprecatedReason = response.headers.get(DEPRECATED_REASON_HEADER);
    record.retryAfter = response.headers.get('Retry-After');
    return response;
  };
}
