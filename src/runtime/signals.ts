import { CombinedError, type OperationResult } from '@urql/core';
import { LIBRARY } from './errors.js';

/** Why the customer has to sign in again. */
export type SignInReason =
  /** The token was past `expiresAt` (minus the clock-skew margin): it cannot be renewed. */
  | 'expired'
  /**
   * The server said the token is not valid (renew answered with `userErrors` or `ACCESS_DENIED`, or `customer` was
   * null).
   */
  | 'invalid'
  /** The store held no token: the customer is signed out. */
  | 'missing';

/** The customer must sign in again; the store has been cleared. A definite answer, never a transient failure. */
export interface SignInRequired {
  kind: 'sign-in-required';
  reason: SignInReason;
}

/**
 * The Storefront API could not be reached or refused the request (network error, 5xx, 429, 430, or a bad
 * body), after `attempts` tries. The customer stays signed in.
 */
export interface StorefrontUnavailable {
  kind: 'storefront-unavailable';
  /** The last HTTP status, or `null` when no response arrived (network error). */
  status: number | null;
  /** How many requests were sent, retries included. */
  attempts: number;
  /** `Retry-After` of the last response, in ms, when it had one. */
  retryAfterMs: number | null;
  /** Whether trying again later may succeed (network, 5xx, 429, 430); `false` for 401/402/403/423 and the like. */
  transient: boolean;
}

/** Renewing the token failed for a transient reason; the current (still valid) token is kept and used. */
export interface RenewalUnavailable {
  kind: 'renewal-unavailable';
  /** The transport failure, when there was one (absent for an unexpected GraphQL answer). */
  cause: StorefrontUnavailable | null;
}

/**
 * A renewal succeeded but did not move `expiresAt` later (the server may not extend tokens): the token is kept,
 * and the next renewal waits hours instead of minutes, so renew requests stay bounded. Also a refreshed Customer
 * Account set whose access token lives less than `clockSkewMs`: the set is kept (its refresh token replaced the
 * spent one), its access token is not sent, and it is refreshed again after `renewCooldownMs` (lower `clockSkewMs`
 * below the token endpoint's `expires_in`).
 */
export interface RenewalNotExtending {
  kind: 'renewal-not-extending';
  /** The `expiresAt` the renewal answered with. */
  expiresAt: string;
}

/**
 * The token store failed; nothing is lost (a token that could not be written is kept in memory and rewritten later).
 */
export interface StoreFailure {
  kind: 'store-failure';
  method: 'get' | 'set' | 'clear';
  /** The store's own error message (or that it did not answer in time), with any token string removed. */
  message?: string;
}

/** Shopify served another API version than the documents were generated for (it fell forward). */
export interface VersionMismatch {
  kind: 'version-mismatch';
  requestedVersion: string;
  servedVersion: string;
}

/** The response carried `X-Shopify-API-Deprecated-Reason`. */
export interface Deprecation {
  kind: 'deprecated';
  apiVersion: string;
  reason: string;
}

/** One of this package's documents went through an exchange bound to another API version: it was not sent. */
export interface WrongVersionDocument {
  kind: 'wrong-version-document';
  operationName: string;
  /**
   * The version of the exchange that refused it: `2026-04` for a storefront exchange, `customer-account/2026-04` for
   * a Customer Account exchange.
   */
  apiVersion: string;
  /** The other version: the document's, or that of the customer token exchange that sent it. */
  documentVersion?: string;
}

/** Everything the exchanges and helpers tell the app, as a discriminated union on `kind`. */
export type CustomerSessionSignal =
  | SignInRequired
  | StorefrontUnavailable
  | RenewalUnavailable
  | RenewalNotExtending
  | StoreFailure
  | VersionMismatch
  | Deprecation
  | WrongVersionDocument;

/**
 * The message for a signal, for logs and CLIs. Never contains a token: signals carry none.
 *
 * @remarks
 * {@link CustomerSessionError} uses it outside production only; a production bundle's errors say
 * `storefront-customer-session: <kind>`, so call this (or read `error.signal`) to show more.
 */
