// urql + @urql/exchange-auth doing the job by hand: inject the customer token as the
// `customerAccessToken` variable, renew it ahead of expiry (authExchange keeps one refresh in
// flight), and drop it when the store says it is no longer valid.
import { Client, fetchExchange, makeOperation } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { CustomerAccessTokenRenewDocument } from '../../generated/2026-04/graphql.js';

interface StoredToken {
  accessToken: string;
  expiresAt: string;
}

const RENEW_WINDOW_MS = 24 * 60 * 60 * 1000;
const STORAGE_KEY = 'customerAccessToken';

function load(): StoredToken | null {
  const raw = localStorage.getItem(STORAGE_KEY);
  return raw ? (JSON.parse(raw) as StoredToken) : null;
}

function save(token: StoredToken | null): void {
  if (token) localStorage.setItem(STORAGE_KEY, JSON.stringify(token));
  else localStorage.removeItem(STORAGE_KEY);
}

/** The app's client. */
export const client = new Client({
  url: 'https://shop.example.com/api/2026-04/graphql.json',
  fetchOptions: { headers: { 'X-Shopify-Storefront-Access-Token': 'public-token' } },
  exchanges: [
    authExchange(async (utils) => {
      let token = load();
      return {
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
          const left = Date.parse(token.expiresAt) - Date.now();
          return left > 0 && left < RENEW_WINDOW_MS;
        },
        didAuthError(error) {
          return error.graphQLErrors.some((e) => e.extensions?.code === 'ACCESS_DENIED');
        },
        async refreshAuth() {
          if (!token || Date.parse(token.expiresAt) <= Date.now()) {
            token = null;
            save(null);
            return;
          }
          const result = await utils.mutate(CustomerAccessTokenRenewDocument, {
            customerAccessToken: token.accessToken,
          });
          if (result.error?.networkError) return; // transient: keep the token, try again later
          const renewed = result.data?.customerAccessTokenRenew?.customerAccessToken;
          token = renewed ?? null;
          save(token);
        },
      };
    }),
    fetchExchange,
  ],
});
