import { Client, makeErrorResult, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { filter, fromPromise, mergeMap, pipe } from 'wonka';
import { describe, expect, it, vi } from 'vitest';
import {
  createCustomerAccessToken,
  deleteCustomerAccessToken,
  renewCustomerAccessToken,
} from '../../generated/2026-04/entry.js';
import { ConfigurationError, CustomerSessionError, memoryTokenStore, type TokenStore } from '../../src/index.js';

const NOW = Date.UTC(2026, 5, 1);
const now = () => NOW;
const LIVE = { accessToken: 'tok-live', expiresAt: '2026-06-20T00:00:00Z' };
const EXPIRED = { accessToken: 'tok-old', expiresAt: '2026-05-01T00:00:00Z' };
const ACCESS_DENIED = {
  message: 'Access denied for customerAccessTokenDelete field.',
  path: ['x'],
  extensions: { code: 'ACCESS_DENIED' },
};

/** A real urql client whose last exchange answers from a script and records what was sent. */
function clientAnswering(respond: (op: Operation) => OperationResult) {
  const sent: Operation[] = [];
  const answer: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op) => (sent.push(op), fromPromise(Promise.resolve(respond(op))))),
    );
  return { client: new Client({ url: 'http://unused.invalid', exchanges: [answer] }), sent };
}

const unavailable = (op: Operation) =>
  makeErrorResult(
    op,
    new CustomerSessionError({
      kind: 'storefront-unavailable',
      status: 503,
      attempts: 4,
      retryAfterMs: null,
      transient: true,
    }),
  );

describe('renewCustomerAccessToken', () => {
  it('answers ok with the new token', async () => {
    const { client, sent } = clientAnswering((op) =>
      makeResult(op, {
        data: {
          customerAccessTokenRenew: {
            customerAccessToken: {
              accessToken: 'tok-new',
              expiresAt: '2026-07-13T00:00:00Z',
              __typename: 'CustomerAccessToken',
            },
            userErrors: [],
          },
        },
      }),
    );
    expect(await renewCustomerAccessToken(client, LIVE, { now })).toEqual({
      ok: true,
      token: { accessToken: 'tok-new', expiresAt: '2026-07-13T00:00:00Z' },
    });
    expect(sent[0]!.variables).toEqual({ customerAccessToken: 'tok-live' });
  });

  it('answers expired without sending anything for an expired token', async () => {
    const { client, sent } = clientAnswering(unavailable);
    expect(await renewCustomerAccessToken(client, EXPIRED, { now })).toEqual({
      ok: false,
      reason: 'expired',
      userErrors: [],
    });
    expect(sent).toHaveLength(0);
  });

  it('answers invalid for userErrors and for ACCESS_DENIED', async () => {
    const userErrors = [{ field: ['customerAccessToken'], message: 'access token does not exist' }];
    const a = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenRenew: { customerAccessToken: null, userErrors } } }),
    );
    expect(await renewCustomerAccessToken(a.client, LIVE, { now })).toEqual({
      ok: false,
      reason: 'invalid',
      userErrors,
    });
    const b = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenRenew: null }, errors: [ACCESS_DENIED] }),
    );
    expect(await renewCustomerAccessToken(b.client, LIVE, { now })).toMatchObject({
      ok: false,
      reason: 'invalid',
      userErrors: [],
    });
  });

  it('answers unavailable for a transport failure', async () => {
    const { client } = clientAnswering(unavailable);
    const result = await renewCustomerAccessToken(client, LIVE, { now });
    expect(result).toMatchObject({ ok: false, reason: 'unavailable', userErrors: [] });
    expect(result.ok === false && result.error?.networkError).toBeInstanceOf(CustomerSessionError);
  });

  it('refuses something that is not a stored token', async () => {
    const { client } = clientAnswering(unavailable);
    await expect(renewCustomerAccessToken(client, 'tok' as never)).rejects.toThrow(ConfigurationError);
  });
});

