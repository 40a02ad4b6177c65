import { getOperationName, makeErrorResult, type Exchange, type Operation } from '@urql/core';
import type { OperationResult } from '@urql/core';
import { filter, makeSubject, map, merge, mergeMap, pipe, share, takeUntil } from 'wonka';
import { declaresVariable, documentVersion, TOKEN_VARIABLE } from './documents.js';
import { LIBRARY } from './errors.js';
import { withEntry } from './objects.js';
import { STOREFRONT_EXTENSION, type StorefrontResponseInfo } from './responseInfo.js';
import {
  combinedErrorFor,
  CustomerSessionError,
  type Deprecation,
  type VersionMismatch,
  type WrongVersionDocument,
} from './signals.js';
import {
  resolveStorefrontOptions,
  type StorefrontConfig,
  type StorefrontExchangeOptions,
} from './storefrontOptions.js';
import { isSafeToRetry, retryDelay, sleepSource, transportFailure, type ResponseRecord } from './storefrontRetry.js';
import { requestOptions, type RequestOptions } from './storefrontHeaders.js';
import { requestWatch, type RequestWatch, type Watched } from './requestWatch.js';
import { safeCall, warnOnce } from './warn.js';

export type { StorefrontExchangeOptions } from './storefrontOptions.js';

/**
 * What the storefront exchange keeps on `operation.context.storefront` (a documented field, so that an
 * exchange re-sending the operation, such as `@urql/exchange-retry`, carries it along).
 */
export interface StorefrontContext extends ResponseRecord, Watched {
  /** 1 for the first request of this operation. */
  attempt: number;
  /**
   * Shared by every attempt of one operation, and by outer re-sends of it: the first attempt's record, which holds the
   * budget's fields itself (one object per operation instead of two); `undefined` on that first record.
   */
  budget: (StorefrontContext & RequestBudget) | undefined;
  /**
   * Whether this attempt reached its `fetch` (a request sent, or refused because the budget was spent). A result
   * of an attempt that did not was made by an exchange below: it goes up unchanged, never retried.
   */
  requested: boolean;
}

/**
 * The requests one operation may still make, whoever re-sends it, and the answer of the last one that was sent (its
 * record's fields, copied: a reference to the attempt would make the context circular), replayed once it is spent.
 */
interface RequestBudget extends ResponseRecord {
  /** Requests sent (an exchange below the storefront one may re-send an attempt). */
  sent: number;
  /** Whether a request was answered (the record fields hold its answer). */
  answered: boolean;
  /** The `fetch` being wrapped, kept so a retry wraps it afresh instead of wrapping the wrapper. */
  baseFetch: typeof fetch;
}

const CONTEXT_KEY = 'storefront';
const contextOf = (op: Operation) => op.context[CONTEXT_KEY] as StorefrontContext | undefined;
/** The budget an attempt spends from: the first attempt's own record, or the one it points to. */
const budgetOf = (record: StorefrontContext) => record.budget ?? (record as StorefrontContext & RequestBudget);
/** The API version the customer token exchange puts on what it sends (`context.customerSession.apiVersion`). */
const sessionOf = (op: Operation) => op.context.customerSession as { apiVersion?: string; injected?: true } | undefined;

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
 * both tokens, or a private token in a page or a browser worker.
 */
