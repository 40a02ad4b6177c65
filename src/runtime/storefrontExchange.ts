import {
  getOperationName,
  makeErrorResult,
  makeOperation,
  type Exchange,
  type Operation,
  type OperationResult,
} from '@urql/core';
import { filter, make, map, merge, mergeMap, pipe, share, takeUntil, makeSubject, type Source } from 'wonka';
import { documentVersion } from './documents.js';
import { LIBRARY } from './errors.js';
import { newRecord, recordingFetch, STOREFRONT_EXTENSION, type StorefrontResponseInfo } from './responseInfo.js';
import { retryDelay } from './storefrontRetry.js';
import { combinedErrorFor, CustomerSessionError, type Deprecation, type VersionMismatch } from './signals.js';
import {
  resolveStorefrontOptions,
  type StorefrontConfig,
  type StorefrontExchangeOptions,
} from './storefrontOptions.js';
import {
  ATTEMPT_KEY,
  attemptOf,
  isSafeToRetry,
  teardownOf,
  transportFailure,
  withHeaders,
  type StorefrontAttempt,
} from './transport.js';
import { safeCall, warnOnce } from './warn.js';

export type { StorefrontExchangeOptions } from './storefrontOptions.js';

/** An urql exchange bound to one Storefront API version; `apiVersion` names it. */
export type VersionedExchange<V extends string> = Exchange & { readonly apiVersion: V };

/** `fetch` resolved at call time, so a test (or polyfill) that replaces `globalThis.fetch` later still counts. */
const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/**
 * Creates the storefront exchange for `version`. Apps import the bound `storefrontExchange` from a version's
 * entry point (`storefront-customer-session/2026-04`) instead of calling this.
 *
 * @param version - the API version the entry point's documents were generated for.
 * @param options - validated here, once; see {@link StorefrontExchangeOptions}.
 * @returns an exchange to place after `customerTokenExchange` and before `fetchExchange`.
 * @throws ConfigurationError naming the fix for a malformed domain, a malformed or unknown version, no token or
 * both tokens, or a private token where `window` exists.
 *
 * @remarks
 * For every operation: the URL becomes `https://{storeDomain}/api/{version}/graphql.json`, the token headers
 * are merged into `fetchOptions`, every request is a POST (a GET would put `$customerAccessToken` in the URL),
 * and `fetch` is wrapped to read the response headers. A document generated for another version is not sent
 * (an error result with a `wrong-version-document` signal). Network errors, 5xx, 429 and 430 are retried with
 * backoff where safe (see `isSafeToRetry`); after the last try the result fails as data with a
 * `storefront-unavailable` signal. Every result carries `extensions.storefront` ({@link StorefrontResponseInfo}):
 * a served version that differs from the requested one, or a deprecation, is recorded there and passed to
 * `onVersionMismatch` / `onDeprecation` (or warned about outside production when no callback is set).
 */
export function createStorefrontExchange<V extends string>(
  version: V,
  options: StorefrontExchangeOptions<V>,
): VersionedExchange<V> {
  const config = resolveStorefrontOptions(version, options);
  const exchange: Exchange =
    ({ forward }) =>
    (ops$) => {
      const shared$ = share(ops$);
      const retries = makeSubject<{ operation: Operation; delayMs: number }>();
      const refused = makeSubject<OperationResult>();

      // One pass per operation: a document of another version is answered here, the rest goes on prepared.
      const fresh$ = pipe(
        shared$,
        filter((op) => {
          if (op.kind === 'teardown' || (documentVersion(op.query) ?? version) === version) return true;
          refused.next(
            makeErrorResult(
              op,
              new CustomerSessionError({
                kind: 'wrong-version-document',
                operationName: getOperationName(op.query) ?? '(anonymous)',
                apiVersion: version,
              }),
            ),
          );
          return false;
        }),
        map((op) => (op.kind === 'teardown' ? op : prepareAttempt(config, op, 1))),
      );
      const retry$ = pipe(
        retries.source,
        mergeMap(({ operation, delayMs }) =>
          pipe(
            sleepSource(config, delayMs),
            map(() => operation),
            takeUntil(teardownOf(shared$, operation.key)),
          ),
        ),
      );
      const results$ = pipe(
        forward(merge([fresh$, retry$])),
        filter((result) => {
          const next = nextAttempt(config, result);
          if (next) retries.next(next);
          return !next;
        }),
        map((result) => annotate(config, result)),
      );
      return merge([refused.source, results$]);
    };
  return Object.assign(exchange, { apiVersion: version });
}

