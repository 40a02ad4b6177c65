import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartBuyerIdentityUpdateDocument, CartCreateDocument } from '../../generated/2026-04/entry.js';
import { CartStore } from '../../src/testing/carts.js';
import { CustomerStore } from '../../src/testing/state.js';
import {
  CUSTOMER_SCOPES,
  createEmulator,
  DEFAULT_CUSTOMER,
  MAX_CARTS,
  readSchemas,
  type FetchEmulator,
} from '../../src/testing/index.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);
const DAY = 86_400_000;
const CREATE = print(CartCreateDocument);
const UPDATE = print(CartBuyerIdentityUpdateDocument);
const READ = 'query Cart($id: ID!) { cart(id: $id) { id updatedAt buyerIdentity { email customer { id email } } } }';

let em: FetchEmulator;
beforeAll(() => {
  em = createEmulator({ schemas: readSchemas(), now: JUNE_2026 });
});
afterAll(() => em.close());

async function post(
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string; version?: string } = {},
) {
  const response = await em.fetch(`${em.url}/api/${options.version ?? '2026-04'}/graphql.json`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Storefront-Access-Token': options.token ?? em.publicAccessToken,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as any;
}
const issue = () => em.customers.issue(DEFAULT_CUSTOMER.email).accessToken;
const customer = { id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/), email: DEFAULT_CUSTOMER.email };

