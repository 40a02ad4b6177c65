import { describe, expectTypeOf, it } from 'vitest';
import type { Client, Exchange, GraphQLRequestParams } from '@urql/core';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import * as v202507 from '../../generated/2025-07/entry.js';
import * as v202604 from '../../generated/2026-04/entry.js';
import * as root from '../../src/index.js';
import type {
  CreateTokenResult,
  CustomerSessionSignal,
  DeleteTokenResult,
  RenewTokenResult,
  Token,
} from '../../src/index.js';

declare const client: Client;
declare const token: Token;

function assertNever(value: never): never {
  throw new Error(`unhandled ${String(value)}`);
}

describe('per-version binding', () => {
  it('names each entry’s version and returns urql exchanges', () => {
    expectTypeOf(v202507.apiVersion).toEqualTypeOf<'2025-07'>();
    const exchange = v202507.storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: 'x' });
    expectTypeOf(exchange).toExtend<Exchange>();
    expectTypeOf(v202507.customerTokenExchange({ store: root.memoryTokenStore() })).toExtend<Exchange>();
  });

  it('serves the newest version from the package root', () => {
    expectTypeOf(root.apiVersion).toEqualTypeOf<'2026-04'>();
    expectTypeOf(root.CustomerDocument).toEqualTypeOf(v202604.CustomerDocument);
  });

  it('refuses options the exchange does not take', () => {
    // @ts-expect-error the version comes from the entry point imported, not from an option
    v202604.storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: 'x', apiVersion: '2025-07' });
  });
});

describe('documents the exchange fills in', () => {
  it('makes $customerAccessToken optional on the Customer document only', () => {
    expectTypeOf<VariablesOf<typeof v202604.CustomerDocument>>().toExtend<{ customerAccessToken?: string }>();
    expectTypeOf<{}>().toExtend<VariablesOf<typeof v202604.CustomerDocument>>();
    expectTypeOf<VariablesOf<typeof v202604.CustomerAccessTokenRenewDocument>>().toEqualTypeOf<{
      customerAccessToken: string;
    }>();
  });

  it('lets urql take the Customer document without variables', () => {
    const params: GraphQLRequestParams<any, VariablesOf<typeof v202604.CustomerDocument>> = {
      query: v202604.CustomerDocument,
    };
    expectTypeOf(params).not.toBeNever();
    client.query(v202604.CustomerDocument, {});
  });
});

describe('helper results are discriminated unions the compiler checks exhaustively', () => {
  it('covers every renew outcome', async () => {
    const result: RenewTokenResult = await v202604.renewCustomerAccessToken(client, token);
    if (result.ok) {
      expectTypeOf(result.token).toEqualTypeOf<Token>();
      return;
    }
    switch (result.reason) {
      case 'expired':
      case 'invalid':
      case 'unavailable':
        expectTypeOf(result.userErrors).toEqualTypeOf<Array<{ field: string[] | null; message: string }>>();
        return;
      default:
        assertNever(result.reason);
    }
  });

  it('covers every sign-in outcome', async () => {
    const result: CreateTokenResult = await v202604.createCustomerAccessToken(client, {
      email: 'a@b.c',
      password: 'p',
    });
    if (result.ok) return;
    switch (result.reason) {
      case 'unidentified':
      case 'rejected':
      case 'unavailable':
        return;
      default:
        assertNever(result.reason);
    }
  });

  it('covers every sign-out outcome', async () => {
    const result: DeleteTokenResult = await v202604.deleteCustomerAccessToken(client, {
      store: root.memoryTokenStore(),
    });
    if (result.ok) {
      expectTypeOf(result.server).toEqualTypeOf<'deleted' | 'already-invalid' | 'not-signed-in'>();
      return;
    }
    switch (result.reason) {
      case 'unavailable':
        return;
      case 'store-failure':
        expectTypeOf(result.cause).toBeUnknown();
        return;
      default:
        assertNever(result);
    }
  });

  it('covers every signal', () => {
    const describe = (signal: CustomerSessionSignal): string => {
      switch (signal.kind) {
        case 'sign-in-required':
          return signal.reason;
        case 'storefront-unavailable':
          return String(signal.status);
        case 'renewal-unavailable':
        case 'renewal-not-extending':
        case 'store-failure':
        case 'version-mismatch':
        case 'deprecated':
        case 'wrong-version-document':
          return signal.kind;
        default:
          return assertNever(signal);
      }
    };
    expectTypeOf(describe).returns.toBeString();
  });

  it('requires both credentials to sign in', () => {
    // @ts-expect-error the password is required
    void v202604.createCustomerAccessToken(client, { email: 'a@b.c' });
  });
});
