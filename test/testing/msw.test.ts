import { Client, fetchExchange } from '@urql/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerAccessToken, storefrontExchange } from '../../generated/latest.js';
import { createEmulator, DEFAULT_CUSTOMER, readSchemas } from '../../src/testing/index.js';

const emulator = createEmulator({ schemas: readSchemas(), now: Date.UTC(2026, 5, 15) });
// The README's snippet: every Storefront POST to the emulator's host goes to emulator.fetch; a reset becomes a
// network error, as MSW would otherwise answer a thrown handler with a 500.
const server = setupServer(
  http.post(`${emulator.url}/api/:version/graphql.json`, ({ request }) =>
    emulator.fetch(request).catch(() => HttpResponse.error()),
  ),
  http.options(`${emulator.url}/api/:version/graphql.json`, ({ request }) => emulator.fetch(request)),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  emulator.faults.clear();
  emulator.counters.reset();
});
afterAll(async () => {
  server.close();
  await emulator.close();
});

// No `fetch` option: the exchanges use the global fetch, which MSW intercepts.
const client = () =>
  new Client({
    url: emulator.url,
    exchanges: [
      storefrontExchange({
        storeDomain: emulator.storeDomain,
        publicAccessToken: emulator.publicAccessToken,
        retry: { sleep: async () => {}, random: () => 0.5 },
      }),
      fetchExchange,
    ],
  });

describe('the emulator behind MSW', () => {
  it('signs a customer in through the global fetch', async () => {
    const created = await createCustomerAccessToken(client(), DEFAULT_CUSTOMER);
    expect(created.ok).toBe(true);
    expect(emulator.counters.count('CustomerAccessTokenCreate')).toBe(1);
    expect(emulator.customers.tokens(DEFAULT_CUSTOMER.email)).toHaveLength(1);
  });

  it('plays a 430 and then a reset as MSW answers, and the exchange retries past both', async () => {
    emulator.faults.inject({ kind: 'status', status: 430 });
    emulator.faults.inject({ kind: 'reset' });
    const created = await createCustomerAccessToken(client(), DEFAULT_CUSTOMER);
    expect(created.ok).toBe(true);
    expect(emulator.counters.count('CustomerAccessTokenCreate')).toBe(3);
  });

  it('rejects the global fetch on a reset, like a dropped connection', async () => {
    emulator.faults.inject({ kind: 'reset' });
    await expect(fetch(`${emulator.url}/api/2026-04/graphql.json`, { method: 'POST', body: '{}' })).rejects.toThrow(
      TypeError,
    );
  });

  it('answers the preflight with the methods it serves', async () => {
    const response = await fetch(`${emulator.url}/api/2026-04/graphql.json`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
  });
});
