import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, fetchExchange } from '@urql/core';
import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CustomerDocument, CustomerOrdersDocument } from 'storefront-customer-session/customer-account/2026-04';
import {
  createEmulator,
  DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER,
  readCustomerAccountSchemas,
  readSchemas,
  startEmulator,
  type FetchEmulator,
} from '../../../src/testing/index.js';
import { UNAUTHORIZED_BODY } from '../../../src/testing/customerAccount/graphqlEndpoint.js';
import { createCustomerAccountTokens } from '../../../src/testing/customerAccount/accessTokens.js';
import { createCustomerAccountGraphql } from '../../../src/testing/customerAccount/graphqlApi.js';
import type { EmulatorRequest } from '../../../src/testing/handler.js';
import { schemaSetFromSdl } from '../../../src/testing/schemaSet.js';

/** 2026-12-05: Customer Account 2026-01 … 2026-10 supported, 2025-10 retired (falls forward to 2026-01). */
const DEC_2026 = Date.UTC(2026, 11, 5, 12);
const HOUR = 3_600_000;
const OTHER_SHOP_ID = '60000000001';
const ada = DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER;

let em: FetchEmulator;
beforeAll(() => {
  em = createEmulator({
    schemas: readSchemas(),
    customerAccountSchemas: readCustomerAccountSchemas(),
    now: DEC_2026,
  });
});
afterAll(() => em.close());
afterEach(() => em.customerAccount.graphqlCounters.reset());

const url = (version = '2026-04') => em.customerAccount.urls.graphql(version);
const post = (
  authorization: string | undefined,
  query: string,
  options: { variables?: Record<string, unknown>; version?: string } = {},
) =>
  em.fetch(url(options.version), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization === undefined ? {} : { Authorization: authorization }),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });

