/*
 * Over HTTP: the cart helper and the sign-in and renew helpers judge answers before they report success (a cart update
 * with no cart, a renewed token already expired, a created token whose expiresAt is no date), and the cart helper's
 * failures never carry the token.
 */
import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CartCreateDocument,
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  keepCartBuyerIdentity,
  memoryTokenStore,
  renewCustomerAccessToken,
  signalOf,
  storefrontExchange,
  type CartBuyerIdentityFailure,
  type Token,
} from '../../generated/2026-04/entry.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

// Over HTTP against the emulator. The cart answers Shopify's emulator cannot play (a payload with `cart: null` beside
// GraphQL errors, a string payload, userErrors echoing the token) are made by the app's `fetch`, on the wire.

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  em.faults.clear();
  em.counters.reset();
});

const issue = (): Token => {
  const t = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: t.accessToken, expiresAt: formatExpiresAt(t.expiresAt) };
};

/** A client on the emulator over a memory store holding `token`, sending with `fetchWith`. */
function client(token: Token | null, fetchWith: typeof fetch = fetch) {
  const store = memoryTokenStore(token);
  const c = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        retry: false,
        fetch: fetchWith,
      }),
      fetchExchange,
    ],
  });
  return { client: c, store };
}

/**
 * A `fetch` that answers the first `times` CartBuyerIdentityUpdate requests with `answer(token)` (HTTP 200, JSON)
 * instead of passing them on to the emulator.
 */
function cartUpdatesAnswered(answer: (token: string) => unknown, times = 1): typeof fetch {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body)) as { operationName?: string; variables: Record<string, string> };
    if (times > 0 && body.operationName === 'CartBuyerIdentityUpdate') {
      times--;
      return new Response(JSON.stringify(answer(body.variables['customerAccessToken']!)), {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-shopify-api-version': '2026-04' },
      });
    }
    return fetch(input, init);
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('keepCartBuyerIdentity: answers that are no usable answer', () => {
  for (const [name, answer] of [
    [
      'cart: null beside GraphQL errors',
      () => ({
        data: { cartBuyerIdentityUpdate: { cart: null, userErrors: [] } },
        errors: [{ message: 'Internal error. Looks like something went wrong on our end.' }],
      }),
    ],
    ['a string payload', () => ({ data: { cartBuyerIdentityUpdate: 'oops' } })],
  ] as const) {
    it(`reports ${name} as unavailable, and sends the same token again when it is reported again`, async () => {
      const first = issue();
      const { client: c } = client(first, cartUpdatesAnswered(answer));
      const cartId = (await c.mutation(CartCreateDocument, {}).toPromise()).data!.cartCreate!.cart!.id;
      const failures: CartBuyerIdentityFailure[] = [];
      const keep = keepCartBuyerIdentity(c, { cartId: () => cartId, onError: (f) => failures.push(f) });
      const second = issue();
      keep(second);
      await until(() => em.counters.byOperation()['CartCreate'] === 1 && failures.length > 0, 'the failure');
      expect(failures).toMatchObject([{ cartId, reason: 'unavailable', userErrors: [] }]);
      expect(em.carts.get(cartId)!.customerAccessToken).toBe(first.accessToken);
      // Another client sharing the store reports the same token: it was never landed, so it goes out now.
      keep(second);
      await until(() => em.carts.get(cartId)!.customerAccessToken === second.accessToken, 'the cart to take it');
      expect(failures).toHaveLength(1);
    });
  }

  it('never carries the token, not in a userError field nor in its code', async () => {
    const first = issue();
    const { client: c } = client(
      first,
      cartUpdatesAnswered((token) => ({
        data: {
          cartBuyerIdentityUpdate: {
            cart: null,
            userErrors: [{ field: ['buyerIdentity', token], message: `${token} is invalid`, code: `INVALID_${token}` }],
          },
        },
      })),
    );
    const cartId = (await c.mutation(CartCreateDocument, {}).toPromise()).data!.cartCreate!.cart!.id;
    const failures: CartBuyerIdentityFailure[] = [];
    const keep = keepCartBuyerIdentity(c, { cartId: () => cartId, onError: (f) => failures.push(f) });
    const second = issue();
    keep(second);
    await until(() => failures.length > 0, 'the failure');
    expect(failures).toEqual([
      {
        cartId,
        reason: 'rejected',
        userErrors: [{ field: ['buyerIdentity', '[token]'], message: '[token] is invalid', code: 'INVALID_[token]' }],
        message: '[token] is invalid',
      },
    ]);
  });
});

describe('renewCustomerAccessToken: a renewed token that already expired', () => {
  it('answers unavailable, so the stored token keeps the customer signed in', async () => {
    const token = issue();
    const { client: c, store } = client(token);
    em.faults.inject({ kind: 'malformed-renew', answer: 'past-expiry' });
    const renewed = await renewCustomerAccessToken(c, token, { now: em.clock.now });
    if (renewed.ok) await store.set(renewed.token); // "`{ ok: true, token }` (store it)"
    expect(renewed).toMatchObject({ ok: false, reason: 'unavailable' });
    const read = await c.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(signalOf(read)).toBeUndefined();
    expect(read.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
  });
});

describe('createCustomerAccessToken: a token whose expiresAt is no date', () => {
  it('answers unavailable instead of a token that signs the customer out once stored', async () => {
    // The answer as a server could garble it: the token's expiresAt is no date.
    const { client: c, store } = client(null, async (input, init) => {
      const response = await fetch(input, init);
      if (!String(init?.body).includes('CustomerAccessTokenCreate')) return response;
      const text = (await response.text()).replace(/"expiresAt":"[^"]*"/, '"expiresAt":"not a date"');
      return new Response(text, { status: response.status, headers: response.headers });
    });
    const created = await createCustomerAccessToken(c, DEFAULT_CUSTOMER, { now: em.clock.now });
    if (created.ok) await store.set(created.token); // "`{ ok: true, token }` (store it)"
    expect(created).toMatchObject({ ok: false, reason: 'unavailable' });
  });
});