/** The operation as sent on attempt `attempt`: endpoint, headers, POST, and a recording `fetch`. */
function prepareAttempt(config: StorefrontConfig, op: Operation, attempt: number): Operation {
  const record = newRecord();
  const baseFetch = attemptOf(op)?.baseFetch ?? op.context.fetch ?? config.fetch ?? globalFetch;
  // makeOperation spreads `op.context` under these keys.
  return makeOperation(op.kind, op, {
    url: config.endpoint,
    preferGetMethod: false,
    fetchOptions: withHeaders(op.context.fetchOptions, config.headers),
    fetch: recordingFetch(baseFetch, record),
    [ATTEMPT_KEY]: { attempt, record, baseFetch } satisfies StorefrontAttempt,
  });
}

/** The retry to schedule for a failed result, or `undefined` to let the result through. */
function nextAttempt(
  config: StorefrontConfig,
  result: OperationResult,
): { operation: Operation; delayMs: number } | undefined {
  const attempt = attemptOf(result.operation);
  if (!attempt || attempt.attempt >= config.retry.maxAttempts) return undefined;
  const failure = transportFailure(result, attempt.record, attempt.attempt, config.now());
  if (!failure?.transient || !isSafeToRetry(result.operation, failure.status)) return undefined;
  const delayMs = retryDelay(config.retry, attempt.attempt, failure.retryAfterMs);
  return delayMs === null
    ? undefined
    : { operation: prepareAttempt(config, result.operation, attempt.attempt + 1), delayMs };
}

/** Records the response facts on the result, tells the app about version changes, and turns transport failures into data. */
function annotate(config: StorefrontConfig, result: OperationResult): OperationResult {
  const attempt = attemptOf(result.operation);
  if (!attempt) return result;
  const { record } = attempt;
  const info: StorefrontResponseInfo = {
    requestedVersion: config.version,
    servedVersion: record.servedVersion,
    versionMismatch: record.servedVersion !== null && record.servedVersion !== config.version,
    deprecatedReason: record.deprecatedReason,
    status: record.status,
    attempts: attempt.attempt,
  };
  if (info.versionMismatch) {
    const signal: VersionMismatch = {
      kind: 'version-mismatch',
      requestedVersion: config.version,
      servedVersion: record.servedVersion!,
    };
    if (config.onVersionMismatch) safeCall(config.onVersionMismatch, signal, 'onVersionMismatch');
    else if (process.env.NODE_ENV !== 'production')
      warnOnce(
        `mismatch:${config.version}:${signal.servedVersion}`,
        `${LIBRARY}: requested Storefront API ${config.version} but ${signal.servedVersion} answered (Shopify fell forward); the generated types may not match. Pass onVersionMismatch to handle this.`,
      );
  }
  if (info.deprecatedReason !== null) {
    const signal: Deprecation = { kind: 'deprecated', apiVersion: config.version, reason: info.deprecatedReason };
    if (config.onDeprecation) safeCall(config.onDeprecation, signal, 'onDeprecation');
    else if (process.env.NODE_ENV !== 'production')
      warnOnce(
        `deprecated:${config.version}:${info.deprecatedReason}`,
        `${LIBRARY}: Storefront API ${config.version} reports a deprecation: ${info.deprecatedReason}`,
      );
  }
  const extensions = { ...result.extensions, [STOREFRONT_EXTENSION]: info };
  const failure = transportFailure(result, record, attempt.attempt, config.now());
  if (!failure) return { ...result, extensions };
  return { ...result, data: undefined, error: combinedErrorFor(failure, result.error), extensions, hasNext: false };
}

/** A source that emits once after `ms` (through the injectable sleep) and cancels the wait when torn down. */
function sleepSource(config: StorefrontConfig, ms: number): Source<void> {
  return make<void>((observer) => {
    const controller = new AbortController();
    config.retry.sleep(ms, controller.signal).then(
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
