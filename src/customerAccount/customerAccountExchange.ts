import {
  getOperationName,
  makeErrorResult,
  makeOperation,
  type Exchange,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '@urql/core';
import { filter, fromPromise, makeSubject, map, merge, pipe, share, subscribe, takeUntil } from 'wonka';
import type { RenewalCoordination } from '../runtime/coordination.js';
import { createCustomerSession, type Decision, type Renew, type SendDecision } from '../runtime/customerSession.js';
import { resolveCustomerOptions } from '../runtime/customerTokenOptions.js';
import { invalid } from '../runtime/errors.js';
import { deleteEntry } from '../runtime/objects.js';
import { headerRecord } from '../runtime/storefrontHeaders.js';
import { CustomerSessionError, type CustomerSessionSignal, type SignInRequired } from '../runtime/signals.js';
import type { SetTimer } from '../runtime/bounded.js';
import { requestWatch, resolveRequestTimeout, type Watched } from '../runtime/requestWatch.js';
import type { TokenStore } from '../runtime/tokenStore.js';
import {
  discoverCustomerAccount,
  refreshTokenSet,
  shopOrigin,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
} from './oauth.js';
import { CUSTOMER_ACCOUNT_TOKEN, type CustomerAccountTokenSet } from './tokenSet.js';
import { generatedVersions } from '../../generated/customer-account/versions.js';
import { customerAccountBinding, customerAccountDocumentMismatch } from '../runtime/customerAccountDocuments.js';

/** Refresh when less than this is left of the access token: 5 minutes (Hydrogen: 2, nuxt: 5). */
export const DEFAULT_REFRESH_WINDOW_MS = 5 * 60 * 1000;
/** An access token this close to `expiresAt` is not sent (it is refreshed first): 30 seconds. */
export const DEFAULT_ACCESS_SKEW_MS = 30 * 1000;

/** Options of the Customer Account exchange. */
export interface CustomerAccountExchangeOptions {
  /** The shop domain (`your-shop.myshopify.com`), or an origin URL (the emulator's): discovery runs against it. */
  shop: string;
  /** The app's OAuth client (`clientId`, and `clientSecret` for a confidential server client). */
  client: CustomerAccountClient;
  /** Where the {@link CustomerAccountTokenSet} lives; a shared store (`SharedTokenStore`) across tabs or processes. */
  store: TokenStore;
  /** The endpoints, when known; otherwise discovered once per shop. */
  endpoints?: CustomerAccountEndpoints;
  /** The GraphQL endpoint; otherwise the discovered one, with this entry point's version. */
  graphqlUrl?: string;
  /** Called once per change to signed out: only `invalid_grant`, or no refresh token, signs out. */
  onSignInRequired?: (signal: SignInRequired) => void;
  onSignal?: (signal: CustomerSessionSignal) => void;
  /** Called once per change of the access token (sign-in, refresh, sign-out: `null`), e.g. for a cart's buyer identity. */
  onTokenChange?: (tokenSet: CustomerAccountTokenSet | null) => void;
  coordination?: RenewalCoordination;
  /** @defaultValue {@link DEFAULT_REFRESH_WINDOW_MS} */
  refreshWindowMs?: number;
  /** @defaultValue {@link DEFAULT_ACCESS_SKEW_MS} */
  clockSkewMs?: number;
  renewCooldownMs?: number;
  renewWaitMs?: number;
  storeTimeoutMs?: number;
  renewTimeoutMs?: number;
  /**
   * The longest one GraphQL request may go unanswered (its response, or the first part of a streamed one, read in
   * full); then it is torn down (urql aborts the `fetch`) and the operation fails with a network error.
   * @defaultValue 30 seconds
   */
  requestTimeoutMs?: number;
  /**
   * The clock, also for the token endpoint's `expiresAt` unless `client.now` is given.
   * @defaultValue `client.now`, or `Date.now`
   */
  now?: () => number;
  timer?: SetTimer;
}

interface AccountContext extends Partial<Watched> {
  injected?: true;
  resent?: true;
  apiVersion?: string;
}
const KEY = 'customerAccount';
/** The request header carrying the access token (names are lower case in the exchange's header records). */
const AUTHORIZATION = 'authorization';
const accountOf = (op: Operation) => op.context[KEY] as AccountContext | undefined;

/**
 * Creates the Customer Account exchange for `version`: every operation goes to the Customer Account GraphQL
 * endpoint of that version with the customer's access token in `Authorization`, refreshed ahead of expiry on the
 * same session core as the legacy token (one refresh per customer across operations, tabs and processes;
 * compare-and-set writes; bounded waits; sign-in required only for `invalid_grant`). A document generated for
 * anything else (a Storefront document, a Customer Account document of another version) fails as
 * `wrong-version-document`, unsent. Apps import the bound `customerAccountExchange` from a Customer Account entry
 * point (`storefront-customer-session/customer-account/<version>`) instead.
 */
export function createCustomerAccountExchange(version: string, options: CustomerAccountExchangeOptions): Exchange {
  if (!(generatedVersions as readonly string[]).includes(version))
    throw invalid(
      'version',
      version,
      `This package was generated for the Customer Account API ${generatedVersions.join(', ')}: use one of them, ` +
        `or upgrade storefront-customer-session to a release that vendors ${version}.`,
    );
  // A shop domain or an origin URL, checked here rather than at the first operation (unused with endpoints given).
  if (!options?.endpoints) shopOrigin(options?.shop);
  if (typeof options.client?.clientId !== 'string' || options.client.clientId === '')
    throw invalid('client.clientId', options.client?.clientId, 'Pass the Customer Account API client id.');
  // One clock for the session and the token endpoint's `expiresAt` (a clock given to either is the app's clock).
  const now = options.now ?? options.client.now;
  const client = now && !options.client.now ? { ...options.client, now } : options.client;
  const config = {
    ...resolveCustomerOptions({
      ...options,
      ...(now ? { now } : {}),
      renewWindowMs: options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS,
      clockSkewMs: options.clockSkewMs ?? DEFAULT_ACCESS_SKEW_MS,
      onTokenChange: options.onTokenChange as ((token: unknown) => void) | undefined,
    }),
    kind: CUSTOMER_ACCOUNT_TOKEN,
  };
  const requestTimeoutMs = resolveRequestTimeout(options.requestTimeoutMs);
  let endpoints: Promise<CustomerAccountEndpoints> | undefined;
  const discovered = () =>
    options.endpoints ? Promise.resolve(options.endpoints) : discoverCustomerAccount(options.shop, client);
  /** The GraphQL URL once known (given, or discovered once): from then on a decided operation goes out at once. */
  let knownUrl = options.graphqlUrl;
  const graphqlUrl = async () => {
    if (knownUrl) return knownUrl;
    const found = (endpoints ??= discovered());
    const api = (
      await found.catch((error: unknown) => {
        if (endpoints === found) endpoints = undefined; // a failed discovery is tried again next time
        throw error;
      })
    ).graphqlApi;
    if (!api) throw new Error('the shop published no Customer Account GraphQL endpoint');
    return (knownUrl = api.replace(/\/api\/[^/]+\/graphql(\.json)?$/, `/api/${version}/graphql`));
  };

  return ({ forward }) =>
    (ops$) => {
      const session = createCustomerSession(config);
      const renew: Renew = async (from, abort) => {
        try {
          const found = await (endpoints ??= discovered());
          return await refreshTokenSet({
            endpoints: found,
            client,
            tokenSet: from as CustomerAccountTokenSet,
            signal: abort,
          });
        } catch {
          endpoints = undefined; // a failed discovery is tried again next time
          return { kind: 'unavailable', error: undefined, cause: null };
        }
      };
      const shared$ = share(ops$);
      const ready = makeSubject<Operation>();
      const direct = makeSubject<OperationResult>();
      const teardowns = makeSubject<Operation>();
      const timedOut = makeSubject<OperationResult>();
      // A request left unanswered is torn down below and fails here with a network error.
      const watch = requestWatch(
        requestTimeoutMs,
        config.timer,
        (op) => accountOf(op) as Watched,
        teardowns.next,
        timedOut.next,
      );
      const fail = (op: Operation, signal: CustomerSessionSignal) =>
        direct.next(makeErrorResult(op, new CustomerSessionError(signal)));

      /** The operation as sent, when it can go at once; otherwise it is sent (or failed) once decided. */
      const prepare = (op: Operation): Operation | null => {
        const decision = session.decide(renew);
        // The common case, as in the customer token exchange: a live token from a synchronous store, sent in this tick.
        if (knownUrl && !(decision instanceof Promise)) return inject(op, decision, knownUrl, version);
        pipe(
          fromPromise(Promise.all([decision, graphqlUrl()]).catch((): [Decision, string] | null => null)),
          takeUntil(
            pipe(
              shared$,
              filter((next) => next.kind === 'teardown' && next.key === op.key),
            ),
          ),
          subscribe((answer) => {
            if (!answer) return fail(op, { kind: 'renewal-unavailable', cause: null });
            const [decision, url] = answer;
            if (decision.kind === 'fail') fail(op, decision.signal);
            else ready.next(inject(op, decision, url, version));
          }),
        );
        return null;
      };
      const passthrough$ = pipe(
        shared$,
        map((op) => {
          if (op.kind === 'teardown') return op;
          // A Storefront document, or a Customer Account document of another version, is refused unsent.
          const other = customerAccountDocumentMismatch(op.query, version);
          if (other) {
            const operationName = getOperationName(op.query) ?? '(anonymous)';
            const apiVersion = customerAccountBinding(version);
            fail(op, { kind: 'wrong-version-document', operationName, apiVersion, documentVersion: other });
            return null;
          }
          return prepare(op);
        }),
        filter((op): op is Operation => op !== null),
      );
      const resends = makeSubject<Operation>();
      pipe(
        resends.source,
        subscribe((op) => {
          const sent = prepare(op);
          if (sent) ready.next(sent);
        }),
      );
      const sent$ = pipe(
        merge([passthrough$, ready.source]),
        map((op) => {
          if (op.kind === 'teardown') watch.end(op.key);
          else watch.start(op); // every operation that goes down was injected: it carries its own context entry
          return op;
        }),
      );
      const results$ = share(merge([forward(merge([sent$, teardowns.source])), timedOut.source]));
      return merge([
        direct.source,
        pipe(
          results$,
          // Synchronous, like every urql exchange: a result is passed on in the tick it arrived, not a promise later.
          filter((result) => {
            watch.end(result.operation.key, result.hasNext);
            const account = accountOf(result.operation);
            if (!account?.injected || result.error?.response?.status !== 401 || account.resent) return true;
            // 401: the access token was refused; a refresh may cure it: refresh first and send once more.
            session.stale(tokenOf(result.operation));
            resends.next(
              makeOperation(result.operation.kind, result.operation, {
                ...clean(result.operation.context),
                [KEY]: { resent: true },
              }),
            );
            return false;
          }),
          map((result) => (accountOf(result.operation)?.injected ? settle(result) : result)),
        ),
      ]);
    };
}

/** The operation's headers as a new record, names in lower case (a Headers object or a list of pairs too). */
function headersOf(context: OperationContext): Record<string, string> {
  const options = typeof context.fetchOptions === 'function' ? context.fetchOptions() : context.fetchOptions;
  return headerRecord(options?.headers);
}

function inject(op: Operation, { token }: SendDecision, url: string, version: string): Operation {
  const options = typeof op.context.fetchOptions === 'function' ? op.context.fetchOptions() : op.context.fetchOptions;
  // One copy of the context, set entry by entry rather than spread (see runtime/objects.ts).
  const context = Object.assign({}, op.context);
  context.url = url;
  context.preferGetMethod = false;
  const headers = headersOf(op.context); // a new record: ours to add to
  headers[AUTHORIZATION] = token.accessToken;
  context.fetchOptions = { ...options, redirect: 'manual', headers };
  context[KEY] = { ...accountOf(op), injected: true, apiVersion: version, tick: 0 } satisfies AccountContext;
  return { ...op, context };
}

function tokenOf(op: Operation): string {
  return headersOf(op.context)[AUTHORIZATION] ?? '';
}

/** The context without the access token (the app never sees it on a result). */
function clean(context: OperationContext): OperationContext {
  const { authorization: _token, ...headers } = headersOf(context);
  const options = typeof context.fetchOptions === 'function' ? context.fetchOptions() : context.fetchOptions;
  return { ...context, fetchOptions: { ...options, headers } };
}

/**
 * The result without the access token on its operation. The headers are the exchange's own record, made for this
 * request by `inject`, so once the last part is back the token leaves them in place (`deleteEntry`); a part with more
 * to come, or headers an exchange below replaced or froze, get a clean copy of the context instead.
 */
function settle(result: OperationResult): OperationResult {
  const options = result.operation.context.fetchOptions;
  const headers = typeof options === 'object' ? options.headers : undefined;
  // A Headers object (an exchange below replaced the record) holds the token out of reach of `delete`: copied.
  if (!result.hasNext && headers && AUTHORIZATION in headers && deleteEntry(headers, AUTHORIZATION)) return result;
  return { ...result, operation: { ...result.operation, context: clean(result.operation.context) } };
}
