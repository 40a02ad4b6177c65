// The runtime bench's urql + @urql/exchange-auth contender: the renewal policy of bench/apps/urql-auth.ts (the bundle
// app), with the token held in memory (as this package's contender holds it in a memory store) and the clock injected.
// Compiled by esbuild like the package (bench/lib/compiled.ts), so neither side pays tsx's per-closure wrappers.
import { makeOperation, type Exchange } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { CustomerAccessTokenRenewDocument } from '../../generated/2026-04/graphql.js';

/** A customer access token as the app keeps it. */
export interface StoredToken {
  accessToken: string;
  expiresAt: string;
}

/** Options the runtime bench varies. */
export interface AuthPolicyOptions {
  readonly token: StoredToken;
  readonly now: () => number;
}

const RENEW_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * `authExchange` injecting the customer token as the `customerAccessToken` variable, renewing it inside the window
 * before expiry (authExchange keeps one refresh in flight) and dropping it when the store refuses it.
 */
export function customerAuthExchange(options: AuthPolicyOptions): Exchange {
  const { now } = options;
  let token: StoredToken | null = options.token;
  return authExchange(async (utils) => ({
    addAuthToOperation(operation) {
      const variables = operation.variables as Record<string, unknown> | undefined;
      // e.g. the renew mutation itself
      if (!token || variables?.customerAccessToken !== undefined) return operation;
      return makeOperation(
        operation.kind,
        { ...operation, variables: { ...variables, customerAccessToken: token.accessToken } },
        operation.context,
      );
    },
    willAuthError() {
      // An expired token cannot be renewed: only renew inside the window, before expiry.
      if (!token) return false;
      const left = Date.parse(token.expiresAt) - now();
      return left > 0 && left < RENEW_WINDOW_MS;
    },
    didAuthError(error) {
      return error.graphQLErrors.some((e) => e.extensions?.code === 'ACCESS_DENIED');
    },
    async refreshAuth() {
      if (!token || Date.parse(token.expiresAt) <= now()) {
        token = null;
        return;
      }
      const result = await utils.mutate(CustomerAccessTokenRenewDocument, { customerAccessToken: token.accessToken });
      if (result.error?.networkError) return; // transient: keep the token, try again later
      token = result.data?.customerAccessTokenRenew?.customerAccessToken ?? null;
    },
  }));
}
