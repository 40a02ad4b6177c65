import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CUSTOMER,
  formatExpiresAt,
  postGraphQL,
  startEmulator,
  TOKEN_LIFETIME_MS,
  type Emulator,
} from '../../src/testing/index.js';

const NOW = Date.UTC(2026, 5, 15, 12, 30, 45, 678);
const DAY = 24 * 60 * 60 * 1000;
const CREATE = `mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {
  customerAccessTokenCreate(input: $input) {
    customerAccessToken { accessToken expiresAt }
    customerUserErrors { code field message }
    userErrors { field message }
  }
}`;
const CREATE_CURRENT = CREATE.replace('    userErrors { field message }\n', '');
const RENEW = `mutation CustomerAccessTokenRenew($customerAccessToken: String!) {
  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {
    customerAccessToken { accessToken expiresAt }
    userErrors { field message }
  }
}`;
const DELETE = `mutation CustomerAccessTokenDelete($customerAccessToken: String!) {
  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) {
    deletedAccessToken deletedCustomerAccessTokenId userErrors { field message }
  }
}`;
const CUSTOMER = `query Customer($customerAccessToken: String!) {
  customer(customerAccessToken: $customerAccessToken) { id email firstName lastName displayName }
}`;

let em: Emulator;
const send = (query: string, variables: Record<string, unknown>) =>
  postGraphQL({ url: em.url, version: '2026-04', token: em.publicAccessToken, query, variables });
const signIn = async (email: string = DEFAULT_CUSTOMER.email, password: string = DEFAULT_CUSTOMER.password) =>
  (await send(CREATE, { input: { email, password } })).body.data.customerAccessTokenCreate;
const renew = async (token: string) => send(RENEW, { customerAccessToken: token });
const customer = async (token: string) => send(CUSTOMER, { customerAccessToken: token });

beforeAll(async () => {
  em = await startEmulator({
    now: NOW,
    customers: [DEFAULT_CUSTOMER, { email: 'pending@example.com', password: 'pw', enabled: false }],
  });
});
afterAll(() => em.close());
afterEach(() => {
  em.clock.set(NOW);
  em.settings.renewReturns = 'new-token';
  em.settings.invalidRenewShape = 'user-errors';
});

describe('customerAccessTokenCreate', () => {
  it('issues a 42-day token printed in whole UTC seconds with both error lists empty', async () => {
    const { status, body } = await send(CREATE, {
      input: { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password },
    });
    expect(status).toBe(200);
    const payload = body.data.customerAccessTokenCreate;
    expect(payload.customerAccessToken.expiresAt).toBe('2026-07-27T12:30:45Z');
    expect(Date.parse(payload.customerAccessToken.expiresAt)).toBe(Math.floor((NOW + 42 * DAY) / 1000) * 1000);
    expect(payload.customerAccessToken.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.customerUserErrors).toEqual([]);
    expect(payload.userErrors).toEqual([]);
    expect(body.extensions).toEqual({ cost: { requestedQueryCost: 13 } });
  });

  it.each([
    ['a wrong password', DEFAULT_CUSTOMER.email, 'wrong'],
    ['a disabled customer', 'pending@example.com', 'pw'],
    ['an unknown email', 'nobody@example.com', 'pw'],
  ])('answers UNIDENTIFIED_CUSTOMER with field null for %s', async (_case, email, password) => {
    const payload = await signIn(email, password);
    expect(payload).toEqual({
      customerAccessToken: null,
      customerUserErrors: [{ field: null, message: 'Unidentified customer', code: 'UNIDENTIFIED_CUSTOMER' }],
      userErrors: [{ field: null, message: 'Unidentified customer' }],
    });
  });

  it('flags the deprecated userErrors selection in X-Shopify-API-Deprecated-Reason, and only then', async () => {
    const input = { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password };
    expect((await send(CREATE, { input })).headers.get('x-shopify-api-deprecated-reason')).toMatch(
      /^https:\/\/shopify\.dev\//,
    );
    expect((await send(CREATE_CURRENT, { input })).headers.get('x-shopify-api-deprecated-reason')).toBeNull();
  });
});

