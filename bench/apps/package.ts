// This package, as the README's app uses it: @urql/core + the 2026-04 entry point's two exchanges with their
// default options (which carry the 2026-04 renew document), the memory token store, and one document
// (CustomerDocument). The exchanges inject the token, renew it ahead of expiry (one renewal in flight), keep it
// on transient failures, retry what Shopify documents as retryable, and clear it on a definite answer.
import { Client, fetchExchange } from '@urql/core';
import { CustomerDocument, customerTokenExchange, storefrontExchange } from '../../generated/2026-04/entry.js';
import { memoryTokenStore } from '../../src/index.js';

/** Where the signed-in customer's token lives. */
export const store = memoryTokenStore();

/** The app's client. */
export const client = new Client({
  url: 'https://shop.example.com',
  exchanges: [
    customerTokenExchange({ store }),
    storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: 'public-token' }),
    fetchExchange,
  ],
});

/** Reads the signed-in customer. */
export function customer() {
  return client.query(CustomerDocument, {}).toPromise();
}
