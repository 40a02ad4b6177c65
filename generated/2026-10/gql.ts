/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CartBuyerIdentityUpdate($cartId: ID!, $customerAccessToken: String!) {\n  cartBuyerIdentityUpdate(\n    cartId: $cartId\n    buyerIdentity: {customerAccessToken: $customerAccessToken}\n  ) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}": typeof types.CartBuyerIdentityUpdateDocument,
    "mutation CartCreate($customerAccessToken: String!) {\n  cartCreate(input: {buyerIdentity: {customerAccessToken: $customerAccessToken}}) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}": typeof types.CartCreateDocument,
    "query Customer($customerAccessToken: String!) {\n  customer(customerAccessToken: $customerAccessToken) {\n    id\n    email\n    firstName\n    lastName\n    displayName\n  }\n}": typeof types.CustomerDocument,
    "fragment CustomerAccessTokenFields on CustomerAccessToken {\n  accessToken\n  expiresAt\n}": typeof types.CustomerAccessTokenFieldsFragmentDoc,
    "mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {\n  customerAccessTokenCreate(input: $input) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    customerUserErrors {\n      code\n      field\n      message\n    }\n  }\n}": typeof types.CustomerAccessTokenCreateDocument,
    "mutation CustomerAccessTokenDelete($customerAccessToken: String!) {\n  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) {\n    deletedAccessToken\n    deletedCustomerAccessTokenId\n    userErrors {\n      field\n      message\n    }\n  }\n}": typeof types.CustomerAccessTokenDeleteDocument,
    "mutation CustomerAccessTokenRenew($customerAccessToken: String!) {\n  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    userErrors {\n      field\n      message\n    }\n  }\n}": typeof types.CustomerAccessTokenRenewDocument,
};
const documents: Documents = {
    "mutation CartBuyerIdentityUpdate($cartId: ID!, $customerAccessToken: String!) {\n  cartBuyerIdentityUpdate(\n    cartId: $cartId\n    buyerIdentity: {customerAccessToken: $customerAccessToken}\n  ) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}": types.CartBuyerIdentityUpdateDocument,
    "mutation CartCreate($customerAccessToken: String!) {\n  cartCreate(input: {buyerIdentity: {customerAccessToken: $customerAccessToken}}) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}": types.CartCreateDocument,
    "query Customer($customerAccessToken: String!) {\n  customer(customerAccessToken: $customerAccessToken) {\n    id\n    email\n    firstName\n    lastName\n    displayName\n  }\n}": types.CustomerDocument,
    "fragment CustomerAccessTokenFields on CustomerAccessToken {\n  accessToken\n  expiresAt\n}": types.CustomerAccessTokenFieldsFragmentDoc,
    "mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {\n  customerAccessTokenCreate(input: $input) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    customerUserErrors {\n      code\n      field\n      message\n    }\n  }\n}": types.CustomerAccessTokenCreateDocument,
    "mutation CustomerAccessTokenDelete($customerAccessToken: String!) {\n  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) {\n    deletedAccessToken\n    deletedCustomerAccessTokenId\n    userErrors {\n      field\n      message\n    }\n  }\n}": types.CustomerAccessTokenDeleteDocument,
    "mutation CustomerAccessTokenRenew($customerAccessToken: String!) {\n  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    userErrors {\n      field\n      message\n    }\n  }\n}": types.CustomerAccessTokenRenewDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CartBuyerIdentityUpdate($cartId: ID!, $customerAccessToken: String!) {\n  cartBuyerIdentityUpdate(\n    cartId: $cartId\n    buyerIdentity: {customerAccessToken: $customerAccessToken}\n  ) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}"): (typeof documents)["mutation CartBuyerIdentityUpdate($cartId: ID!, $customerAccessToken: String!) {\n  cartBuyerIdentityUpdate(\n    cartId: $cartId\n    buyerIdentity: {customerAccessToken: $customerAccessToken}\n  ) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CartCreate($customerAccessToken: String!) {\n  cartCreate(input: {buyerIdentity: {customerAccessToken: $customerAccessToken}}) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}"): (typeof documents)["mutation CartCreate($customerAccessToken: String!) {\n  cartCreate(input: {buyerIdentity: {customerAccessToken: $customerAccessToken}}) {\n    cart {\n      id\n      buyerIdentity {\n        customer {\n          id\n          email\n        }\n      }\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Customer($customerAccessToken: String!) {\n  customer(customerAccessToken: $customerAccessToken) {\n    id\n    email\n    firstName\n    lastName\n    displayName\n  }\n}"): (typeof documents)["query Customer($customerAccessToken: String!) {\n  customer(customerAccessToken: $customerAccessToken) {\n    id\n    email\n    firstName\n    lastName\n    displayName\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CustomerAccessTokenFields on CustomerAccessToken {\n  accessToken\n  expiresAt\n}"): (typeof documents)["fragment CustomerAccessTokenFields on CustomerAccessToken {\n  accessToken\n  expiresAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {\n  customerAccessTokenCreate(input: $input) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    customerUserErrors {\n      code\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) {\n  customerAccessTokenCreate(input: $input) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    customerUserErrors {\n      code\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CustomerAccessTokenDelete($customerAccessToken: String!) {\n  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) {\n    deletedAccessToken\n    deletedCustomerAccessTokenId\n    userErrors {\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation CustomerAccessTokenDelete($customerAccessToken: String!) {\n  customerAccessTokenDelete(customerAccessToken: $customerAccessToken) {\n    deletedAccessToken\n    deletedCustomerAccessTokenId\n    userErrors {\n      field\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CustomerAccessTokenRenew($customerAccessToken: String!) {\n  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    userErrors {\n      field\n      message\n    }\n  }\n}"): (typeof documents)["mutation CustomerAccessTokenRenew($customerAccessToken: String!) {\n  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {\n    customerAccessToken {\n      ...CustomerAccessTokenFields\n    }\n    userErrors {\n      field\n      message\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;