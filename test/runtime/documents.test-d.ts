import { describe, expectTypeOf, it } from 'vitest';
import type { TypedDocumentNode, VariablesOf, ResultOf } from '@graphql-typed-document-node/core';
import { withInjectedToken } from '../../src/runtime/documents.js';

type Orders = { customer: { orders: { nodes: Array<{ id: string }> } } | null };
declare const OrdersDocument: TypedDocumentNode<Orders, { customerAccessToken: string; first: number }>;
declare const SearchDocument: TypedDocumentNode<Orders, { customerAccessToken: string; query?: string | null }>;
declare const TokenOnlyDocument: TypedDocumentNode<Orders, { customerAccessToken: string }>;
declare const ShopDocument: TypedDocumentNode<{ shop: { name: string } }, { [key: string]: never }>;

describe('withInjectedToken', () => {
  it('keeps an extra required variable required and makes the token optional', () => {
    const Orders = withInjectedToken(OrdersDocument);
    expectTypeOf<VariablesOf<typeof Orders>>().toEqualTypeOf<{ first: number; customerAccessToken?: string }>();
    expectTypeOf<ResultOf<typeof Orders>>().toEqualTypeOf<Orders>();
    expectTypeOf<{ first: number }>().toExtend<VariablesOf<typeof Orders>>();
    expectTypeOf<{}>().not.toExtend<VariablesOf<typeof Orders>>();
  });

  it('keeps an extra optional variable optional', () => {
    const Search = withInjectedToken(SearchDocument);
    expectTypeOf<VariablesOf<typeof Search>>().toEqualTypeOf<{
      query?: string | null;
      customerAccessToken?: string;
    }>();
  });

  it('leaves a token-only document with no required variable', () => {
    const TokenOnly = withInjectedToken(TokenOnlyDocument);
    expectTypeOf<VariablesOf<typeof TokenOnly>>().toEqualTypeOf<{ customerAccessToken?: string }>();
  });

  it('refuses a document without a $customerAccessToken variable', () => {
    // @ts-expect-error there is no token variable to inject
    withInjectedToken(ShopDocument);
  });
});
