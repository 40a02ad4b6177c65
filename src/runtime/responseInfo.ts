import type { OperationResult } from '@urql/core';

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
