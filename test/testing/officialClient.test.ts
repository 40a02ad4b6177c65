import { createStorefrontApiClient } from '@shopify/storefront-api-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';

const CREATE = `mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {
  customerAccessTokenCreate(input: $input) {
    customerAccessToken { accessToken expiresAt }
    customerUserErrors { code field message }
  }
}`;
const CUSTOMER = 'query Customer($t: String!) { customer(customerAccessToken: $t) { id email } }';
const RENEW = `mutation CustomerAccessTokenRenew($t: String!) {
  customerAccessTokenRenew(customerAccessToken: $t) {
    customerAccessToken { accessToken expiresAt }
    userErrors { field message }
  }
}`;
const DELETE = `mutation CustomerAccessTokenDelete($t: String!) {
  customerAccessTokenDelete(customerAccessToken: $t) {
    deletedAccessToken deletedCustomerAccessTokenId userErrors { field message }
  }
}`;

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator({ now: Date.UTC(2026, 5, 15) });
});
afterAll(() => em.close());

it('runs create → customer → renew → delete through Shopify’s official storefront-api-client', async () => {
  const requested: string[] = [];
  const client = createStorefrontApiClient({
    storeDomain: 'https://emulated-shop.myshopify.com',
    apiVersion: '2026-04',
    publicAccessToken: em.publicAccessToken,
    // The client insists on https and a shop domain; send its requests to the emulator instead.
    customFetchApi: (url, init) => {
      const target = new URL(String(url));
      requested.push(target.pathname);
      return fetch(`${em.url}${target.pathname}${target.search}`, init);
    },
  });

  const created = await client.request(CREATE, {
    variables: { input: { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password } },
  });
  expect(created.errors).toBeUndefined();
  const token = created.data.customerAccessTokenCreate.customerAccessToken.accessToken as string;
  expect(created.data.customerAccessTokenCreate.customerUserErrors).toEqual([]);
  expect(created.extensions).toEqual({ cost: { requestedQueryCost: 13 } });

  const read = await client.request(CUSTOMER, { variables: { t: token } });
  expect(read.data.customer.email).toBe(DEFAULT_CUSTOMER.email);

  const renewed = await client.request(RENEW, { variables: { t: token } });
  expect(renewed.errors).toBeUndefined();
  const next = renewed.data.customerAccessTokenRenew.customerAccessToken.accessToken as string;
  expect(next).toMatch(/^[0-9a-f]{32}$/);

  const deleted = await client.request(DELETE, { variables: { t: next } });
  expect(deleted.data.customerAccessTokenDelete).toMatchObject({ deletedAccessToken: next, userErrors: [] });
  const after = await client.request(CUSTOMER, { variables: { t: next } });
  expect(after.data).toEqual({ customer: null });

  const denied = await client.request(DELETE, { variables: { t: next } });
  expect(denied.errors?.graphQLErrors?.[0]?.extensions?.code).toBe('ACCESS_DENIED');

  expect(requested).toEqual(Array(6).fill('/api/2026-04/graphql.json'));
  expect(em.counters.byOperation()).toMatchObject({
    CustomerAccessTokenCreate: 1,
    Customer: 2,
    CustomerAccessTokenRenew: 1,
    CustomerAccessTokenDelete: 2,
  });
});
