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
    "query Customer {\n  customer {\n    id\n    firstName\n    lastName\n    displayName\n    emailAddress {\n      emailAddress\n    }\n  }\n}": typeof types.CustomerDocument,
    "query CustomerOrders($first: Int!, $after: String) {\n  customer {\n    id\n    orders(first: $first, after: $after, sortKey: PROCESSED_AT, reverse: true) {\n      nodes {\n        id\n        name\n        processedAt\n        totalPrice {\n          amount\n          currencyCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.CustomerOrdersDocument,
};
const documents: Documents = {
    "query Customer {\n  customer {\n    id\n    firstName\n    lastName\n    displayName\n    emailAddress {\n      emailAddress\n    }\n  }\n}": types.CustomerDocument,
    "query CustomerOrders($first: Int!, $after: String) {\n  customer {\n    id\n    orders(first: $first, after: $after, sortKey: PROCESSED_AT, reverse: true) {\n      nodes {\n        id\n        name\n        processedAt\n        totalPrice {\n          amount\n          currencyCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.CustomerOrdersDocument,
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
export function graphql(source: "query Customer {\n  customer {\n    id\n    firstName\n    lastName\n    displayName\n    emailAddress {\n      emailAddress\n    }\n  }\n}"): (typeof documents)["query Customer {\n  customer {\n    id\n    firstName\n    lastName\n    displayName\n    emailAddress {\n      emailAddress\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomerOrders($first: Int!, $after: String) {\n  customer {\n    id\n    orders(first: $first, after: $after, sortKey: PROCESSED_AT, reverse: true) {\n      nodes {\n        id\n        name\n        processedAt\n        totalPrice {\n          amount\n          currencyCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query CustomerOrders($first: Int!, $after: String) {\n  customer {\n    id\n    orders(first: $first, after: $after, sortKey: PROCESSED_AT, reverse: true) {\n      nodes {\n        id\n        name\n        processedAt\n        totalPrice {\n          amount\n          currencyCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;