import type { CombinedError, OperationResult } from '@urql/core';
import { signalOf, type StorefrontUnavailable } from './signals.js';
import { copyToken, isToken, type Token } from './tokenStore.js';

/** A `UserError` as every version's renew and delete payloads type it. */
export interface UserError {
  field: string[] | null;
  message: string;
}

/** The renew payload, identical in every published version (2024-01 to 2026-04). */
export interface RenewData {
  customerAccessTokenRenew: { customerAccessToken: Token | null; userErrors: UserError[] } | null;
}

interface GraphQLErrorLike {
  extensions?: { code?: unknown } | null;
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
  const errors: unknown = result.error?.graphQLErrors;
  return Array.isArray(errors) && errors.some((e) => isObject(e) && (e as GraphQLErrorLike).extensions?.code === code);
}

/**
 * Judges a renew result. Total: whatever the server answered (any shape, any value), it returns and never
 * throws. `renewed` only for a non-empty token string whose `expiresAt` parses and lies after `notBefore` (ms;
 * now plus the skew margin); `invalid` only for a definite answer (`userErrors` entries with a message, or
 * `ACCESS_DENIED`); anything else is `unavailable`, so that no surprise can sign a customer out or replace a
 * good token with an unusable one.
 */
export function classifyRenew(
  result: Pick<OperationResult<RenewData>, 'data' | 'error'>,
  notBefore = -Infinity,
): RenewAnswer {
  try {
    const payload: unknown = (result.data as Record<string, unknown> | null | undefined)?.['customerAccessTokenRenew'];
    const { customerAccessToken: token, userErrors } = (isObject(payload) ? payload : {}) as Record<string, unknown>;
    // Copy only the two fields: a cache exchange may have added __typename.
    if (isToken(token) && Date.parse(token.expiresAt) > notBefore) return { kind: 'renewed', token: copyToken(token) };
    const errors = Array.isArray(userErrors) ? userErrors.filter(isUserError) : [];
    if (!isToken(token) && errors.length > 0)
      return { kind: 'invalid', userErrors: errors.map(copyUserError), error: result.error };
    if (hasErrorCode(result, 'ACCESS_DENIED')) return { kind: 'invalid', userErrors: [], error: result.error };
    const signal = signalOf(result.error);
    return {
      kind: 'unavailable',
      error: result.error,
      cause: signal?.kind === 'storefront-unavailable' ? signal : null,
    };
  } catch {
    return { kind: 'unavailable', error: undefined, cause: null };
  }
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
/** Whether a value has the shape of a {@link UserError} (a `message` string); a server may answer anything. */
export const isUserError = (value: unknown): value is UserError =>
  isObject(value) && typeof (value as UserError).message === 'string';

/** A plain copy of a user error (no `__typename`). */
export function copyUserError(error: UserError): UserError {
  const field = Array.isArray(error.field) ? error.field.filter((part) => typeof part === 'string') : null;
  return { field, message: error.message };
}
