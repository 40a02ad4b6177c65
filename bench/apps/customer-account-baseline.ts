// Baseline of the Customer Account app: @urql/core + fetchExchange + the same document, the access token sent by
// hand (no discovery, no refresh, nothing of this package's runtime).
import { Client, fetchExchange } from '@urql/core';
import { CustomerDocument } from '../../generated/customer-account/2026-04/graphql.js';

const client = new Client({
  url: 'https://shopify.com/1/account/customer/api/2026-04/graphql',
  exchanges: [fetchExchange],
});

/** Reads the signed-in customer by hand. */
export function customer(accessToken: string) {
  return client.query(CustomerDocument, {}, { fetchOptions: { headers: { Authorization: accessToken } } }).toPromise();
}
