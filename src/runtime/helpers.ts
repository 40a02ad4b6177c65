import type { Client, CombinedError, OperationContext } from '@urql/core';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DEFAULT_CLOCK_SKEW_MS } from './customerTokenOptions.js';
import { invalid } from './errors.js';
import {
  classifyRenew,
  copyUserError,
  hasErrorCode,
  isUserError,
  type RenewData,
  type UserError,
} from './renewOutcome.js';
import { expiresAtMs, isToken, type Token, type TokenStore } from './tokenStore.js';

/** Any urql client (`@urql/core`, React's `urql`, Vue, Svelte): only `mutation` is used. */
export type MutationClient = Pick<Client, 'mutation'>;

/** Options every helper takes. */
export interface HelperOptions {
  /** The clock, to skip the request for a token that has already expired. @defaultValue `Date.now` */
  now?: () => number;
  /** A token this close to `expiresAt` counts as expired. @defaultValue 5 minutes */
  clockSkewMs?: number;
  /** Extra urql context for the request (e.g. `fetchOptions`). */
  context?: Partial<OperationContext>;
}

/** What {@link renewCustomerAccessToken} answers. */
export type RenewTokenResult =
  | { ok: true; token: Token }
  | { ok: false; reason: 'expired' | 'invalid' | 'unavailable'; userErrors: UserError[]; error?: CombinedError };

/** A `CustomerUserError` of the create payload. */
export interface CustomerUserError extends UserError {
  code: string | null;
}

/** What {@link createCustomerAccessToken} answers. */
export type CreateTokenResult =
  | { ok: true; token: Token }
  | {
      ok: false;
      reason: 'unidentified' | 'rejected' | 'unavailable';
      customerUserErrors: CustomerUserError[];
      error?: CombinedError;
    };

/** What {@link deleteCustomerAccessToken} answers. The store is cleared in every case but `store-failure`. */
export type DeleteTokenResult =
  | { ok: true; server: 'deleted' | 'already-invalid' | 'not-signed-in' }
  /** The server could not be reached: the customer is signed out here, the token may live on until it expires. */
  | { ok: false; reason: 'unavailable'; error?: CombinedError }
  /** The store could not be read or cleared: the customer may still be signed in here. */
  | { ok: false; reason: 'store-failure'; cause: unknown };

interface CreateData {
  customerAccessTokenCreate: { customerAccessToken: Token | null; customerUserErrors: CustomerUserError[] } | null;
}
interface DeleteData {
  customerAccessTokenDelete: { deletedAccessToken: string | null; userErrors: UserError[] } | null;
}

const isExpired = (token: Token, options: HelperOptions) =>
  !((options.now ?? Date.now)() < expiresAtMs(token) - (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS));
const contextOf = (options: HelperOptions): Partial<OperationContext> => ({
  requestPolicy: 'network-only',
  ...options.context,
});

/**
 * Renews `token` with `document` (the version's renew mutation). An expired token is never sent.
 *
 * @returns `{ ok: true, token }` (store it), or why not: `expired` (sign in again, no request made), `invalid`
 * (the server refused it: sign in again), `unavailable` (transient: keep the current token, try later).
 */
export async function renewWith(
  client: MutationClient,
  document: TypedDocumentNode<any, { customerAccessToken: string }>,
  token: Token,
  options: HelperOptions = {},
): Promise<RenewTokenResult> {
  if (!isToken(token)) throw invalid('token', typeof token, 'Expected { accessToken, expiresAt } as stored.');
  if (isExpired(token, options)) return { ok: false, reason: 'expired', userErrors: [] };
  const result = await client
    .mutation(document, { customerAccessToken: token.accessToken }, contextOf(options))
    .toPromise();
  // A renewed token must be live (as the exchange judges it): an expired one stored would sign the customer out.
  const notBefore = (options.now ?? Date.now)() + (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS);
  const answer = classifyRenew(result as { data?: RenewData; error?: CombinedError }, notBefore);
  if (answer.kind === 'renewed') return { ok: true, token: answer.token };
  return {
    ok: false,
    reason: answer.kind,
    userErrors: answer.kind === 'invalid' ? answer.userErrors : [],
    ...(answer.error ? { error: answer.error } : {}),
  };
}