describe('createCustomerAccessToken', () => {
  const credentials = { email: 'c@example.com', password: 'hunter2-secret' };

  it('answers ok with the token', async () => {
    const { client, sent } = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenCreate: { customerAccessToken: LIVE, customerUserErrors: [] } } }),
    );
    expect(await createCustomerAccessToken(client, credentials)).toEqual({ ok: true, token: LIVE });
    expect(sent[0]!.variables).toEqual({ input: credentials });
  });

  it('answers unidentified for a wrong password (field: null, as observed)', async () => {
    const customerUserErrors = [{ field: null, message: 'Unidentified customer', code: 'UNIDENTIFIED_CUSTOMER' }];
    const { client } = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenCreate: { customerAccessToken: null, customerUserErrors } } }),
    );
    expect(await createCustomerAccessToken(client, credentials)).toEqual({
      ok: false,
      reason: 'unidentified',
      customerUserErrors,
    });
  });

  it('answers rejected for other customer errors, unavailable for transport failures', async () => {
    const customerUserErrors = [
      { field: ['input', 'email'], message: 'Customer is disabled', code: 'CUSTOMER_DISABLED' },
    ];
    const a = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenCreate: { customerAccessToken: null, customerUserErrors } } }),
    );
    expect(await createCustomerAccessToken(a.client, credentials)).toMatchObject({
      ok: false,
      reason: 'rejected',
      customerUserErrors,
    });
    const b = clientAnswering(unavailable);
    expect(await createCustomerAccessToken(b.client, credentials)).toMatchObject({
      ok: false,
      reason: 'unavailable',
      customerUserErrors: [],
    });
  });

  it('refuses non-string credentials without echoing the password', async () => {
    const { client } = clientAnswering(unavailable);
    const error = await createCustomerAccessToken(client, { email: 'c@example.com', password: 42 as never }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('password');
  });
});

describe('deleteCustomerAccessToken', () => {
  it('deletes the token on the server and clears the store', async () => {
    const store = memoryTokenStore(LIVE);
    const { client, sent } = clientAnswering((op) =>
      makeResult(op, {
        data: {
          customerAccessTokenDelete: {
            deletedAccessToken: 'tok-live',
            deletedCustomerAccessTokenId: 'gid://shopify/CustomerAccessToken/1',
            userErrors: [],
          },
        },
      }),
    );
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toEqual({ ok: true, server: 'deleted' });
    expect(sent[0]!.variables).toEqual({ customerAccessToken: 'tok-live' });
    expect(store.get()).toBeNull();
  });

  it('clears the store when the server says the token is already invalid', async () => {
    const store = memoryTokenStore(LIVE);
    const { client } = clientAnswering((op) =>
      makeResult(op, { data: { customerAccessTokenDelete: null }, errors: [ACCESS_DENIED] }),
    );
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toEqual({
      ok: true,
      server: 'already-invalid',
    });
    expect(store.get()).toBeNull();
  });

  it('clears the store without a request for an expired token or none at all', async () => {
    const { client, sent } = clientAnswering(unavailable);
    const store = memoryTokenStore(EXPIRED);
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toEqual({
      ok: true,
      server: 'already-invalid',
    });
    expect(store.get()).toBeNull();
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toEqual({ ok: true, server: 'not-signed-in' });
    expect(sent).toHaveLength(0);
  });

  it('signs out locally when the server cannot be reached, and says so', async () => {
    const store = memoryTokenStore(LIVE);
    const { client } = clientAnswering(unavailable);
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toMatchObject({
      ok: false,
      reason: 'unavailable',
    });
    expect(store.get()).toBeNull();
  });

  it('reports a store that cannot be cleared', async () => {
    const store: TokenStore = {
      get: () => LIVE,
      set: vi.fn(),
      clear: () => Promise.reject(new Error('cookie jar locked')),
    };
    const { client } = clientAnswering((op) =>
      makeResult(op, {
        data: {
          customerAccessTokenDelete: {
            deletedAccessToken: 'tok-live',
            deletedCustomerAccessTokenId: 'x',
            userErrors: [],
          },
        },
      }),
    );
    expect(await deleteCustomerAccessToken(client, { store }, { now })).toMatchObject({
      ok: false,
      reason: 'store-failure',
    });
  });
});