describe('the Customer Account GraphQL endpoint', () => {
  it("answers the package's CustomerDocument for a live access token: the signed-in customer with name and email", async () => {
    const token = em.customerAccount.issueAccessToken();
    const response = await post(token, print(CustomerDocument));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-shopify-api-version')).toBe('2026-04');
    expect(await response.json()).toEqual({
      data: {
        customer: {
          id: ada.customerId,
          firstName: 'Ada',
          lastName: 'Lovelace',
          displayName: 'Ada Lovelace',
          emailAddress: { emailAddress: 'customer@example.com' },
        },
      },
    });
    expect(em.customerAccount.graphqlCounters.count('Customer')).toBe(1);
  });

  it('issues tokens for whom the sign-in signs in (settings.signInAs), or for any customer given', async () => {
    em.customers.add({ email: 'grace@example.com', password: 'pw', firstName: 'Grace', lastName: 'Hopper' });
    em.customerAccount.settings.signInAs = 'grace@example.com';
    try {
      const grace = await (await post(em.customerAccount.issueAccessToken(), '{ customer { firstName } }')).json();
      expect(grace).toEqual({ data: { customer: { firstName: 'Grace' } } });
    } finally {
      em.customerAccount.settings.signInAs = 'customer@example.com';
    }
    const other = { customerId: 'gid://shopify/Customer/9', email: 'x@example.com', firstName: 'X', lastName: '' };
    const x = await (await post(em.customerAccount.issueAccessToken(other), '{ customer { id displayName } }')).json();
    expect(x).toEqual({ data: { customer: { id: 'gid://shopify/Customer/9', displayName: 'X' } } });
  });

  it('takes the token with or without a Bearer prefix', async () => {
    const token = em.customerAccount.issueAccessToken();
    for (const authorization of [token, `Bearer ${token}`, `bearer  ${token}`]) {
      const response = await post(authorization, '{ customer { id } }');
      expect(response.status, authorization.slice(0, 7)).toBe(200);
    }
  });

  it('answers 401 for a missing, unknown or expired token', async () => {
    const expiring = em.customerAccount.issueAccessToken(ada, HOUR);
    em.clock.advance(HOUR);
    try {
      for (const authorization of [undefined, '', 'shcat_unknown', expiring]) {
        const response = await post(authorization, print(CustomerDocument));
        expect(response.status).toBe(401);
        expect(await response.text()).toBe(UNAUTHORIZED_BODY);
      }
    } finally {
      em.clock.set(DEC_2026);
    }
    expect(JSON.parse(UNAUTHORIZED_BODY)).toEqual({
      errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHORIZED' } }],
    });
  });

  it('answers CustomerOrdersDocument from the seeded orders, newest first, a page at a time', async () => {
    const customer = { ...ada, customerId: 'gid://shopify/Customer/77', email: 'grace@example.com' };
    const day = (d: number) => Date.UTC(2026, 10, d);
    for (const [name, d] of [
      ['#1001', 3],
      ['#1003', 9],
      ['#1002', 5],
    ] as const)
      em.customerAccount.addOrder(customer.customerId, {
        name,
        processedAt: day(d),
        totalPrice: { amount: `${d}.50`, currencyCode: 'EUR' },
      });
    const token = em.customerAccount.issueAccessToken(customer);
    const first = await (await post(token, print(CustomerOrdersDocument), { variables: { first: 2 } })).json();
    const orders = first.data.customer.orders;
    expect(orders.nodes.map((o: { name: string }) => o.name)).toEqual(['#1003', '#1002']);
    expect(orders.nodes[0]).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      name: '#1003',
      processedAt: '2026-11-09T00:00:00Z',
      totalPrice: { amount: '9.50', currencyCode: 'EUR' },
    });
    expect(orders.pageInfo).toEqual({ hasNextPage: true, endCursor: orders.nodes[1].id });
    const next = await (
      await post(token, print(CustomerOrdersDocument), { variables: { first: 2, after: orders.pageInfo.endCursor } })
    ).json();
    expect(next.data.customer.orders.nodes.map((o: { name: string }) => o.name)).toEqual(['#1001']);
    expect(next.data.customer.orders.pageInfo.hasNextPage).toBe(false);
  });

  it("answers an empty order history for a customer without orders, and Shopify's error past 250", async () => {
    const token = em.customerAccount.issueAccessToken();
    const empty = await (await post(token, print(CustomerOrdersDocument), { variables: { first: 10 } })).json();
    expect(empty.data.customer.orders).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const tooMany = await (await post(token, print(CustomerOrdersDocument), { variables: { first: 251 } })).json();
    expect(tooMany.errors[0].message).toBe('The first argument must be between 0 and 250.');
  });

  it("validates against the requested version's Customer Account schema", async () => {
    const token = em.customerAccount.issueAccessToken();
    // The Storefront's customer read: no such argument in the Customer Account API.
    const storefront = await (await post(token, 'query { customer(customerAccessToken: "x") { id } }')).json();
    expect(storefront.data).toBeUndefined();
    expect(storefront.errors[0].message).toBe('Unknown argument "customerAccessToken" on field "QueryRoot.customer".');
    // Customer.lastIncompleteCheckout is in 2026-07 and gone in 2026-10.
    const query = '{ customer { lastIncompleteCheckout { id } } }';
    const old = await (await post(token, query, { version: '2026-07' })).json();
    expect(old).toEqual({ data: { customer: { lastIncompleteCheckout: null } } });
    const current = await (await post(token, query, { version: '2026-10' })).json();
    expect(current.errors[0].message).toBe("Field 'lastIncompleteCheckout' doesn't exist on type 'Customer'");
  });

  it('falls forward from a retired version like the Storefront routing, and says which version served', async () => {
    const token = em.customerAccount.issueAccessToken();
    const retired = await post(token, print(CustomerDocument), { version: '2025-10' });
    expect(retired.status).toBe(200);
    expect(retired.headers.get('x-shopify-api-version')).toBe('2026-01');
    const unreleased = await post(token, '{ customer { id } }', { version: '2027-04' });
    expect(unreleased.headers.get('x-shopify-api-version')).toBe('2026-01');
    expect((await post(token, '{ customer { id } }', { version: '2026-13' })).status).toBe(404);
  });

  it("answers 404 for another shop's path, as the sign-in's discovery names this shop's", async () => {
    const token = em.customerAccount.issueAccessToken();
    expect(url()).toBe(`${em.url}/${em.customerAccount.shopId}/account/customer/api/2026-04/graphql`);
    const other = await em.fetch(`${em.url}/${OTHER_SHOP_ID}/account/customer/api/2026-04/graphql`, {
      method: 'POST',
      headers: { Authorization: token },
      body: JSON.stringify({ query: '{ customer { id } }' }),
    });
    expect(other.status).toBe(404);
  });

  it('answers garbage as data: bad JSON 400, no query, a syntax error, too deep, too large 413', async () => {
    const token = em.customerAccount.issueAccessToken();
    const send = (body: string) =>
      em.fetch(url(), { method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body });
    expect((await send('{not json')).status).toBe(400);
    expect(await (await send('{}')).json()).toEqual({ errors: [{ message: 'No query string was present' }] });
    const syntax = await (await send(JSON.stringify({ query: '{ customer {' }))).json();
    expect(syntax.data).toBeUndefined();
    expect(syntax.errors[0].message).toMatch(/^Syntax Error/);
    const deep = `{ customer { ${'orders(first: 1) { nodes { customer { '.repeat(6)}id${' } } }'.repeat(6)} } }`;
    expect((await (await send(JSON.stringify({ query: deep }))).json()).errors[0].message).toMatch(
      /exceeds the max depth/,
    );
    expect((await send(JSON.stringify({ query: `{ customer { id } } #${'x'.repeat(1 << 20)}` }))).status).toBe(413);
  });

  it('answers a CORS preflight that allows the Authorization header, and 405 to anything but POST', async () => {
    const preflight = await em.fetch(url(), { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const get = await em.fetch(url(), { method: 'GET' });
    expect(get.status).toBe(405);
  });

  it('serves a typed urql client: CustomerDocument through fetchExchange with the token header', async () => {
    const token = em.customerAccount.issueAccessToken();
    const client = new Client({
      url: url(),
      fetch: em.fetch,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { Authorization: token } },
      preferGetMethod: false,
    });
    const result = await client.query(CustomerDocument, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data?.customer.emailAddress?.emailAddress).toBe('customer@example.com');
  });

  it('leaves the Storefront endpoint as it was: an access token is not a storefront token', async () => {
    const token = em.customerAccount.issueAccessToken();
    const storefront = await em.fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': token },
      body: JSON.stringify({ query: '{ shop { name } }' }),
    });
    expect(storefront.status).toBe(401);
  });
});

