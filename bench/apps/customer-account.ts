// The Customer Account API with this package: @urql/core + the customer-account/2026-04 entry point's exchange
// (discovery, the refresh grant and the session core) with the memory store, and one document (CustomerDocument).
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  customerAccountExchange,
  memoryTokenStore,
} from '../../generated/customer-account/2026-04/entry.js';

/** Where the signed-in customer's token set lives. */
export const store = memoryTokenStore();

/** The app's client. */
export const client = new Client({
  url: 'https://shopify.com',
  exchanges: [
    customerAccountExchange({ shop: 'shop.example.com', client: { clientId: 'client-id' }, store }),
    fetchExchange,
  ],
});

/** Reads the signed-in customer. */
export function customer() {
  return client.query(CustomerDocument, {}).toPromise();
}