export function describeSignal(signal: CustomerSessionSignal): string {
  switch (signal.kind) {
    case 'sign-in-required':
      return (
        `${LIBRARY}: the customer must sign in again ` +
        (signal.reason === 'missing'
          ? '(no customer access token is stored).'
          : `(the customer access token is ${signal.reason}).`)
      );
    case 'storefront-unavailable':
      return (
        `${LIBRARY}: the Storefront API did not answer usefully ` +
        `(${signal.status === null ? 'network error' : `HTTP ${signal.status}`}) after ` +
        `${signal.attempts} ` +
        `attempt(s).${signal.transient ? ' Try again later; the customer stays signed in.' : ''}`
      );
    case 'renewal-unavailable':
      return (
        `${LIBRARY}: the customer access token could not be renewed right now; the current token ` +
        'is kept and renewal is retried later.'
      );
    case 'renewal-not-extending':
      return (
        `${LIBRARY}: the token was renewed but still expires at ${signal.expiresAt}; the next ` + 'renewal waits hours.'
      );
    case 'store-failure':
      return (
        `${LIBRARY}: the token store's ${signal.method}() failed${signal.message ? ` (${signal.message})` : ''}; ` +
        (signal.method === 'get'
          ? 'the token this client knows is used, if any, and the store is read again next time.'
          : 'the token is kept in memory and the write is retried.')
      );
    case 'version-mismatch':
      return (
        `${LIBRARY}: requested Storefront API ${signal.requestedVersion} but ` +
        `${signal.servedVersion} answered (Shopify fell forward). Regenerate and import the entry ` +
        'point for a supported version.'
      );
    case 'deprecated':
      return `${LIBRARY}: Storefront API ${signal.apiVersion} reports a deprecation: ${signal.reason}`;
    case 'wrong-version-document': {
      // A Customer Account binding is `customer-account/<version>`; a Storefront one is the bare version.
      const account = (binding: string | undefined) => (binding ?? '').startsWith('customer-account/');
      if (account(signal.documentVersion) !== account(signal.apiVersion))
        return (
          `${LIBRARY}: the provided document ("${signal.operationName}") is invalid. It was generated for ` +
          `${signal.documentVersion ?? 'another API'} and reached an exchange of ${signal.apiVersion}: send ` +
          'Customer Account documents through customerAccountExchange and Storefront documents through ' +
          'storefrontExchange, each imported from the entry point its documents come from.'
        );
      if (account(signal.apiVersion))
        return (
          `${LIBRARY}: the provided document ("${signal.operationName}") is invalid. It was generated for ` +
          `${signal.documentVersion}, and this exchange is bound to ${signal.apiVersion}. Regenerate your ` +
          `operations (codegen --api customer-account --versions ${signal.apiVersion.slice(17)}), or import the ` +
          `package's documents from "storefront-customer-session/${signal.apiVersion}", like the exchange.`
        );
      return (
        `${LIBRARY}: the provided document ("${signal.operationName}") is invalid. It was generated for ` +
        `${signal.documentVersion ? `API version ${signal.documentVersion}` : 'another API version'}, and this ` +
        `exchange is bound to ${signal.apiVersion}. If it is one of your operations, regenerate your operations ` +
        `for ${signal.apiVersion} (codegen --versions ${signal.apiVersion}) and import them from that entry point ` +
        `(<out>/${signal.apiVersion}/documents.js); the package's own documents come from ` +
        `"storefront-customer-session/${signal.apiVersion}", like the exchanges.`
      );
    }
  }
}

/**
 * The error that carries a {@link CustomerSessionSignal} inside an urql result: `result.error.networkError`
 * is one of these when the exchanges or helpers failed an operation on purpose. Its message is
 * {@link describeSignal}'s sentence outside production and `storefront-customer-session: <kind>` in production;
 * `signal` is the same in both.
 */
export class CustomerSessionError extends Error {
  override name = 'CustomerSessionError';
  /** What happened, typed (`declare`: set in the constructor, without a second class-field definition). */
  declare readonly signal: CustomerSessionSignal;

  constructor(signal: CustomerSessionSignal, options?: { cause?: unknown }) {
    // The full sentence only outside production, so that production bundles drop every sentence.
    super(
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? describeSignal(signal)
        : `${LIBRARY}: ${signal.kind}`,
      options,
    );
    this.signal = signal;
  }
}

/** Wraps a signal as urql's error type, so it can be a result's `error`. */
export function combinedErrorFor(signal: CustomerSessionSignal, cause?: unknown): CombinedError {
  return new CombinedError({
    networkError: new CustomerSessionError(signal, cause === undefined ? undefined : { cause }),
  });
}

/**
 * The typed signal behind a failed result, if this package produced it.
 *
 * @param source - an urql result, its `error`, or any error.
 * @returns the signal, or `undefined` for any other failure (or success).
 * @example
 * ```ts
 * const signal = signalOf(await client.query(CustomerDocument, {}).toPromise());
 * if (signal?.kind === 'sign-in-required') redirectToSignIn();
 * ```
 */
export function signalOf(
  source: Pick<OperationResult, 'error'> | CombinedError | Error | null | undefined,
): CustomerSessionSignal | undefined {
  const error = source instanceof Error ? source : source?.error;
  if (error instanceof CustomerSessionError) return error.signal;
  const networkError = (error as CombinedError | undefined)?.networkError;
  return networkError instanceof CustomerSessionError ? networkError.signal : undefined;
}
