import {
  createRequest,
  makeErrorResult,
  makeOperation,
  type Exchange,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '@urql/core';
import type { DocumentNode } from 'graphql';
import {
  filter,
  fromPromise,
  makeSubject,
  map,
  merge,
  pipe,
  share,
  subscribe,
  take,
  takeUntil,
  type Source,
} from 'wonka';
import { createCustomerSession, type Decision, type SendDecision } from './customerSession.js';
import { resolveCustomerOptions, type CustomerTokenExchangeOptions } from './customerTokenOptions.js';
import { customerFieldKeys, declaresVariable, documentVersion, TOKEN_VARIABLE } from './documents.js';
import { deleteEntry, withEntry } from './objects.js';
import { classifyRenew, type RenewAnswer, type RenewData } from './renewOutcome.js';
import { combinedErrorFor, CustomerSessionError, type RenewalUnavailable } from './signals.js';
import type { Token } from './tokenStore.js';

export type { CustomerTokenExchangeOptions } from './customerTokenOptions.js';

/** What the customer token exchange keeps on `operation.context`. */
interface SessionContext {
  /** Set on the exchange's own renew mutation: it bypasses the queue and can never trigger a renewal. */
  renewal?: number;
  /** Set when the exchange filled in `$customerAccessToken`. */
  injected?: true;
  /** Set when a renewal was due but failed transiently; the operation went out with the current token. */
  renewalUnavailable?: RenewalUnavailable;
  /** Set on an operation sent again because its token was refused after the store had moved on: once only. */
  resent?: true;
  /** The API version of this exchange's entry point, so that `storefrontExchange` can refuse a mixed chain. */
  apiVersion?: string;
}

const SESSION_KEY = 'customerSession';
/** The transport settings a renewal takes from the operation that triggered it. */
const TRANSPORT = ['url', 'fetch', 'fetchOptions'] as const;
const sessionOf = (op: Operation): SessionContext | undefined => op.context[SESSION_KEY] as SessionContext | undefined;

/** The key under `result.extensions` where a transient renewal failure is reported on the operations it delayed. */
export const CUSTOMER_SESSION_EXTENSION = 'customerSession';

/**
 * Creates the customer token exchange for a version's renew document. Apps import the bound
 * `customerTokenExchange` from a version's entry point instead of calling this.
 *
 * @param renewDocument - that version's `CustomerAccessTokenRenewDocument`.
 * @param options - validated here, once; see {@link CustomerTokenExchangeOptions}.
 * @returns an exchange to place before `storefrontExchange` (and after a cache exchange).
 *
 * @remarks
 * Operations whose document declares `$customerAccessToken` and that were not given one get the stored token;
 * when the store answers synchronously with a token outside the renewal window, they go out at once (same
 * tick). Otherwise they wait, parked per
 * operation key (a teardown drops them), for the session to decide: inside the renewal window one renew
 * mutation is sent straight down the chain (bypassing this queue) however many operations wait, and they go
 * out with the renewed token. Results come back with the token removed from `operation.variables`. An
 * operation that cannot be sent (signed out, expired, invalid, store unreadable) gets an error result with a
 * typed signal (`signalOf(result)`); a root `customer: null` answer for the stored token signs out too.
 */
export function createCustomerTokenExchange(
  renewDocument: DocumentNode,
  options: CustomerTokenExchangeOptions,
): Exchange {
  const config = resolveCustomerOptions(options);
  const apiVersion = documentVersion(renewDocument);
  const version: SessionContext = apiVersion === undefined ? {} : { apiVersion };
  /** What an operation the exchange filled in carries; one frozen object shared by every such operation. */
  const stamp: SessionContext = Object.freeze({ ...version, injected: true as const });
  return ({ forward, client }) =>
    (ops$) => {
      let renewals = 0;
      const session = createCustomerSession(config);
      const shared$ = share(ops$);
      const ready = makeSubject<Operation>();
      const direct = makeSubject<OperationResult>();

      const renew = (from: Token, abort: AbortSignal, origin: unknown): Promise<RenewAnswer> =>
        new Promise((resolve) => {
          const id = ++renewals;
          const context = origin as OperationContext;
          const request = createRequest(renewDocument, { [TOKEN_VARIABLE]: from.accessToken });
          // A fresh operation from the client, carrying only the transport settings of the operation that
          // triggered it (per-request headers such as a buyer IP), never its cache or retry state.
          const settings: Record<string, unknown> = {
            requestPolicy: 'network-only',
            [SESSION_KEY]: { renewal: id, ...version } satisfies SessionContext,
          };
          for (const key of TRANSPORT) if (context[key] !== undefined) settings[key] = context[key];
          const operation = client.createRequestOperation('mutation', request, settings);
          const done = (answer: RenewAnswer) => {
            abort.removeEventListener('abort', stop);
            resolve(answer);
          };
          // The session gave up on it (time limit): tear the request down, so fetchExchange aborts it.
          const stop = () => {
            done({ kind: 'unavailable', error: undefined, cause: null });
            ready.next(makeOperation('teardown', operation, operation.context));
          };
          abort.addEventListener('abort', stop);
          pipe(
            results$,
            filter((result) => sessionOf(result.operation)?.renewal === id),
            take(1),
            subscribe((result) => done(classifyRenew(result as OperationResult<RenewData>))),
          );
          ready.next(operation);
        });

      const resends = makeSubject<Operation>();
      const passthrough$ = pipe(
        merge([shared$, resends.source]),
        map((op): Operation | null => {
          if (!needsToken(op)) return op;
          const decision = session.decide(renew, op.context);
          if (!(decision instanceof Promise)) return inject(op, decision, stamp);
          // Not decided at once: the operation waits for the decision until its teardown, which drops it.
          pipe(
            fromPromise(
              decision.catch((): Decision => ({ kind: 'fail', signal: { kind: 'store-failure', method: 'get' } })),
            ),
            takeUntil(
              pipe(
                shared$,
                filter((next) => next.kind === 'teardown' && next.key === op.key),
              ),
            ),
            subscribe((later) => {
              if (later.kind === 'fail') direct.next(makeErrorResult(op, new CustomerSessionError(later.signal)));
              else ready.next(inject(op, later, stamp));
            }),
          );
          return null;
        }),
        filter((op): op is Operation => op !== null),
      );
      const results$: Source<OperationResult> = share(forward(merge([passthrough$, ready.source])));
      return merge([
        direct.source,
        pipe(
          results$,
          filter((result) => {
            if (sessionOf(result.operation)?.renewal !== undefined) return false;
            const refused = refusedToken(result);
            if (refused === null) return true;
            // The server refused the token: the answer waits for the session (sign out, or send once more).
            void session.revoked(refused).then((signal) => {
              if (signal?.kind !== 'sign-in-required' && !sessionOf(result.operation)?.resent) {
                // The store holds another token by now (another client renewed), or could not be read (a hand-over
                // may still bring one): send once more with it.
                resends.next(resendable(result.operation));
                return;
              }
              const error = combinedErrorFor(signal ?? { kind: 'sign-in-required', reason: 'invalid' });
              direct.next({ ...settle(result), error });
            });
            return false;
          }),
          map(settle),
        ),
      ]);
    };
}

/** Whether the exchange should fill in the token: the document declares it and the caller did not pass one. */
function needsToken(op: Operation): boolean {
  if (op.kind === 'teardown' || sessionOf(op)?.renewal !== undefined) return false;
  return (
    declaresVariable(op.query, TOKEN_VARIABLE) &&
    op.variables?.[TOKEN_VARIABLE as keyof typeof op.variables] === undefined
  );
}

function inject(op: Operation, { token, renewal }: SendDecision, stamp: SessionContext): Operation {
  const resent = sessionOf(op)?.resent;
  // The common case shares one frozen context object per exchange; only a delayed or resent operation gets its own.
  const session: SessionContext =
    renewal || resent
      ? { ...stamp, ...(renewal && { renewalUnavailable: renewal }), ...(resent && { resent }) }
      : stamp;
  // The operation as makeOperation would make it, in one copy instead of two; `withEntry`, not spreads (see objects.ts).
  return {
    ...op,
    variables: withEntry(op.variables as object | undefined, TOKEN_VARIABLE, token.accessToken),
    context: withEntry(op.context, SESSION_KEY, session),
  };
}

/** The operation without its injected token and transport state, marked so that it is sent again only once. */
function resendable(op: Operation): Operation {
  const { [TOKEN_VARIABLE]: _used, ...variables } = (op.variables ?? {}) as Record<string, unknown>;
  const {
    [SESSION_KEY]: _own,
    storefront: _transport,
    ...context
  } = op.context as OperationContext & {
    storefront?: unknown;
  };
  return makeOperation(op.kind, { ...op, variables }, { ...context, [SESSION_KEY]: { resent: true } });
}

/** The injected token a root `customer` field came back `null` for: the server says it does not work. */
function refusedToken(result: OperationResult): string | null {
  if (!sessionOf(result.operation)?.injected || result.error) return null;
  const used = (result.operation.variables as Record<string, unknown> | undefined)?.[TOKEN_VARIABLE];
  const data = result.data as Record<string, unknown> | null | undefined;
  if (!data || typeof used !== 'string') return null;
  for (const key of customerFieldKeys(result.operation.query)) if (data[key] === null) return used;
  return null;
}

/**
 * Removes the injected token from the result's operation's variables (the app never sees it), and reports a
 * transient renewal failure.
 *
 * @remarks
 * The variables are the exchange's own copy (made by `inject`, or by an exchange below from it) and the request is
 * over, so the token is deleted from them in place (`deleteEntry`). A result that more parts follow (`hasNext`) is
 * copied instead, as is one carrying a report or whose variables an exchange below froze.
 */
function settle(result: OperationResult): OperationResult {
  const session = sessionOf(result.operation);
  if (!session?.injected) return result;
  const used = result.operation.variables as Record<string, unknown> | undefined;
  if (!result.hasNext && !session.renewalUnavailable && deleteEntry(used, TOKEN_VARIABLE)) return result;
  const { [TOKEN_VARIABLE]: _used, ...variables } = (used ?? {}) as Record<string, unknown>;
  // The context stays as it is (no copy per result): its session entry holds no token, and an exchange above that
  // sends the operation again gets the token injected afresh.
  const settled: OperationResult = { ...result, operation: { ...result.operation, variables } };
  if (session.renewalUnavailable) {
    settled.extensions = withEntry(settled.extensions, CUSTOMER_SESSION_EXTENSION, {
      renewal: session.renewalUnavailable,
    });
  }
  return settled;
}
