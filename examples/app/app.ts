/**
 * An app with operations of its own (operations/*.graphql), compiled by the package's CLI into documents bound
 * to their API version (generated/<version>/documents.ts):
 *
 *   storefront-customer-session codegen --operations 'operations/*.graphql' --out generated --versions 2026-01,2026-04
 *
 * It signs a customer in, reads their orders with `{ first }` only (the exchange adds the token), reads the
 * shop's name, and shows that a document generated for 2026-01 is refused by the 2026-04 exchanges.
 */
import { Client, fetchExchange } from '@urql/core';
import {
  createCustomerAccessToken,
  customerTokenExchange,
  memoryTokenStore,
  signalOf,
  storefrontExchange,
} from 'storefront-customer-session/2026-04';
import { CustomerOrdersDocument, ShopNameDocument, type CustomerOrdersQuery } from './generated/2026-04/documents.js';
import { CustomerOrdersDocument as CustomerOrders202601 } from './generated/2026-01/documents.js';

/** Where the app runs: a store (the emulator in tests) and a customer. */
export interface AppTarget {
  storeDomain: string;
  publicAccessToken: string;
  email: string;
  password: string;
}

/** What the app saw, in plain data. */
export interface AppReport {
  shopName: string | null;
  customerEmail: string | null;
  orders: NonNullable<CustomerOrdersQuery['customer']>['orders']['nodes'];
  /** The signal a 2026-01 document gets from the 2026-04 exchanges. */
  otherVersion: string | undefined;
}

/** Runs the app once against `target`. */
export async function runApp(target: AppTarget): Promise<AppReport> {
  const store = memoryTokenStore();
  const client = new Client({
    url: `https://${target.storeDomain}`,
    exchanges: [
      customerTokenExchange({ store }),
      storefrontExchange({ storeDomain: target.storeDomain, publicAccessToken: target.publicAccessToken }),
      fetchExchange,
    ],
  });
  const signIn = await createCustomerAccessToken(client, { email: target.email, password: target.password });
  if (!signIn.ok) throw new Error(`sign in failed: ${signIn.reason}`);
  await store.set(signIn.token);

  const shop = await client.query(ShopNameDocument, {}).toPromise();
  const orders = await client.query(CustomerOrdersDocument, { first: 5 }).toPromise();
  const refused = await client.query(CustomerOrders202601, { first: 5 }).toPromise();
  return {
    shopName: shop.data?.shop.name ?? null,
    customerEmail: orders.data?.customer?.email ?? null,
    orders: orders.data?.customer?.orders.nodes ?? [],
    otherVersion: signalOf(refused)?.kind,
  };
}
