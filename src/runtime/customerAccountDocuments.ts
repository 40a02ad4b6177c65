import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { documentVersion, runtimeDocumentKey, versionDocument } from './documents.js';

/**
 * The version guard of Customer Account documents. They are registered in the same registry as the Storefront's
 * (`documents.ts`), under their own key space: a Customer Account document of 2026-04 is bound to
 * `customer-account/2026-04`, never to `2026-04`. So a Storefront exchange, which accepts only its own bare version,
 * refuses every Customer Account document (as a document of another version, naming the entry point it came from),
 * and a Customer Account exchange refuses every Storefront document ({@link customerAccountDocumentMismatch}).
 * Nothing here imports the Storefront runtime: the `customer-account/<version>` entry points import only this file.
 */

/** The prefix of every Customer Account binding: also the entry point's sub-path (`<package>/customer-account/<v>`). */
export const CUSTOMER_ACCOUNT_KEY_SPACE = 'customer-account';

const PREFIX = `${CUSTOMER_ACCOUNT_KEY_SPACE}/`;

/** The binding of a Customer Account document of `version` in the registry: `customer-account/<version>`. */
export function customerAccountBinding(version: string): string {
  return PREFIX + version;
}

/**
 * A copy of a generated Customer Account document that carries its API version in its urql key, in the Customer
 * Account key space (see `versionDocument`: without it, urql would intern two versions' identical documents into one
 * object, and a Storefront document of the same text into the same one).
 *
 * @param document - a document from `generated/customer-account/<version>/graphql.ts` (or an app's own).
 * @param version - the Customer Account API version it was generated from.
 * @param key - its key, from codegen (see `versionDocument`).
 */
export function customerAccountDocument<D extends TypedDocumentNode<any, any>>(
  document: D,
  version: string,
  key?: number,
): D {
  const binding = customerAccountBinding(version);
  return versionDocument(document, binding, key ?? runtimeDocumentKey(document, binding));
}

/**
 * The Customer Account API version a document was generated for; `undefined` for a Storefront document and for a
 * document no codegen bound (hand-written, or parsed at run time).
 */
export function customerAccountDocumentVersion(document: DocumentNode): string | undefined {
  const bound = documentVersion(document);
  return bound?.startsWith(PREFIX) ? bound.slice(PREFIX.length) : undefined;
}

/**
 * What a Customer Account exchange bound to `version` must refuse: the binding of a document generated for
 * something else (a bare version such as `2026-04` for a Storefront document, `customer-account/2026-01` for a
 * Customer Account document of another version), or `undefined` when it may send the document (its own version's,
 * or one no codegen bound, as the Storefront exchange lets those through too).
 *
 * @example
 * ```ts
 * const other = customerAccountDocumentMismatch(operation.query, '2026-04');
 * if (other) return refuse(operation, `generated for ${other}`);
 * ```
 */
export function customerAccountDocumentMismatch(document: DocumentNode, version: string): string | undefined {
  const bound = documentVersion(document);
  return bound === undefined || bound === customerAccountBinding(version) ? undefined : bound;
}
