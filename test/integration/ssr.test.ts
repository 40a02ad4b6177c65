import { createElement } from 'react';
import { Client, fetchExchange, Provider, useQuery } from 'urql';
import { prerender } from 'react-dom/static';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerDocument, customerTokenExchange, storefrontExchange } from '../../generated/2026-04/entry.js';
import { memoryTokenStore, type Token } from '../../src/index.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

const DAY = 86_400_000;
const SECOND = {
  email: 'grace@example.com',
  password: 'another-long-password',
  firstName: 'Grace',
  lastName: 'Hopper',
};
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
  em.customers.add(SECOND);
});
afterAll(() => em.close());

function Greeting() {
  const [{ data }] = useQuery({ query: CustomerDocument });
  return createElement('p', null, 'Signed in as ', data?.customer?.email ?? 'nobody');
}

/** One server request: its own store (from the request's cookie), its own client, a recording fetch. */
async function handleRequest(token: Token) {
  const store = memoryTokenStore(token);
  const bodies: string[] = [];
  const client = new Client({
    url: em.url,
    suspense: true,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        privateAccessToken: em.privateAccessToken,
        buyerIp: '192.0.2.10',
        now: em.clock.now,
        fetch: (input, init) => (bodies.push(String(init?.body)), fetch(input, init)),
      }),
      fetchExchange,
    ],
  });
  const { prelude } = await prerender(createElement(Provider, { value: client }, createElement(Greeting)));
  const html = await new Response(prelude).text();
  return { html, bodies, stored: await store.get() };
}

const issue = (email: string): Token => {
  const t = em.customers.issue(email);
  return { accessToken: t.accessToken, expiresAt: formatExpiresAt(t.expiresAt) };
};

describe('server-side rendering: one client and one store per request', () => {
  it('renders two customers concurrently, each renewal and each token staying inside its own request', async () => {
    const ada = issue(DEFAULT_CUSTOMER.email);
    const grace = issue(SECOND.email);
    em.clock.set(Date.parse(ada.expiresAt) - 2 * DAY);
    em.counters.reset();

    const [a, g] = await Promise.all([handleRequest(ada), handleRequest(grace)]);
    expect(a.html).toContain(`Signed in as <!-- -->${DEFAULT_CUSTOMER.email}`);
    expect(g.html).toContain(`Signed in as <!-- -->${SECOND.email}`);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(2);

    const adaTokens = em.customers.tokens(DEFAULT_CUSTOMER.email).map((t) => t.accessToken);
    const graceTokens = em.customers.tokens(SECOND.email).map((t) => t.accessToken);
    expect(adaTokens).toContain(a.stored!.accessToken);
    expect(graceTokens).toContain(g.stored!.accessToken);
    for (const body of a.bodies) for (const t of graceTokens) expect(body).not.toContain(t);
    for (const body of g.bodies) for (const t of adaTokens) expect(body).not.toContain(t);
    expect(a.html + g.html).not.toMatch(new RegExp([...adaTokens, ...graceTokens].join('|')));
  });
});
