import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
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
import {
  createStorefrontExchange,
  type StorefrontExchangeOptions,
  type VersionedExchange,
} from './storefrontExchange.js';
import type { Token, TokenStore } from './tokenStore.js';

/**
 * The per-version binding: each `generated/<version>/entry.ts` calls these (as `/*#__PURE__*\/` calls, so a
 * bundler drops the ones an app does not import) with its own version and only the documents each needs.
 */

/** A function bound to one API version; `apiVersion` names it. */
export type Bound<F, V extends string> = F & { readonly apiVersion: V };

/** The `storefrontExchange` of a version's entry point. */
export type BoundStorefrontExchange<V extends string> = Bound<
  (options: StorefrontExchangeOptions<V>) => VersionedExchange<V>,
  V
>;
/** The `customerTokenExchange` of a version's entry point. */
export type BoundCustomerTokenExchange<V extends string> = Bound<
  (options: CustomerTokenExchangeOptions) => VersionedExchange<V>,
  V
>;
/** The `renewCustomerAccessToken` of a version's entry point. */
export type BoundRenew<V extends string> = Bound<
  (client: MutationClient, token: Token, options?: HelperOptions) => Promise<RenewTokenResult>,
  V
>;
/** The `createCustomerAccessToken` of a version's entry point. */
export type BoundCreate<V extends string> = Bound<
  (
    client: MutationClient,
    credentials: { email: string; password: string },
    options?: HelperOptions,
  ) => Promise<CreateTokenResult>,
  V
>;
/** The `deleteCustomerAccessToken` of a version's entry point. */
export type BoundDelete<V extends string> = Bound<
  (client: MutationClient, target: { store: TokenStore }, options?: HelperOptions) => Promise<DeleteTokenResult>,
  V
>;

type RenewDocument = TypedDocumentNode<any, { customerAccessToken: string }>;
type CreateDocument = TypedDocumentNode<any, { input: { email: string; password: string } }>;

const bind = <F extends (...args: never[]) => unknown, V extends string>(fn: F, version: V): Bound<F, V> =>
  Object.assign(fn, { apiVersion: version });

/** Binds `storefrontExchange` to `version`: every operation goes to `/api/{version}/graphql.json`. */
export function bindStorefrontExchange<V extends string>(version: V): BoundStorefrontExchange<V> {
  return bind((options: StorefrontExchangeOptions<V>) => createStorefrontExchange(version, options), version);
}

/** Binds `customerTokenExchange` to `version`'s renew document. */
export function bindCustomerTokenExchange<V extends string>(
  version: V,
  renewDocument: RenewDocument,
): BoundCustomerTokenExchange<V> {
  return bind(
    (options: CustomerTokenExchangeOptions) => createCustomerTokenExchange(version, renewDocument, options),
    version,
  );
}

/** Binds `renewCustomerAccessToken` to `version`'s renew document. */
export function bindRenew<V extends string>(version: V, document: RenewDocument): BoundRenew<V> {
  return bind(
    (client: MutationClient, token: Token, options?: HelperOptions) => renewWith(client, document, token, options),
    version,
  );
}

/** Binds `createCustomerAccessToken` (sign in) to `version`'s create document. */
export function bindCreate<V extends string>(version: V, document: CreateDocument): BoundCreate<V> {
  return bind(
    (client: MutationClient, credentials: { email: string; password: string }, options?: HelperOptions) =>
      createWith(client, document, credentials, options),
    version,
  );
}

/** Binds `deleteCustomerAccessToken` (sign out) to `version`'s delete document. */
export function bindDelete<V extends string>(version: V, document: RenewDocument): BoundDelete<V> {
  return bind(
    (client: MutationClient, target: { store: TokenStore }, options?: HelperOptions) =>
      deleteWith(client, document, target, options),
    version,
  );
}

export { versionDocument, withInjectedToken } from './documents.js';
