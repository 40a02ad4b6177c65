import type { Operation, OperationContext, OperationResult } from '@urql/core';
import { make, type Source } from 'wonka';
import { isField, operationOf } from './documents.js';
import { invalid } from './errors.js';
import type { StorefrontUnavailable } from './signals.js';

/**
 * The retry policy of the storefront exchange: which failures are transient, which operations may be sent
 * again, how long to wait (backoff, `Retry-After`), and the request budget an operation may spend.
 */

/**
 * Waits `ms` milliseconds. Rejecting or resolving early after `signal` aborts is fine; the caller checks
 * the signal. Inject one in tests so that backoff does not wait for real.
 */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** How transport failures (network, 5xx, 429, 430) are retried. */
export interface RetryOptions {
  /**
   * Requests per operation, the first one included.
   * @defaultValue 4 (three retries: with the default delays about 0.25 + 0.5 + 1 s of backoff at most,
   * short enough for a page view, long enough to ride out a dropped connection or a brief 503).
   */
  maxAttempts?: number;
  /** The backoff before the first retry; it doubles every retry (full jitter). @defaultValue 250 */
  baseDelayMs?: number;
  /** The backoff never exceeds this. @defaultValue 5000 */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not waited for: the operation fails now, as data, with the
   * delay in its signal, so the app can decide. @defaultValue 30000
   */
  maxRetryAfterMs?: number;
  /** Waits between attempts. @defaultValue a `setTimeout` that an aborted operation cancels */
  sleep?: Sleep;
  /** Jitter source in [0, 1). @defaultValue `Math.random` */
  random?: () => number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults, justified on {@link RetryOptions}. */
export const DEFAULT_RETRY = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
} as const;

/** A `setTimeout`-based {@link Sleep} that stops early (resolving) when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Validates retry options and fills in the defaults; `false` means "never retry" (one attempt).
 *
 * @throws ConfigurationError for a non-positive or non-finite number, naming the fix outside production.
 */
export function resolveRetry(options: RetryOptions | false | undefined): RetryPolicy {
  const given: RetryOptions = options === false ? { maxAttempts: 1 } : (options ?? {});
  const policy: RetryPolicy = { ...DEFAULT_RETRY, sleep: realSleep, random: Math.random };
  // Each option as given, unless missing (undefined or null): then its default.
  for (const key in policy)
    (policy as Record<string, unknown>)[key] = given[key as keyof RetryOptions] ?? policy[key as keyof RetryPolicy];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw invalid(
      'retry.maxAttempts',
      policy.maxAttempts,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Expected a whole number of at least 1 (1 = no retries).'
        : '',
    );
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(Number.isFinite(policy[key]) && policy[key] >= 0)) {
      const fix = (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Expected a non-negative number of milliseconds.'
        : '';
      throw invalid(`retry.${key}`, policy[key], fix);
    }
  }
  return policy;
}

/** Whether an HTTP status is worth retrying: 429 (throttled), 430 (Shopify security rejection), 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 430 || (status >= 500 && status <= 599);
}

/**
 * Whether the server refused the request before running it, so even a mutation may be sent again:
 * 429, 430 and 503. A 500/502, a reset or a cut body may come after the mutation ran.
 */
export function wasRefusedUnprocessed(status: number | null): boolean {
  return status === 429 || status === 430 || status === 503;
}

/**
 * `Retry-After` in milliseconds. Storefront sends seconds (Shopify's own client wrongly reads them as
 * milliseconds); an HTTP date is accepted too. A missing or unreadable value gives `null`.
 *
 * @param value - the header value.
 * @param now - the current time, for the HTTP-date form.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return /[a-z]/i.test(text) && Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/**
 * The delay before retry number `retry` (1 for the first retry), or `null` when the server asked for a
 * longer wait than the policy allows.
 *
 * @remarks
 * Exponential backoff with full jitter (`random() * min(maxDelay, base * 2^(retry-1))`), so that many clients
 * failing together do not come back together. `Retry-After` is a floor: the delay is at least that long.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | null): number | null {
  if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) return null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(policy.random() * ceiling);
  return retryAfterMs === null ? jittered : retryAfterMs + Math.floor(policy.random() * policy.baseDelayMs);
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
  const context = operation.context as OperationContext & { idempotent?: boolean };
  if (wasRefusedUnprocessed(status) || context.idempotent === true) return true;
  const selections = operationOf(operation.query)?.selectionSet.selections ?? [];
  return selections.length > 0 && selections.every((s) => isField(s) && IDEMPOTENT_FIELDS.has(s.name.value));
}

/** What one HTTP request answered, as far as retries and the result annotation need it. */
export interface ResponseRecord {
  /** `null` until a response arrives; stays `null` on a network error. */
  status: number | null;
  servedVersion: string | null;
  deprecatedReason: string | null;
  retryAfter: string | null;
}

/**
 * The transport failure behind a result, or `null` when the request got a usable GraphQL answer (GraphQL
 * errors with HTTP 200 are answers, not transport failures).
 */
export function transportFailure(
  result: OperationResult,
  record: ResponseRecord,
  attempts: number,
  now: () => number,
): StorefrontUnavailable | null {
  const status = record.status ?? result.error?.response?.status ?? null;
  // A non-2xx, or status 0: an opaque redirect, refused like a 3xx (reported as status null).
  const refused = status !== null && (status < 200 || status > 299);
  // Otherwise a network error (no response), or a 2xx whose body was cut or was not JSON: both transient.
  if (!refused && !(result.error?.networkError && result.data === undefined)) return null;
  // The clock is read only for a failure (an HTTP-date Retry-After), not for every answer.
  const retryAfterMs = parseRetryAfter(record.retryAfter, now());
  return {
    kind: 'storefront-unavailable',
    status: status || null,
    attempts,
    retryAfterMs,
    transient: !refused || isTransientStatus(status),
  };
}

/** A source that emits once after `ms` (through the injectable sleep) and cancels the wait when torn down. */
export function sleepSource(sleep: Sleep, ms: number): Source<void> {
  return make<void>((observer) => {
    const controller = new AbortController();
    sleep(ms, controller.signal).then(
      () => {
        if (controller.signal.aborted) return;
        observer.next();
        observer.complete();
      },
      () => observer.complete(),
    );
    return () => controller.abort();
  });
}
