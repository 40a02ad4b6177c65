import { Kind, print, type OperationDefinitionNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { CustomerQuery, CustomerQueryVariables } from '../../generated/2026-04/graphql.js';

/**
 * The 2026-04 entry point's Customer query (marked with its version), or the same query under another name (an app's
 * own, unmarked).
 */
export type CustomerDoc = TypedDocumentNode<CustomerQuery, CustomerQueryVariables>;

/**
 * `count` customer queries with distinct operation names (`Customer`, `Customer1`, …). urql's client
 * shares one request among identical queries in flight, so N concurrent operations need N different
 * documents to become N requests: N different queries of an app, all needing the customer's token.
 */
export function customerDocuments(base: CustomerDoc, count: number): CustomerDoc[] {
  const [definition] = base.definitions as [OperationDefinitionNode];
  const made = madeFrom.get(base) ?? [];
  madeFrom.set(base, made);
  // Built from `kind` and `definitions` only: urql writes its cache key (`__key`) onto a document it has
  // seen, and a spread copy would carry that key along and be taken for the original.
  for (let i = made.length; i < count; i++) {
    made.push(
      i === 0
        ? base
        : ({
            kind: Kind.DOCUMENT,
            definitions: [{ ...definition, name: { kind: Kind.NAME, value: `Customer${i}` } }],
          } as CustomerDoc),
    );
  }
  return made.slice(0, count);
}

/** The same objects every time, so urql's keys (and the emulator's parsed-document cache) stay warm. */
const madeFrom = new WeakMap<CustomerDoc, CustomerDoc[]>();

/** The query text bare `fetch` sends for a document. */
export const queryText = (document: CustomerDoc): string => print(document);

/** Throws unless a result carries the signed-in customer (a failing path must never read as a fast one). */
export function assertCustomer(data: unknown, what: string, error?: { message: string }): void {
  const customer = (data as { customer?: { id?: unknown } | null } | null | undefined)?.customer;
  if (typeof customer?.id !== 'string')
    throw new Error(`bench: ${what} did not return the customer${error ? `: ${error.message}` : ''}`);
}
