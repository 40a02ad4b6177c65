// One urql client per customer session: a new one at every sign-in, so urql's cache (whose keys do not include the
// injected token) never shows one customer's data to the next. The token lives in localStorage, shared by the
// origin's tabs, which renew once between them (Web Locks).
import { Client, fetchExchange } from '@urql/core';
import {
  customerTokenExchange,
  localStorageTokenStore,
  storefrontExchange,
  webLocksCoordination,
  type SignInRequired,
} from 'storefront-customer-session/2026-04';

const storeDomain = import.meta.env.VITE_STOREFRONT_DOMAIN as string;
const publicAccessToken = import.meta.env.VITE_STOREFRONT_PUBLIC_TOKEN as string;
const url = `https://${storeDomain}`; // replaced: every operation goes to /api/2026-04/graphql.json

export const tokenStore = localStorageTokenStore();

/** The client of one customer session; `onSignInRequired` hears when it ends (expired, invalid, no token). */
export function createSessionClient(onSignInRequired: (signal: SignInRequired) => void): Client {
  return new Client({
    url,
    exchanges: [
      customerTokenExchange({ store: tokenStore, coordination: webLocksCoordination(), onSignInRequired }),
      storefrontExchange({ storeDomain, publicAccessToken }),
      fetchExchange,
    ],
  });
}

/** Signing in needs no customer token: the storefront exchange alone. */
export function createSignInClient(): Client {
  return new Client({ url, exchanges: [storefrontExchange({ storeDomain, publicAccessToken }), fetchExchange] });
}
