// Budget baseline: @urql/core + fetchExchange + the two 2026-04 documents the package app carries (the renew
// document, inside its exchanges, and CustomerDocument), nothing of this package's runtime.
import { Client, fetchExchange } from '@urql/core';
import { CustomerAccessTokenRenewDocument, CustomerDocument } from '../../generated/2026-04/graphql.js';

const client = new Client({
  url: 'https://shop.example.com/api/2026-04/graphql.json',
  fetchOptions: { headers: { 'X-Shopify-Storefront-Access-Token': 'public-token' } },
  exchanges: [fetchExchange],
});

/** Renews a customer access token by hand. */
export function renew(customerAccessToken: string) {
  return client.mutation(CustomerAccessTokenRenewDocument, { customerAccessToken }).toPromise();
}

/** Reads the signed-in customer by hand. */
export function customer(customerAccessToken: string) {
  return client.query(CustomerDocument, { customerAccessToken }).toPromise();
}