describe('the emulator: carts', () => {
  it("creates a cart with the customer's token on it, and reads it back by id", async () => {
    const token = issue();
    const created = await post(CREATE, { customerAccessToken: token });
    expect(created.data.cartCreate.userErrors).toEqual([]);
    const { id, buyerIdentity } = created.data.cartCreate.cart;
    expect(id).toMatch(/^gid:\/\/shopify\/Cart\/[0-9a-f]{32}\?key=[0-9a-f]{32}$/);
    expect(buyerIdentity).toEqual({ customer });
    expect(em.carts.get(id)).toEqual({
      id,
      customerAccessToken: token,
      customerEmail: DEFAULT_CUSTOMER.email,
      updatedAt: JUNE_2026,
    });
    const read = await post(READ, { id });
    expect(read.data.cart).toEqual({
      id,
      updatedAt: '2026-06-15T00:00:00Z',
      buyerIdentity: { email: DEFAULT_CUSTOMER.email, customer },
    });
    expect(created.extensions.cost.requestedQueryCost).toBeGreaterThan(0);
  });

  it('puts a new token on the cart, and answers the cart with its customer', async () => {
    const first = issue();
    const { id } = (await post(CREATE, { customerAccessToken: first })).data.cartCreate.cart;
    em.clock.advance(DAY);
    const second = issue();
    const updated = await post(UPDATE, { cartId: id, customerAccessToken: second });
    expect(updated.data.cartBuyerIdentityUpdate).toEqual({
      cart: { id, buyerIdentity: { customer } },
      userErrors: [],
    });
    expect(em.carts.get(id)).toMatchObject({ customerAccessToken: second, updatedAt: JUNE_2026 + DAY });
  });

  it('refuses a token that does not work, leaving the cart as it was', async () => {
    const token = issue();
    const { id } = (await post(CREATE, { customerAccessToken: token })).data.cartCreate.cart;
    const refused = await post(UPDATE, { cartId: id, customerAccessToken: 'not-a-token' });
    expect(refused.data.cartBuyerIdentityUpdate.userErrors).toEqual([
      {
        field: ['buyerIdentity', 'customerAccessToken'],
        message: 'The customer access token is invalid.',
        code: 'INVALID',
      },
    ]);
    expect(em.carts.get(id)?.customerAccessToken).toBe(token);
    const none = await post(CREATE, { customerAccessToken: 'not-a-token' });
    expect(none.data.cartCreate).toEqual({
      cart: null,
      userErrors: [
        {
          field: ['input', 'buyerIdentity', 'customerAccessToken'],
          message: 'The customer access token is invalid.',
          code: 'INVALID',
        },
      ],
    });
  });

  it('has no way to take the customer off: a null token leaves the cart as it was', async () => {
    const token = issue();
    const { id } = (await post(CREATE, { customerAccessToken: token })).data.cartCreate.cart;
    const cleared = await post(
      'mutation Clear($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId, ' +
        'buyerIdentity: { customerAccessToken: null }) { cart { buyerIdentity { customer { email } } } userErrors { code } } }',
      { cartId: id },
    );
    expect(cleared.data.cartBuyerIdentityUpdate).toEqual({
      cart: { buyerIdentity: { customer: { email: DEFAULT_CUSTOMER.email } } },
      userErrors: [],
    });
    expect(em.carts.get(id)?.customerAccessToken).toBe(token);
  });

  it('names no customer once the cart token is deleted or expired, though the cart still holds it', async () => {
    const token = issue();
    const { id } = (await post(CREATE, { customerAccessToken: token })).data.cartCreate.cart;
    await post(
      'mutation D($t: String!) { customerAccessTokenDelete(customerAccessToken: $t) { deletedAccessToken } }',
      {
        t: token,
      },
    );
    expect((await post(READ, { id })).data.cart.buyerIdentity).toEqual({ email: null, customer: null });
    expect(em.carts.get(id)).toMatchObject({ customerAccessToken: token, customerEmail: null });
  });

  it('answers an unknown cart: null to the query, a user error to the update', async () => {
    expect((await post(READ, { id: 'gid://shopify/Cart/nope?key=nope' })).data).toEqual({ cart: null });
    const update = await post(UPDATE, { cartId: 'gid://shopify/Cart/nope?key=nope', customerAccessToken: issue() });
    expect(update.data.cartBuyerIdentityUpdate).toEqual({
      cart: null,
      userErrors: [{ field: ['cartId'], message: 'The specified cart does not exist.', code: 'INVALID' }],
    });
  });

  it('validates cart operations against the served version, like every other operation', async () => {
    const unknown = await post('query { cart(id: "x") { id notAField } }');
    expect(unknown.data).toBeUndefined();
    expect(unknown.errors[0]).toMatchObject({
      message: "Field 'notAField' doesn't exist on type 'Cart'",
      extensions: { code: 'undefinedField', typeName: 'Cart', fieldName: 'notAField' },
    });
    for (const version of ['2025-07', '2026-10']) {
      const created = await post(CREATE, { customerAccessToken: issue() }, { version });
      expect(created.errors).toBeUndefined();
      expect(created.data.cartCreate.cart.buyerIdentity).toEqual({ customer });
    }
  });

  it('denies the cart operations to a storefront token without the checkout scopes', async () => {
    const token = em.addStorefrontToken({ kind: 'public', scopes: CUSTOMER_SCOPES });
    const create = await post(CREATE, { customerAccessToken: issue() }, { token });
    expect(create.data).toEqual({ cartCreate: null });
    expect(create.errors[0].extensions).toMatchObject({
      code: 'ACCESS_DENIED',
      requiredAccess: '`unauthenticated_write_checkouts` access scope.',
    });
    const read = await post(READ, { id: 'x' }, { token });
    expect(read.errors[0].extensions).toMatchObject({
      code: 'ACCESS_DENIED',
      requiredAccess: '`unauthenticated_read_checkouts` access scope.',
    });
  });
});

describe('the cart map', () => {
  it('is bounded: past its size the cart updated longest ago is forgotten', () => {
    expect(MAX_CARTS).toBe(1_000);
    let now = 0;
    const carts = new CartStore(() => now, 3);
    const [a, b, c] = [carts.create(null), carts.create(null), carts.create(null)];
    now += 1;
    carts.setCustomerAccessToken(a, 'token'); // a is now the freshest
    const d = carts.create(null);
    expect(carts.count()).toBe(3);
    expect([a, b, c, d].map((cart) => carts.get(cart.id) !== undefined)).toEqual([true, false, true, true]);
    const view = carts.view(a, new CustomerStore(() => now));
    expect(view).toEqual({ id: a.id, customerAccessToken: 'token', customerEmail: null, updatedAt: 1 });
  });
});