export function createStorefrontExchange(version: string, options: StorefrontExchangeOptions): Exchange {
  const config = resolveStorefrontOptions(version, options);
  const headersFor = requestOptions(config.headers);
  return ({ forward }) =>
    (ops$) => {
      const shared$ = share(ops$);
      const retries = makeSubject<{ operation: Operation; delayMs: number }>();
      const refused = makeSubject<OperationResult>();
      const teardowns = makeSubject<Operation>();
      const timedOut = makeSubject<OperationResult>();
      // A request left unanswered: torn down below, then answered here as a network failure, which the retry policy
      // judges like any other.
      const watch = requestWatch(
        config.requestTimeoutMs,
        config.timer,
        (op) => contextOf(op)!,
        teardowns.next,
        timedOut.next,
      );

      // One pass per operation: a document of another version, or one sent by the customer token exchange of
      // another entry point, is answered here; the rest goes on prepared.
      const fresh$ = pipe(
        shared$,
        filter((op) => {
          if (op.kind === 'teardown') return true;
          const ofDocument = documentVersion(op.query);
          const ofSession = sessionOf(op)?.apiVersion;
          const other = ofDocument && ofDocument !== version ? ofDocument : ofSession !== version && ofSession;
          if (!other) return true;
          const operationName = getOperationName(op.query) ?? '(anonymous)';
          if (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) {
            warnOnce(
              `version:${version}:${other}`,
              `${LIBRARY}: "${operationName}" comes from the ${other} entry point but reached the storefrontExchange ` +
                `of ${version}, which refused it. ` +
                (other.startsWith('customer-account/')
                  ? `A Customer Account API document goes through customerAccountExchange (from "${LIBRARY}/${other}"), ` +
                    'in an urql client of its own.'
                  : `Import both exchanges and the documents from one entry point ` +
                    `("${LIBRARY}/${version}" or "${LIBRARY}/${other}").`),
              'error',
            );
          }
          const signal: WrongVersionDocument = {
            kind: 'wrong-version-document',
            operationName,
            apiVersion: version,
            documentVersion: other,
          };
          refused.next(makeErrorResult(op, new CustomerSessionError(signal)));
          return false;
        }),
        map((op) => {
          if (op.kind !== 'teardown') return prepareAttempt(config, op, contextOf(op), headersFor, watch);
          watch.end(op.key);
          return op;
        }),
      );
      const retry$ = pipe(
        retries.source,
        mergeMap(({ operation, delayMs }) =>
          pipe(
            sleepSource(config.retry.sleep, delayMs),
            map(() => operation),
            takeUntil(
              pipe(
                shared$,
                filter((op) => op.kind === 'teardown' && op.key === operation.key),
              ),
            ),
          ),
        ),
      );
      const results$ = pipe(
        merge([forward(merge([fresh$, retry$, teardowns.source])), timedOut.source]),
        filter((result) => {
          watch.end(result.operation.key, result.hasNext);
          const next = nextAttempt(config, result, headersFor, watch);
          if (next) retries.next(next);
          return !next;
        }),
        map((result) => annotate(config, result)),
      );
      return merge([refused.source, results$]);
    };
}

/**
 * The operation as sent on its next attempt: endpoint, headers, POST, and a `fetch` that records the response
 * and refuses to send once the operation's budget is spent (an outer retry exchange re-sending it gets the
 * last answer again instead of a new request).
 */