/**
 * Signs a customer in with `document` (the version's create mutation).
 *
 * @returns `{ ok: true, token }` (store it), or `unidentified` (wrong email or password, or an account never
 * activated), `rejected` (other `customerUserErrors`, e.g. a disabled account), `unavailable` (transient).
 */
export async function createWith(
  client: MutationClient,
  document: TypedDocumentNode<any, { input: { email: string; password: string } }>,
  credentials: { email: string; password: string },
  options: HelperOptions = {},
): Promise<CreateTokenResult> {
  if (typeof credentials?.email !== 'string') throw invalid('email', typeof credentials?.email, 'Expected a string.');
  if (typeof credentials.password !== 'string')
    throw invalid('password', typeof credentials.password, 'Expected a string.');
  const input = { email: credentials.email, password: credentials.password };
  const result = await client.mutation(document, { input }, contextOf(options)).toPromise();
  const payload = (result.data as CreateData | undefined)?.customerAccessTokenCreate;
  const token = payload?.customerAccessToken;
  // A token whose expiresAt is no date would sign the customer out as soon as it is stored: no usable answer.
  if (isToken(token) && !Number.isNaN(expiresAtMs(token)))
    return { ok: true, token: { accessToken: token.accessToken, expiresAt: token.expiresAt } };
  const listed: unknown = payload?.customerUserErrors;
  const customerUserErrors = (Array.isArray(listed) ? (listed as CustomerUserError[]).filter(isUserError) : []).map(
    (e) => ({ ...copyUserError(e), code: typeof e.code === 'string' ? e.code : null }),
  );
  const error = result.error ? { error: result.error } : {};
  if (customerUserErrors.some((e) => e.code === 'UNIDENTIFIED_CUSTOMER'))
    return { ok: false, reason: 'unidentified', customerUserErrors, ...error };
  if (customerUserErrors.length > 0) return { ok: false, reason: 'rejected', customerUserErrors, ...error };
  return { ok: false, reason: 'unavailable', customerUserErrors, ...error };
}

/**
 * Signs the customer out: deletes the stored token on the server with `document` (the version's delete
 * mutation) and clears `store`, also when the server says the token was already invalid or cannot be reached.
 */
export async function deleteWith(
  client: MutationClient,
  document: TypedDocumentNode<any, { customerAccessToken: string }>,
  target: { store: TokenStore },
  options: HelperOptions = {},
): Promise<DeleteTokenResult> {
  const store = target?.store;
  if (!store || typeof store.get !== 'function' || typeof store.clear !== 'function') {
    throw invalid('store', typeof store, 'Pass { store } with the token store the customer token exchange uses.');
  }
  let token: unknown;
  try {
    token = await store.get();
  } catch (cause) {
    return { ok: false, reason: 'store-failure', cause };
  }
  let outcome: DeleteTokenResult;
  if (!isToken(token)) outcome = { ok: true, server: 'not-signed-in' };
  else if (isExpired(token, options)) outcome = { ok: true, server: 'already-invalid' };
  else {
    const result = await client
      .mutation(document, { customerAccessToken: token.accessToken }, contextOf(options))
      .toPromise();
    const payload = (result.data as DeleteData | undefined)?.customerAccessTokenDelete;
    if (payload?.deletedAccessToken) outcome = { ok: true, server: 'deleted' };
    else if (
      (Array.isArray(payload?.userErrors) && payload.userErrors.length > 0) ||
      hasErrorCode(result, 'ACCESS_DENIED')
    )
      outcome = { ok: true, server: 'already-invalid' };
    else outcome = { ok: false, reason: 'unavailable', ...(result.error ? { error: result.error } : {}) };
  }
  try {
    await store.clear();
  } catch (cause) {
    return { ok: false, reason: 'store-failure', cause };
  }
  return outcome;
}
