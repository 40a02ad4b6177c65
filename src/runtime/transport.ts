import type { Operation, OperationContext, OperationResult } from '@urql/core';
import { filter, pipe, type Source } from 'wonka';
import { isField, operationOf } from './documents.js';
import { isTransientStatus, parseRetryAfter, wasRefusedUnprocessed } from './storefrontRetry.js';
import type { ResponseRecord } from './responseInfo.js';
import type { StorefrontUnavailable } from './signals.js';

/** Per-attempt state the storefront exchange keeps on `operation.context`. */
export interface StorefrontAttempt {
  /** 1 for the first request. */
  attempt: number;
  record: ResponseRecord;
  /** The `fetch` being wrapped, kept so a retry wraps it afresh instead of wrapping the wrapper. */
  baseFetch: typeof fetch;
}

/** The context key of {@link StorefrontAttempt}. */
export const ATTEMPT_KEY = 'storefrontAttempt';

/** The storefront exchange's per-attempt state of an operation, if it went through one. */
export function attemptOf(operation: Operation): StorefrontAttempt | undefined {
  return operation.context[ATTEMPT_KEY] as StorefrontAttempt | undefined;
}

/** The teardown of the operation `key` in an exchange's operations stream: ends whatever waits on that operation. */
export function teardownOf(ops$: Source<Operation>, key: number): Source<Operation> {
  return pipe(
    ops$,
    filter((op) => op.kind === 'teardown' && op.key === key),
  );
}

/**
 * Root fields that may be sent again after a failure that might have come after they ran: renewing twice
 * gives a valid token either way (the old one keeps working); deleting twice answers "already invalid",
 * which sign-out treats as done; signing in twice at worst leaves an unused token to expire.
 */
const IDEMPOTENT_FIELDS = new Set([
  'customerAccessTokenRenew',
  'customerAccessTokenCreate',
  'customerAccessTokenDelete',
]);

/**
 * Whether an operation may be sent again after a transport failure with this status. Queries always;
 * subscriptions never; mutations when the server refused them unprocessed (429, 430, 503), when every root
 * field is one of the token mutations, or when the app marked the operation `context.idempotent: true`.
 */
export function isSafeToRetry(operation: Operation, status: number | null): boolean {
  if (operation.kind === 'query') return true;
  if (operation.kind !== 'mutation') return false;
  if (
    wasRefusedUnprocessed(status) ||
    (operation.context as OperationContext & { idempotent?: boolean }).idempotent === true
  )
    return true;
  const selections = operationOf(operation.query)?.selectionSet.selections ?? [];
  return selections.length > 0 && selections.every((s) => isField(s) && IDEMPOTENT_FIELDS.has(s.name.value));
}

/**
 * The transport failure behind a result, or `null` when the request got a usable GraphQL answer (GraphQL
 * errors with HTTP 200 are answers, not transport failures).
 */
export function transportFailure(
  result: OperationResult,
  record: ResponseRecord,
  attempts: number,
  now: number,
): StorefrontUnavailable | null {
  const status = record.status ?? result.error?.response?.status ?? null;
  const refused = status !== null && (status < 200 || status > 299);
  // Otherwise a network error (no response), or a 2xx whose body was cut or was not JSON: both transient.
  if (!refused && !(result.error?.networkError && result.data === undefined)) return null;
  return {
    kind: 'storefront-unavailable',
    status,
    attempts,
    retryAfterMs: parseRetryAfter(record.retryAfter, now),
    transient: !refused || isTransientStatus(status),
  };
}

type FetchOptions = RequestInit | (() => RequestInit) | undefined;

/**
 * Merges `headers` into urql `fetchOptions` (an object or a function), keeping the caller's other headers.
 * Always returns a function: urql calls it per request, and the storefront token stays in a closure instead
 * of on `result.operation.context`, where an app logging a result would print it.
 */
export function withHeaders(fetchOptions: FetchOptions, headers: Readonly<Record<string, string>>): () => RequestInit {
  const merge = (options: RequestInit | undefined): RequestInit => {
    const merged: Record<string, string> = {};
    // Without caller headers (the common case) there is nothing to normalise: no Headers object to build.
    if (options?.headers) {
      new Headers(options.headers).forEach((value, name) => {
        merged[name] = value;
      });
    }
    for (const name in headers) merged[name.toLowerCase()] = headers[name]!;
    return { ...options, headers: merged };
  };
  return typeof fetchOptions === 'function' ? () => merge(fetchOptions()) : () => merge(fetchOptions);
}