function prepareAttempt(
  config: StorefrontConfig,
  op: Operation,
  previous: StorefrontContext | undefined,
  headersFor: RequestOptions,
  watch: RequestWatch,
): Operation {
  if (
    (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) &&
    op.variables?.[TOKEN_VARIABLE as keyof typeof op.variables] === undefined &&
    declaresVariable(op.query, TOKEN_VARIABLE)
  ) {
    warnOnce(
      'order',
      `${LIBRARY}: an operation declaring $customerAccessToken reached storefrontExchange without it. ` +
        'Place customerTokenExchange before storefrontExchange in the exchanges list, or pass the variable.',
    );
  }
  const { maxAttempts } = config.retry;
  // One object per attempt: its place in the budget and what its response said (the record). The first attempt's
  // record is the budget too (its own budget fields); later ones point to it, never to themselves (a context stays
  // a tree), and leave their own budget fields unused.
  const record: StorefrontContext & RequestBudget = {
    attempt: (previous?.attempt ?? 0) + 1,
    budget: previous && budgetOf(previous),
    tick: 0,
    requested: false,
    status: null,
    servedVersion: null,
    deprecatedReason: null,
    retryAfter: null,
    sent: 0,
    answered: false,
    baseFetch: op.context.fetch ?? config.fetch ?? globalFetch,
  };
  const spent = budgetOf(record);
  const recordingFetch: typeof fetch = (input, init) => {
    record.requested = true;
    if (spent.sent >= maxAttempts) {
      if (spent.answered) copyRecord(spent, record);
      return Promise.reject(new TypeError(`${LIBRARY}: ${maxAttempts} requests made`));
    }
    spent.sent++;
    watch.start(prepared);
    // Never follow a redirect: fetch would re-send the token headers (and a POST's body: the customer token, or an
    // email and password) to wherever Location points, and hand back a foreign answer as the store's. The headers
    // function already asks for it; an exchange below that replaced the options does not undo it.
    const sent = init?.redirect === 'manual' ? init : { ...init, redirect: 'manual' as const };
    let pending: Promise<Response>;
    try {
      pending = spent.baseFetch(input, sent);
    } catch (error) {
      return Promise.reject(error);
    }
    return pending.then(recordResponse);
  };
  /** Records what `response` says for retries and the result, or refuses a redirect. */
  const recordResponse = (response: Response): Response => {
    const status = (record.status = response.redirected ? 0 : response.status);
    // A 3xx, an opaque redirect (status 0 in browsers), or one a custom fetch followed anyway: a refusal.
    if (status < 200 || (status > 299 && status < 400)) {
      response.body?.cancel().catch(() => {});
      throw new TypeError(`${LIBRARY}: redirect not followed`);
    }
    const { headers } = response;
    // Names in lower case: `Headers.get` lower-cases any other name into a new string per call.
    record.servedVersion = servedVersionOf(headers.get('x-shopify-api-version'));
    record.deprecatedReason = withoutSecrets(headers.get('x-shopify-api-deprecated-reason'), config, op);
    // Only a failure is retried after a wait.
    if (status > 299) record.retryAfter = headers.get('retry-after');
    // This attempt's record is final now: the answer replayed once the budget is spent.
    copyRecord(record, spent);
    spent.answered = true;
    return response;
  };
  // The customer token exchange made this operation and its context for this one request (it filled in the token):
  // they are prepared in place, one pipeline, instead of copied a second time. Anything else is copied as makeOperation
  // would, without its spread of the context (see objects.ts).
  const owned = !previous && sessionOf(op)?.injected === true && Object.isExtensible(op.context);
  const context = owned ? op.context : Object.assign({}, op.context);
  context.fetchOptions = headersFor(op.context.fetchOptions);
  context.url = config.endpoint;
  context.preferGetMethod = false;
  context.fetch = recordingFetch;
  context[CONTEXT_KEY] = record;
  const prepared = owned ? op : { ...op, context };
  return prepared;
}

/**
 * `X-Shopify-API-Version` as recorded: `null` when absent or empty (it names no version), and the header sent twice
 * with one value (`Headers.get` joins repeats with ", ", as a proxy adding it again makes) read as that value.
 */
function servedVersionOf(value: string | null): string | null {
  if (!value) return null;
  if (!value.includes(',')) return value;
  return [...new Set(value.split(',').map((v) => v.trim()))].filter(Boolean).join(', ') || null;
}

/** The shortest string {@link withoutSecrets} treats as a token. */
const MIN_SECRET = 8;

/**
 * A header value a server may echo a secret into, with every token this request carried (the storefront token, the
 * customer's) replaced by `[token]`: it is logged, handed to callbacks and put on the result. Real tokens are 32
 * characters or more; a string shorter than {@link MIN_SECRET} (a test's `'x'`) would only mangle the text.
 */