describe('customerAccessTokenRenew', () => {
  it('issues a new token expiring 42 days from now and keeps the old one working (new-token)', async () => {
    const created = (await signIn()).customerAccessToken;
    em.clock.advance(10 * DAY);
    const { body } = await renew(created.accessToken);
    const renewed = body.data.customerAccessTokenRenew;
    expect(renewed.userErrors).toEqual([]);
    expect(renewed.customerAccessToken.accessToken).not.toBe(created.accessToken);
    expect(renewed.customerAccessToken.expiresAt).toBe(formatExpiresAt(NOW + 10 * DAY + TOKEN_LIFETIME_MS));
    expect(body.extensions.cost.requestedQueryCost).toBe(12);
    expect((await customer(created.accessToken)).body.data.customer.email).toBe(DEFAULT_CUSTOMER.email);
    expect((await customer(renewed.customerAccessToken.accessToken)).body.data.customer.email).toBe(
      DEFAULT_CUSTOMER.email,
    );
  });

  it('returns the same token string with a later expiry (same-token)', async () => {
    em.settings.renewReturns = 'same-token';
    const created = (await signIn()).customerAccessToken;
    em.clock.advance(41 * DAY);
    const renewed = (await renew(created.accessToken)).body.data.customerAccessTokenRenew.customerAccessToken;
    expect(renewed).toEqual({
      accessToken: created.accessToken,
      expiresAt: formatExpiresAt(NOW + 41 * DAY + TOKEN_LIFETIME_MS),
    });
    em.clock.advance(2 * DAY); // past the first expiry, before the renewed one
    expect((await customer(created.accessToken)).body.data.customer).not.toBeNull();
  });

  it.each(['unknown', 'deleted', 'expired'] as const)(
    'answers a userErrors entry for an %s token (user-errors)',
    async (kind) => {
      const token = await unusableToken(kind);
      const { status, body } = await renew(token);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.customerAccessTokenRenew).toEqual({
        customerAccessToken: null,
        userErrors: [{ field: ['customerAccessToken'], message: 'access token does not exist' }],
      });
    },
  );

  it.each(['unknown', 'deleted', 'expired'] as const)(
    'answers a top-level ACCESS_DENIED for an %s token (access-denied)',
    async (kind) => {
      em.settings.invalidRenewShape = 'access-denied';
      const token = await unusableToken(kind);
      const { body } = await renew(token);
      expect(body.data).toEqual({ customerAccessTokenRenew: null });
      expect(body.errors).toEqual([
        {
          message:
            'Access denied for customerAccessTokenRenew field. Required access: ' +
            '`unauthenticated_write_customers` access scope. Also: Requires valid customer access ' +
            'token.',
          path: ['customerAccessTokenRenew'],
          locations: [],
          extensions: {
            code: 'ACCESS_DENIED',
            documentation: 'https://shopify.dev/api/usage/access-scopes',
            requiredAccess:
              '`unauthenticated_write_customers` access scope. Also: Requires valid customer access token.',
          },
        },
      ]);
      expect(body.extensions.cost.requestedQueryCost).toBe(12);
    },
  );

  it('renews a token one second before expiry but not at its expiry instant', async () => {
    const created = (await signIn()).customerAccessToken;
    const expiresAt = Date.parse(created.expiresAt);
    em.clock.set(expiresAt - 1000);
    const early = (await renew(created.accessToken)).body.data.customerAccessTokenRenew;
    expect(early.customerAccessToken).not.toBeNull();
    const second = (await signIn()).customerAccessToken;
    em.clock.set(Date.parse(second.expiresAt));
    expect((await renew(second.accessToken)).body.data.customerAccessTokenRenew.customerAccessToken).toBeNull();
  });
});

describe('customerAccessTokenDelete and customer', () => {
  it('deletes with the observed shape, then denies a second delete', async () => {
    const token = (await signIn()).customerAccessToken.accessToken;
    const first = await send(DELETE, { customerAccessToken: token });
    expect(first.body.data.customerAccessTokenDelete).toEqual({
      deletedAccessToken: token,
      deletedCustomerAccessTokenId: expect.stringMatching(/^gid:\/\/shopify\/CustomerAccessToken\/\d+$/),
      userErrors: [],
    });
    expect(first.body.extensions).toEqual({ cost: { requestedQueryCost: 11 } });
    const second = await send(DELETE, { customerAccessToken: token });
    expect(second.body.data).toEqual({ customerAccessTokenDelete: null });
    expect(second.body.errors).toHaveLength(1);
    expect(second.body.errors[0]).toMatchObject({
      message:
        'Access denied for customerAccessTokenDelete field. Required access: ' +
        '`unauthenticated_write_customers` access scope. Also: Requires valid customer access ' +
        'token.',
      path: ['customerAccessTokenDelete'],
      locations: [],
      extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes' },
    });
  });

  it('reads the signed-in customer for a live token', async () => {
    const token = (await signIn()).customerAccessToken.accessToken;
    const { body } = await customer(token);
    expect(body.data.customer).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/),
      email: DEFAULT_CUSTOMER.email,
      firstName: DEFAULT_CUSTOMER.firstName,
      lastName: DEFAULT_CUSTOMER.lastName,
      displayName: `${DEFAULT_CUSTOMER.firstName} ${DEFAULT_CUSTOMER.lastName}`,
    });
    expect(body.extensions.cost.requestedQueryCost).toBeGreaterThan(0);
  });

  it.each(['unknown', 'deleted', 'expired'] as const)(
    'answers customer: null without errors for an %s token',
    async (kind) => {
      const token = await unusableToken(kind);
      const { status, body } = await customer(token);
      expect(status).toBe(200);
      expect(body.data).toEqual({ customer: null });
      expect(body.errors).toBeUndefined();
    },
  );

  it('lets a test inspect and issue tokens without HTTP', async () => {
    const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
    expect(em.customers.tokens(DEFAULT_CUSTOMER.email)).toContainEqual(issued);
    expect((await customer(issued.accessToken)).body.data.customer.email).toBe(DEFAULT_CUSTOMER.email);
    expect(() => em.customers.issue('nobody@example.com')).toThrow(/customers\.add/);
  });
});

async function unusableToken(kind: 'unknown' | 'deleted' | 'expired'): Promise<string> {
  if (kind === 'unknown') return 'f'.repeat(32);
  const token = (await signIn()).customerAccessToken.accessToken as string;
  if (kind === 'deleted') await send(DELETE, { customerAccessToken: token });
  else em.clock.advance(42 * DAY);
  return token;
}
