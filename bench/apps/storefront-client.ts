// @shopify/storefront-api-client doing the job by hand: one renewal in flight, only inside the
// window before expiry, the token kept on transient failures.
import { createStorefrontApiClient } from '@shopify/storefront-api-client';

interface StoredToken {
  accessToken: string;
  expiresAt: string;
}

const RENEW = `#graphql
mutation CustomerAccessTokenRenew($customerAccessToken: String!) {
  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {
    customerAccessToken { accessToken expiresAt }
    userErrors { field message }
  }
}`;

const RENEW_WINDOW_MS = 24 * 60 * 60 * 1000;

const client = createStorefrontApiClient({
  storeDomain: 'shop.example.com',
  apiVersion: '2026-04',
  publicAccessToken: 'public-token',
});

let token: StoredToken | null = null;
let renewing: Promise<StoredToken | null> | null = null;

/** Signs the app in with a token obtained elsewhere. */
export function setToken(next: StoredToken | null): void {
  token = next;
}

/** The current token, renewed first when it is inside the renewal window. */
export async function freshToken(): Promise<StoredToken | null> {
  if (!token) return null;
  const left = Date.parse(token.expiresAt) - Date.now();
  if (left <= 0) return (token = null);
  if (left >= RENEW_WINDOW_MS) return token;
  renewing ??= client
    .request<{ customerAccessTokenRenew: { customerAccessToken: StoredToken | null } | null }>(RENEW, {
      variables: { customerAccessToken: token.accessToken },
    })
    .then(({ data }) => {
      if (!data) return token; // network error or 5xx: transient, keep the token
      return (token = data.customerAccessTokenRenew?.customerAccessToken ?? null);
    })
    .finally(() => {
      renewing = null;
    });
  return renewing;
}