function withoutSecrets(value: string | null, config: StorefrontConfig, op: Operation): string | null {
  if (!value) return value;
  const customer = op.variables?.[TOKEN_VARIABLE as keyof typeof op.variables] as unknown;
  for (const secret of [...Object.values(config.headers), customer]) {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET) value = value.split(secret).join('[token]');
  }
  return value;
}

function copyRecord(from: ResponseRecord, to: ResponseRecord): void {
  to.status = from.status;
  to.servedVersion = from.servedVersion;
  to.deprecatedReason = from.deprecatedReason;
  to.retryAfter = from.retryAfter;
}

/**
 * The retry to schedule for a failed result, or `undefined` to let the result through. Attempts are counted, not
 * requests: an exchange below that answers without calling `fetch` cannot make this loop.
 */
function nextAttempt(
  config: StorefrontConfig,
  result: OperationResult,
  headersFor: RequestOptions,
  watch: RequestWatch,
) {
  const state = contextOf(result.operation);
  const max = config.retry.maxAttempts;
  if (!state?.requested || state.attempt >= max) return undefined;
  const { sent } = budgetOf(state);
  if (sent >= max) return undefined;
  const failure = transportFailure(result, state, sent, config.now);
  if (!failure?.transient || !isSafeToRetry(result.operation, failure.status)) return undefined;
  const delayMs = retryDelay(config.retry, sent, failure.retryAfterMs);
  if (delayMs === null) return undefined;
  return { operation: prepareAttempt(config, result.operation, state, headersFor, watch), delayMs };
}

/**
 * Records the response facts on a result its own request produced, tells the app about version changes, turns
 * transport failures into data. A result made below without a request of this exchange goes up unchanged.
 */
function annotate(config: StorefrontConfig, result: OperationResult): OperationResult {
  const record = contextOf(result.operation);
  if (!record?.requested) return result;
  const info: StorefrontResponseInfo = {
    requestedVersion: config.version,
    servedVersion: record.servedVersion,
    versionMismatch: record.servedVersion !== null && record.servedVersion !== config.version,
    deprecatedReason: record.deprecatedReason,
    status: record.status || null,
    attempts: budgetOf(record).sent,
  };
  if (info.versionMismatch) reportMismatch(config, record.servedVersion!);
  if (info.deprecatedReason !== null) reportDeprecation(config, info.deprecatedReason);
  const failure = transportFailure(result, record, info.attempts, config.now);
  if (!failure) {
    // The result of this attempt's own request, made for it below and seen by no one yet: annotated in place, unless
    // an exchange below froze it (then copied, below).
    try {
      (result.extensions ??= {})[STOREFRONT_EXTENSION] = info;
      return result;
    } catch {}
  }
  const extensions = withEntry(result.extensions, STOREFRONT_EXTENSION, info);
  if (!failure) return { ...result, extensions };
  return { ...result, data: undefined, error: combinedErrorFor(failure, result.error), extensions, hasNext: false };
}

function reportMismatch(config: StorefrontConfig, servedVersion: string): void {
  const signal: VersionMismatch = { kind: 'version-mismatch', requestedVersion: config.version, servedVersion };
  if (config.onVersionMismatch) safeCall(config.onVersionMismatch, signal, 'onVersionMismatch');
  else if (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) {
    warnOnce(
      `mismatch:${config.version}:${servedVersion}`,
      `${LIBRARY}: requested Storefront API ${config.version} but ${servedVersion} answered (Shopify fell ` +
        'forward); the generated types may not match. Pass onVersionMismatch to handle this.',
    );
  }
}

function reportDeprecation(config: StorefrontConfig, reason: string): void {
  const signal: Deprecation = { kind: 'deprecated', apiVersion: config.version, reason };
  if (config.onDeprecation) safeCall(config.onDeprecation, signal, 'onDeprecation');
  else if (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) {
    warnOnce(
      `deprecated:${config.version}:${reason}`,
      `${LIBRARY}: Storefront API ${config.version} reports a deprecation: ${reason}`,
    );
  }
}
