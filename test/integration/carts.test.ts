import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CartCreateDocument,
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  keepCartBuyerIdentity,
  memoryTokenStore,
  signalOf,
  storefrontExchange,
  type CartBuyerIdentityFailure,
  type Token,
  type TokenStore,
} from '../../generated/2026-04/entry.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

// Over HTTP against the emulator: the cart follows the customer's token through the customer token exchange's
// onTokenChange and keepCartBuyerIdentity, with real urql clients and the package's exchanges.

const DAY = 86_400_000;
const CART_QUERY = 'query Cart($id: ID!) { cart(id: $id) { id buyerIdentity { customer { email } } } }';
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  em.counters.reset();
  em.settings.renewReturns = 'new-token';
});

/** An app's client whose token changes keep `cart.id` on the customer's current token. */
function app(store: TokenStore, cart: { id: string | null }, keep?: (token: Token | null) => void) {
  const changes: (string | null)[] = [];
  const failures: CartBuyerIdentityFailure[] = [];
  const signOuts: string[] = [];
  let keepCart: (token: Token | null) => void = () => {};
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({
        store,
        now: em.clock.now,
        onTokenChange: (token) => {
          changes.push(token?.accessToken ?? null);
          (keep ?? keepCart)(token);
        },
      }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        retry: { sleep: async () => {}, random: () => 0 },
      }),
      fetchExchange,
    ],
  });
  keepCart = keepCartBuyerIdentity(client, {
    cartId: () => cart.id,
    onError: (failure) => failures.push(failure),
    onSignOut: () => {
      signOuts.push(cart.id ?? '');
      cart.id = null; // Shopify documents no way to take the customer off a cart: start a new one
    },
  });
  const read = () => client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  const readCart = (id: string) =>
    client.query(CART_QUERY, { id }, { requestPolicy: 'network-only' }).toPromise() as Promise<{
      data?: { cart: { id: string; buyerIdentity: { customer: { email: string } | null } } | null };
    }>;
  return { client, read, readCart, changes, failures, signOuts, keepCart };
}

/** Waits until `check` holds (the helper sends after the operation that reported the change). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('over HTTP: the cart follows the customer', () => {
  it('sign-in, a renewal in the window puts the new token on the cart, sign-out starts a new cart', async () => {
    const store = memoryTokenStore();
    const cart: { id: string | null } = { id: null };
    const { client, read, readCart, changes, failures, signOuts } = app(store, cart);

    // Signed out at first: the client's starting point.
    expect(signalOf(await read())?.kind).toBe('sign-in-required');
    const signedIn = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
    if (!signedIn.ok) throw new Error('sign-in failed');
    await store.set(signedIn.token);

    // The cart is created with the signed-in customer's token (the exchange fills it in).
    const created = await client.mutation(CartCreateDocument, {}).toPromise();
    cart.id = created.data!.cartCreate!.cart!.id;
    expect(created.data!.cartCreate!.cart!.buyerIdentity.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(changes).toEqual([signedIn.token.accessToken]); // sign-in: from signed out to this token
    expect(em.carts.get(cart.id)?.customerAccessToken).toBe(signedIn.token.accessToken);

    // Into the renewal window: the next operation renews, and the cart gets the new token.
    em.clock.set(Date.parse(signedIn.token.expiresAt) - 3 * DAY);
    expect((await read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    const renewed = (await store.get())!;
    expect(renewed.accessToken).not.toBe(signedIn.token.accessToken);
    expect(changes).toEqual([signedIn.token.accessToken, renewed.accessToken]);
    await until(() => em.carts.get(cart.id!)?.customerAccessToken === renewed.accessToken, 'the cart update');
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(em.counters.count('CartBuyerIdentityUpdate')).toBe(1);
    expect((await readCart(cart.id)).data?.cart?.buyerIdentity.customer?.email).toBe(DEFAULT_CUSTOMER.email);

    // Sign-out: the server deletes the token and the store is cleared; the next operation signs the client out.
    const cartId = cart.id;
    const deleted = await deleteCustomerAccessToken(client, { store });
    expect(deleted).toEqual({ ok: true, server: 'deleted' });
    expect(signalOf(await read())?.kind).toBe('sign-in-required');
    expect(changes).toEqual([signedIn.token.accessToken, renewed.accessToken, null]);
    expect(signOuts).toEqual([cartId]); // the app forgot the cart: nothing clears a customer from one
    expect(cart.id).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(em.counters.count('CartBuyerIdentityUpdate')).toBe(1); // no update on sign-out
    // The old cart still holds the deleted token, which no longer identifies anybody.
    expect(em.carts.get(cartId)).toMatchObject({ customerAccessToken: renewed.accessToken, customerEmail: null });
    expect(failures).toEqual([]);
  });

  it('two clients sharing one store: each reports the renewal once, and the cart takes the token once', async () => {
    const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
    const first: Token = { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
    const store = memoryTokenStore(first);
    const cart: { id: string | null } = { id: null };
    const a = app(store, cart);
    const b = app(store, cart, (token) => a.keepCart(token)); // one callback for both clients

    const created = await a.client.mutation(CartCreateDocument, {}).toPromise();
    cart.id = created.data!.cartCreate!.cart!.id;
    expect((await b.read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect([a.changes, b.changes]).toEqual([[], []]); // the first token each client sees is its starting point

    em.clock.set(Date.parse(first.expiresAt) - 3 * DAY);
    expect((await a.read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email); // a renews
    const renewed = (await store.get())!;
    expect((await b.read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email); // b reads a's token
    await until(() => em.carts.get(cart.id!)?.customerAccessToken === renewed.accessToken, 'the cart update');
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(a.changes).toEqual([renewed.accessToken]);
    expect(b.changes).toEqual([renewed.accessToken]);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(em.counters.count('CartBuyerIdentityUpdate')).toBe(1);
    expect([...a.failures, ...b.failures]).toEqual([]);
  });
});
