import { Client, fetchExchange, type OperationResult } from '@urql/core';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerAccessTokenCreateDocument,
  CustomerAccessTokenRenewDocument,
  CustomerDocument,
  customerTokenExchange,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { memoryTokenStore, signalOf, type Token } from '../../src/index.js';
import { pullLiveSchema } from '../../src/schema/live.js';

// Over real HTTP, with Node's own fetch: the store domain answers every request with a redirect to another host
// (another port of 127.0.0.1: another origin). Nothing may reach that host, and the app never gets its answer.

const PUBLIC = 'public-storefront-token-0123';
const PRIVATE = 'private-storefront-token-4567';
const CUSTOMER_TOKEN = 'customer-token-89ab';
const PASSWORD = 'correct-horse-battery-staple';
const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A node:http server on 127.0.0.1 that records every request and answers with `respond`. */
async function recordingServer(respond: (res: import('node:http').ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body });
      respond(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, received, host: `127.0.0.1:${port}` };
}

let foreign: Awaited<ReturnType<typeof recordingServer>>;
let store: Awaited<ReturnType<typeof recordingServer>>;
let status = 307;

beforeAll(async () => {
  // What a hostile or misconfigured host would answer: a tempting success, with a token of its own.
  foreign = await recordingServer((res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-shopify-api-version': '2026-04' });
    const token = { accessToken: 'foreign-token', expiresAt: '2027-01-01T00:00:00Z' };
    res.end(
      JSON.stringify({
        data: {
          customer: { id: 'gid://shopify/Customer/666', email: 'foreign@example.com' },
          customerAccessTokenCreate: { customerAccessToken: token, customerUserErrors: [], userErrors: [] },
          customerAccessTokenRenew: { customerAccessToken: token, userErrors: [] },
        },
      }),
    );
  });
  store = await recordingServer((res) => {
    res.writeHead(status, {
      location: `http://${foreign.host}/api/2026-04/graphql.json`,
      'content-type': 'application/json',
      'x-shopify-api-version': '2026-04',
    });
    res.end('{}');
  });
});
afterAll(async () => {
  for (const { server } of [store, foreign]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterEach(() => {
  store.received.length = 0;
  foreign.received.length = 0;
});

function client(token: { publicAccessToken: string } | { privateAccessToken: string }) {
  return new Client({
    url: 'http://unused.invalid',
    exchanges: [
      storefrontExchange({ storeDomain: store.host, ...token, now: () => NOW, retry: { sleep: async () => {} } }),
      fetchExchange,
    ],
  });
}

function expectRefused(result: OperationResult, redirect: number) {
  expect(result.data).toBeUndefined();
  expect(signalOf(result)).toEqual({
    kind: 'storefront-unavailable',
    status: redirect,
    attempts: 1,
    retryAfterMs: null,
    transient: false,
  });
  expect(JSON.stringify(result.error?.message)).not.toContain('foreign');
}

describe.each([301, 302, 307, 308])('a %i from the store domain to another host', (redirect) => {
  beforeAll(() => {
    status = redirect;
  });

  it.each([
    ['the public token', { publicAccessToken: PUBLIC }],
    ['the private token', { privateAccessToken: PRIVATE }],
  ])('is not followed: the customer token, a password and %s stay home', async (_, token) => {
    const urql = client(token);
    const read = await urql.query(CustomerDocument, { customerAccessToken: CUSTOMER_TOKEN }).toPromise();
    const signIn = await urql
      .mutation(CustomerAccessTokenCreateDocument, { input: { email: 'ada@example.com', password: PASSWORD } })
      .toPromise();
    const renew = await urql
      .mutation(CustomerAccessTokenRenewDocument, { customerAccessToken: CUSTOMER_TOKEN })
      .toPromise();
    for (const result of [read, signIn, renew]) expectRefused(result, redirect);

    expect(foreign.received).toEqual([]);
    // One request each, to the store domain, never retried: a redirect is not a transient failure.
    expect(store.received).toHaveLength(3);
    expect(store.received.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
  });
});

describe('a renewal answered with a redirect', () => {
  beforeAll(() => {
    status = 307;
  });

  it('keeps the stored token and sends nothing to the other host', async () => {
    // Inside the renewal window: the read first renews.
    const held: Token = { accessToken: CUSTOMER_TOKEN, expiresAt: new Date(NOW + 3 * DAY).toISOString() };
    const tokens = memoryTokenStore(held);
    const urql = new Client({
      url: 'http://unused.invalid',
      exchanges: [
        customerTokenExchange({ store: tokens, now: () => NOW }),
        storefrontExchange({
          storeDomain: store.host,
          publicAccessToken: PUBLIC,
          now: () => NOW,
          retry: { sleep: async () => {} },
        }),
        fetchExchange,
      ],
    });
    const read = await urql.query(CustomerDocument, {}).toPromise();
    expect(read.data?.customer ?? undefined).toBeUndefined();
    expect(foreign.received).toEqual([]);
    expect(store.received.some((r) => r.body.includes('customerAccessTokenRenew'))).toBe(true);
    expect(await tokens.get()).toEqual(held);
  });
});

describe('a live schema pull answered with a redirect', () => {
  it.each([301, 302, 307, 308])('refuses a %i without following it, naming the fix', async (redirect) => {
    status = redirect;
    const pull = pullLiveSchema({ storeDomain: store.host, version: '2026-04', privateAccessToken: PRIVATE });
    await expect(pull).rejects.toThrow(`answered with a redirect (HTTP ${redirect}); it was not followed`);
    await expect(pull).rejects.not.toThrow(PRIVATE);
    expect(foreign.received).toEqual([]);
    expect(store.received).toHaveLength(1);
  });
});
