import type { CustomerErrorCode } from '../../generated/2026-04/graphql.js';
import { describe, expectTypeOf, it } from 'vitest';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import type { GeneratedEntries, generatedVersions, rootVersion } from '../../generated/versions.js';
import type * as root from '../../generated/latest.js';

/**
 * Every vendored version's entry, from the generated map (no hand-kept list: `npm run codegen` adds a new
 * version here); mapped types below check each one on its own, not as a union.
 */
type Entries = GeneratedEntries;
type PerVersion<T> = { [K in keyof Entries]: T };
type RenewPayload<K extends keyof Entries> = NonNullable<
  ResultOf<Entries[K]['CustomerAccessTokenRenewDocument']>['customerAccessTokenRenew']
>;

describe('the generated entry map', () => {
  it('holds every generated version', () => {
    expectTypeOf<keyof Entries>().toEqualTypeOf<(typeof generatedVersions)[number]>();
  });
});

describe('the renew document of every version', () => {
  it('takes exactly { customerAccessToken: string }', () => {
    expectTypeOf<{ [K in keyof Entries]: VariablesOf<Entries[K]['CustomerAccessTokenRenewDocument']> }>().toEqualTypeOf<
      PerVersion<{ customerAccessToken: string }>
    >();
  });

  it('types the token as nullable and expiresAt as string', () => {
    expectTypeOf<{ [K in keyof Entries]: RenewPayload<K>['customerAccessToken'] }>().toEqualTypeOf<
      PerVersion<{ accessToken: string; expiresAt: string } | null>
    >();
  });

  it('types userErrors as a non-null array of errors without a code', () => {
    expectTypeOf<{ [K in keyof Entries]: RenewPayload<K>['userErrors'] }>().toEqualTypeOf<
      PerVersion<Array<{ field: Array<string> | null; message: string }>>
    >();
  });

  it('names its API version as a literal type', () => {
    expectTypeOf<{ [K in keyof Entries]: Entries[K]['apiVersion'] }>().toEqualTypeOf<{ [K in keyof Entries]: K }>();
  });
});

describe('the cart documents of every version', () => {
  type UpdatePayload<K extends keyof Entries> = NonNullable<
    ResultOf<Entries[K]['CartBuyerIdentityUpdateDocument']>['cartBuyerIdentityUpdate']
  >;

  it('take the cart id, the token optional: the customer token exchange fills it in', () => {
    expectTypeOf<{
      [K in keyof Entries]: VariablesOf<Entries[K]['CartBuyerIdentityUpdateDocument']>;
    }>().toEqualTypeOf<PerVersion<{ cartId: string | number; customerAccessToken?: string }>>();
    expectTypeOf<{ [K in keyof Entries]: VariablesOf<Entries[K]['CartCreateDocument']> }>().toEqualTypeOf<
      PerVersion<{ customerAccessToken?: string }>
    >();
  });

  it("type the cart's customer as nullable, and user errors with a code", () => {
    expectTypeOf<{
      [K in keyof Entries]: NonNullable<UpdatePayload<K>['cart']>['buyerIdentity']['customer'];
    }>().toEqualTypeOf<PerVersion<{ id: string; email: string | null } | null>>();
    expectTypeOf<{ [K in keyof Entries]: UpdatePayload<K>['userErrors'][number]['message'] }>().toEqualTypeOf<
      PerVersion<string>
    >();
    expectTypeOf<UpdatePayload<'2026-04'>['userErrors'][number]['code']>().not.toBeAny();
  });
});

describe('variables of the renew document', () => {
  type Variables = VariablesOf<Entries[typeof rootVersion]['CustomerAccessTokenRenewDocument']>;

  it('accepts the token', () => {
    expectTypeOf<{ customerAccessToken: string }>().toExtend<Variables>();
  });

  it('rejects a missing, misspelled or mistyped variable', () => {
    // @ts-expect-error the variable is required
    const missing: Variables = {};
    // @ts-expect-error misspelled variable name
    const misspelled: Variables = { customerAccesToken: 'x' };
    // @ts-expect-error the token is a string
    const mistyped: Variables = { customerAccessToken: 1 };
    expectTypeOf([missing, misspelled, mistyped]).toBeArray();
  });
});

describe('the package root', () => {
  it('is the pinned root version, 2026-04 until the next major release', () => {
    expectTypeOf<typeof root.apiVersion>().toEqualTypeOf<typeof rootVersion>();
    expectTypeOf<typeof rootVersion>().toEqualTypeOf<'2026-04'>();
  });

  it('types create errors with a code and a nullable field', () => {
    type Create = NonNullable<ResultOf<typeof root.CustomerAccessTokenCreateDocument>['customerAccessTokenCreate']>;
    expectTypeOf<Create['customerUserErrors'][number]['code']>().toEqualTypeOf<CustomerErrorCode | null>();
    expectTypeOf<Create['customerUserErrors'][number]['field']>().toEqualTypeOf<string[] | null>();
  });

  it('types the customer read as nullable', () => {
    expectTypeOf<ResultOf<typeof root.CustomerDocument>['customer']>().toExtend<object | null>();
    expectTypeOf<null>().toExtend<ResultOf<typeof root.CustomerDocument>['customer']>();
  });
});
