import { describe, expectTypeOf, it } from 'vitest';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import type { CurrencyCode } from '../../generated/customer-account/2026-04/graphql.js';
import type { GeneratedCustomerAccountEntries, generatedVersions } from '../../generated/customer-account/versions.js';
import {
  CustomerDocument,
  CustomerOrdersDocument,
  apiVersion,
  refreshTokenSet,
  type CustomerAccountTokenSet,
  type RefreshAnswer,
} from 'storefront-customer-session/customer-account/2026-04';

/** Every vendored Customer Account entry, from the generated map; mapped types check each version on its own. */
type Entries = GeneratedCustomerAccountEntries;
type PerVersion<T> = { [K in keyof Entries]: T };

describe('the Customer Account entry map', () => {
  it('holds every generated Customer Account version', () => {
    expectTypeOf<keyof Entries>().toEqualTypeOf<(typeof generatedVersions)[number]>();
  });

  it('names its API version as a literal type in every entry', () => {
    expectTypeOf<{ [K in keyof Entries]: Entries[K]['apiVersion'] }>().toEqualTypeOf<{ [K in keyof Entries]: K }>();
    expectTypeOf(apiVersion).toEqualTypeOf<'2026-04'>();
  });
});

describe('CustomerDocument (storefront-customer-session/customer-account/2026-04)', () => {
  it('types the signed-in customer with name and email, never null (a bad token is a 401, not a null customer)', () => {
    expectTypeOf<ResultOf<typeof CustomerDocument>>().toEqualTypeOf<{
      customer: {
        id: string;
        firstName: string | null;
        lastName: string | null;
        displayName: string;
        emailAddress: { emailAddress: string | null } | null;
      };
    }>();
  });

  it('takes no variables: the token travels in the Authorization header', () => {
    expectTypeOf<VariablesOf<typeof CustomerDocument>>().toEqualTypeOf<{ [key: string]: never }>();
  });

  it('has the same result type in every vendored version', () => {
    expectTypeOf<{ [K in keyof Entries]: ResultOf<Entries[K]['CustomerDocument']> }>().toEqualTypeOf<
      PerVersion<ResultOf<typeof CustomerDocument>>
    >();
  });
});

describe('CustomerOrdersDocument', () => {
  type Orders = ResultOf<typeof CustomerOrdersDocument>['customer']['orders'];

  it('types each order with id, name, processedAt and totalPrice', () => {
    expectTypeOf<Orders['nodes'][number]>().toEqualTypeOf<{
      id: string;
      name: string;
      processedAt: string;
      totalPrice: { amount: string; currencyCode: CurrencyCode };
    }>();
    expectTypeOf<Orders['pageInfo']>().toEqualTypeOf<{ hasNextPage: boolean; endCursor: string | null }>();
  });

  it('requires $first and takes an optional $after cursor', () => {
    type Variables = VariablesOf<typeof CustomerOrdersDocument>;
    expectTypeOf<{ first: number }>().toExtend<Variables>();
    expectTypeOf<{ first: number; after: string | null }>().toExtend<Variables>();
    // @ts-expect-error $first is required
    const missing: Variables = {};
    // @ts-expect-error $first is a number
    const mistyped: Variables = { first: '10' };
    void [missing, mistyped];
  });

  it('types money amounts as strings (Decimal) and dates as strings (DateTime), never any', () => {
    expectTypeOf<Orders['nodes'][number]['totalPrice']['amount']>().toEqualTypeOf<string>();
    expectTypeOf<Orders['nodes'][number]['processedAt']>().not.toBeAny();
  });
});

describe('the Customer Account entry point', () => {
  type Entry = Entries['2026-04'];

  it('exports the documents, apiVersion, the bound exchange and the Customer Account runtime', () => {
    expectTypeOf<'apiVersion' | 'CustomerDocument' | 'CustomerOrdersDocument'>().toExtend<keyof Entry>();
    expectTypeOf<'customerAccountExchange' | 'createSignIn' | 'completeSignIn' | 'signalOf'>().toExtend<keyof Entry>();
  });

  it('exports nothing of the Storefront runtime', () => {
    expectTypeOf<Extract<keyof Entry, 'storefrontExchange' | 'customerTokenExchange'>>().toEqualTypeOf<never>();
    expectTypeOf<
      Extract<keyof Entry, 'renewCustomerAccessToken' | 'createCustomerAccessToken'>
    >().toEqualTypeOf<never>();
  });
});

describe('refreshTokenSet', () => {
  it('answers the refreshed set as a CustomerAccountTokenSet, with expiresAt an ISO string', () => {
    type Answer = Awaited<ReturnType<typeof refreshTokenSet>>;
    expectTypeOf<Answer>().toEqualTypeOf<RefreshAnswer>();
    expectTypeOf<Extract<Answer, { kind: 'renewed' }>['token']>().toEqualTypeOf<CustomerAccountTokenSet>();
    expectTypeOf<CustomerAccountTokenSet['expiresAt']>().toEqualTypeOf<string>();
    expectTypeOf<Answer['kind']>().toEqualTypeOf<'renewed' | 'invalid' | 'unavailable'>();
  });
});
