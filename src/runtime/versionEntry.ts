import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Exchange } from '@urql/core';
import { createCustomerTokenExchange, type CustomerTokenExchangeOptions } from './customerTokenExchange.js';
import {
  createWith,
  deleteWith,
  renewWith,
  type CreateTokenResult,
  type DeleteTokenResult,
  type HelperOptions,
  type MutationClient,
  type RenewTokenResult,
} from './helpers.js';
import { createStorefrontExchange, type StorefrontExchangeOptions } from './storefrontExchange.js';
import type { Token, TokenStore } from './tokenStore.js';

/**
 * The per-version binding: each `generated/<version>/entry.ts` calls these (as `/*#__PURE__*\/` calls, so a
 * bundler drops the ones an app does not import) with its own version and only the documents each needs.
 * The entry point documents what they return; these only close over the version and its documents.
 */

type RenewDocument = TypedDocumentNode<any, { customerAccessToken: string }>;
type CreateDocument = TypedDocumentNode<any, { input: { email: string; password: string } }>;

/** `storefrontExchange` bound to `version`: every operation goes to `/api/{version}/graphql.json`. */
export function bindStorefrontExchange(version: string): (options: StorefrontExchangeOptions) => Exchange {
  return (options) => createStorefrontExchange(version, options);
}

/** `customerTokenExchange` bound to `version`'s renew document. */
export function bindCustomerTokenExchange(
  renewDocument: RenewDocument,
): (options: CustomerTokenExchangeOptions) => Exchange {
  return (options) => createCustomerTokenExchange(renewDocument, options);
}

/** `renewCustomerAccessToken` bound to `version`'s renew document. */
export function bindRenew(
  document: RenewDocument,
): (client: MutationClient, token: Token, options?: HelperOptions) => Promise<RenewTokenResult> {
  return (client, token, options) => renewWith(client, document, token, options);
}

/** `createCustomerAccessToken` (sign in) bound to a version's create document. */
export function bindCreate(
  document: CreateDocument,
): (
  client: MutationClient,
  credentials: { email: string; password: string },
  options?: HelperOptions,
) => Promise<CreateTokenResult> {
  return (client, credentials, options) => createWith(client, document, credentials, options);
}

/** `deleteCustomerAccessToken` (sign out) bound to a version's delete document. */
export function bindDelete(
  document: RenewDocument,
): (client: MutationClient, target: { store: TokenStore }, options?: HelperOptions) => Promise<DeleteTokenResult> {
  return (client, target, options) => deleteWith(client, document, target, options);
}

export { versionDocument, withInjectedToken } from './documents.js';
