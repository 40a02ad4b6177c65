import { Client, fetchExchange } from '@urql/core';
import { assertCustomer, queryText, type CustomerDoc } from './documents.js';
import type { AuthModule, PackageModule } from './compiled.js';

/** The API version every runtime contender asks. */
export const VERSION = '2026-04';

/** The runtime contenders, by key: what the tables call each. */
export const CONTENDERS = {
  ours: 'this package: token + storefront exchanges',
  auth: 'urql + authExchange, hand-written renewal',
  plain: 'urql, fetchExchange only',
  bare: 'bare fetch',
} as const;
export type ContenderKey = keyof typeof CONTENDERS;

/** The compiled code a contender runs (bench/lib/compiled.ts): this package, and the hand-written authExchange. */
export interface ContenderCode {
  readonly pkg: PackageModule;
  readonly auth: AuthModule;
}

/** Where the queries go: the emulator over loopback, or a stub `fetch` in the contender's process. */
export interface Target {
  readonly url: string;
  readonly publicAccessToken: string;
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly now: () => number;
  readonly fetch: typeof fetch;
}

/** One query for the signed-in customer by `key`; it resolves once the customer came back. */
export function contenderQuery(
  key: ContenderKey,
  { pkg, auth }: ContenderCode,
  target: Target,
  documents: readonly CustomerDoc[],
): (worker: number) => Promise<void> {
  const endpoint = `${target.url}/api/${VERSION}/graphql.json`;
  const headers = { 'X-Shopify-Storefront-Access-Token': target.publicAccessToken };
  const fetch = target.fetch;
  switch (key) {
    case 'ours': {
      const client = new Client({
        url: target.url,
        fetch,
        exchanges: [
          ...pkg.packageExchanges({
            storeDomain: target.url,
            publicAccessToken: target.publicAccessToken,
            token: { accessToken: target.accessToken, expiresAt: target.expiresAt },
            now: target.now,
          }),
          fetchExchange,
        ],
      });
      return async (worker) => {
        const result = await client
          .query(documents[worker]!, {} as never, { requestPolicy: 'network-only' })
          .toPromise();
        assertCustomer(result.data, 'this package', result.error);
      };
    }
    case 'auth': {
      // urql + authExchange as an app would set it up (bench/apps/urql-auth.ts): the policy injects the token variable.
      const client = new Client({
        url: endpoint,
        fetch,
        preferGetMethod: false,
        fetchOptions: { headers },
        exchanges: [
          auth.customerAuthExchange({
            token: { accessToken: target.accessToken, expiresAt: target.expiresAt },
            now: target.now,
          }),
          fetchExchange,
        ],
      });
      return async (worker) => {
        const result = await client
          .query(documents[worker]!, {} as never, { requestPolicy: 'network-only' })
          .toPromise();
        assertCustomer(result.data, 'authExchange', result.error);
      };
    }
    case 'plain': {
      // Plain urql as its docs set it up for this API: POST (a GET would put the token in the URL), token header.
      const client = new Client({
        url: endpoint,
        fetch,
        preferGetMethod: false,
        fetchOptions: { headers },
        exchanges: [fetchExchange],
      });
      return async (worker) => {
        const result = await client
          .query(documents[worker]!, { customerAccessToken: target.accessToken }, { requestPolicy: 'network-only' })
          .toPromise();
        assertCustomer(result.data, 'urql', result.error);
      };
    }
    case 'bare': {
      const texts = documents.map(queryText);
      const names = documents.map((_, i) => (i === 0 ? 'Customer' : `Customer${i}`));
      return async (worker) => {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            query: texts[worker],
            variables: { customerAccessToken: target.accessToken },
            operationName: names[worker],
          }),
        });
        const body = (await response.json()) as { data?: unknown };
        assertCustomer(body.data, 'bare fetch');
      };
    }
  }
}

/**
 * A `fetch` that answers in this process, as the emulator would for a live token: isolates what each
 * client costs from the server and the network. It still reads the request, so a query that went out
 * without the right token gets `customer: null` (and fails the check) instead of a free answer, and a renewal
 * fails the query.
 */
export function stubFetch(accessToken: string): typeof fetch {
  const customer = {
    id: 'gid://shopify/Customer/1',
    email: 'customer@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    displayName: 'Ada Lovelace',
  };
  const responseHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'X-Shopify-API-Version': VERSION };
  return async (_input, init) => {
    const sent = JSON.parse(String(init?.body)) as {
      operationName?: string;
      variables?: { customerAccessToken?: string };
    };
    // The token is never due in the runtime bench: a renewal is another workload, and the stub cannot answer it.
    if (sent.operationName === 'CustomerAccessTokenRenew') throw new Error('bench: a renewal went out to the stub');
    const data = { customer: sent.variables?.customerAccessToken === accessToken ? customer : null };
    return new Response(JSON.stringify({ data, extensions: { cost: { requestedQueryCost: 1 } } }), {
      status: 200,
      headers: responseHeaders,
    });
  };
}
