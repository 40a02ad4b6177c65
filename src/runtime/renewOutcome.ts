import type { CombinedError, OperationResult } from '@urql/core';
import { signalOf, type StorefrontUnavailable } from './signals.js';
import { isToken, type Token } from './tokenStore.js';

/** A `UserError` as every version's renew and delete payloads type it. */
export interface UserError {
  field: string[] | null;
  message: string;
}

/** The renew payload, identical in every published version (2024-01 to 2026-04). */
export interface RenewData {
  customerAccessTokenRenew: { customerAccessToken: Token | null; userErrors: UserError[] } | null;
}

/** What a renew answer means for the session. */
export type RenewAnswer =
  | { kind: 'renewed'; token: Token }
  /**
   * A definite "this token is not valid": `userErrors`, or a top-level `ACCESS_DENIED` (both shapes in STOREFRONT.md).
   */
  | { kind: 'invalid'; userErrors: UserError[]; error: CombinedError | undefined }
  /** No definite answer (network, 5xx, 429, 430, an unexpected shape): the token is kept. */
  | { kind: 'unavailable'; error: CombinedError | undefined; cause: StorefrontUnavailable | null };

/** Whether a result carries a GraphQL error with `extensions.code` `code`. */
export function hasErrorCode(result: Pick<OperationResult, 'error'>, code: string): boolean {
  return result.error?.graphQLErrors.some((e) => e.extensions?.['code'] === code) ?? false;
}

/**
 * Classifies a renew result. Only a definite answer is `invalid`; anything unexpected is `unavailable`, so
 * that no surprise can sign a customer out.
 */
export function classifyRenew(result: Pick<OperationResult<RenewData>, 'data' | 'error'>): RenewAnswer {
  const payload = result.data?.customerAccessTokenRenew;
  const token = payload?.customerAccessToken;
  // Copy only the two fields: a cache exchange may have added __typename.
  if (isToken(token)) return { kind: 'renewed', token: { accessToken: token.accessToken, expiresAt: token.expiresAt } };
  if (payload && payload.userErrors.length > 0)
    return { kind: 'invalid', userErrors: payload.userErrors.map(copyUserError), error: result.error };
  if (hasErrorCode(result, 'ACCESS_DENIED')) return { kind: 'invalid', userErrors: [], error: result.error };
  const signal = signalOf(result.error);
  return { kind: 'unavailable', error: result.error, cause: signal?.kind === 'storefront-unavailable' ? signal : null };
}

/** A plain copy of a user error (no `__typename`). */
export function copyUserError(error: UserError): UserError {
  return { field: error.field, message: error.message };
}