describe('the endpoint and the shared access tokens', () => {
  it('answers 401 once the sign-in revokes a token it answered 200 for', async () => {
    const clock = { now: () => DEC_2026 };
    const tokens = createCustomerAccountTokens(clock);
    const schemas = schemaSetFromSdl(readCustomerAccountSchemas());
    const api = createCustomerAccountGraphql({ now: clock.now, tokens, schemas: () => schemas, maxDepth: 17 });
    const token = tokens.issue(ada, HOUR);
    const request = (authorization: string): EmulatorRequest => ({
      method: 'POST',
      path: `/${OTHER_SHOP_ID}/account/customer/api/2026-04/graphql`,
      header: (name) => (name === 'authorization' ? authorization : undefined),
      text: async () => JSON.stringify({ query: '{ customer { id } }' }),
    });
    expect(api.handles(request(token).path)).toBe(true);
    expect(api.handles('/api/2026-04/graphql.json')).toBe(false);
    expect(await api.answer(request(token))).toMatchObject({ status: 200 });
    tokens.revoke(token);
    expect(await api.answer(request(token))).toMatchObject({ status: 401, body: UNAUTHORIZED_BODY });
  });
});

describe('an emulator without Customer Account schemas', () => {
  it('answers 404 on the Customer Account path, naming the option, and serves the Storefront', async () => {
    const storefrontOnly = createEmulator({ schemas: readSchemas(), now: DEC_2026 });
    const token = storefrontOnly.customerAccount.issueAccessToken();
    const response = await storefrontOnly.fetch(storefrontOnly.customerAccount.urls.graphql('2026-04'), {
      method: 'POST',
      headers: { Authorization: token },
      body: JSON.stringify({ query: '{ customer { id } }' }),
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('customerAccountSchemas');
    await storefrontOnly.close();
  });
});

describe('over HTTP (startEmulator)', () => {
  it("reads the package's schema/customer-account/ by default and answers on the server", async () => {
    const server = await startEmulator({ now: DEC_2026 });
    try {
      const token = server.customerAccount.issueAccessToken();
      const response = await fetch(server.customerAccount.urls.graphql('2026-10'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: token },
        body: JSON.stringify({ query: print(CustomerDocument) }),
      });
      expect(response.status).toBe(200);
      expect((await response.json()).data.customer.firstName).toBe('Ada');
    } finally {
      await server.close();
    }
  });

  it('starts with a schema folder that has no customer-account/ sub-folder, and answers 404 there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-ca-schemas-'));
    copyFileSync(join(import.meta.dirname, '../../../schema/2026-04.graphql'), join(dir, '2026-04.graphql'));
    const server = await startEmulator({ now: DEC_2026, schemaDir: dir });
    try {
      const response = await fetch(server.customerAccount.urls.graphql('2026-04'), {
        method: 'POST',
        body: '{}',
      });
      expect(response.status).toBe(404);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
