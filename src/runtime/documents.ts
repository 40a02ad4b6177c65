import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode, FieldNode, OperationDefinitionNode, SelectionNode, VariableNode } from 'graphql';

/** The variable the customer token exchange fills in. */
export const TOKEN_VARIABLE = 'customerAccessToken';

/** The document object urql keys and caches by `__key` (see `KeyedDocumentNode` in @urql/core). */
interface Keyed {
  __key?: number;
}

/**
 * A copy of a generated document that carries its API version in its urql key.
 *
 * @remarks
 * The documents of two versions are usually the same text, and urql interns documents by a hash of their
 * text, so without this a 2025-07 document would become the 2026-04 object the moment both were used and
 * no exchange could tell them apart. The key mixes in the version, so each version's document stays its own.
 * Codegen computes it (`documentKey` in src/codegen/entry.ts: a hash of the version and the operation's text), so
 * importing an entry point hashes nothing.
 *
 * @param document - a document from `generated/<version>/graphql.ts`.
 * @param version - the version it was generated from.
 * @param key - its key, from codegen.
 */
export function versionDocument<D extends TypedDocumentNode<any, any>>(document: D, version: string, key: number): D {
  const copy = { ...document } as D & Keyed;
  // Enumerable, so that a copy of the document (`{ ...document }`, `structuredClone`, JSON) keeps its version.
  copy.__key = key;
  versionsByKey.set(key, version);
  return copy;
}

/**
 * A key for a document that codegen gave none (app documents generated before keys were computed at codegen): the
 * hash of the binding and the document's JSON.
 */
export function runtimeDocumentKey(document: DocumentNode, binding: string): number {
  return keyHash(`${binding}\n${JSON.stringify(document)}`);
}

/** 32-bit FNV-1a: document keys only need to be distinct per (document, binding). Codegen uses it too. */
export function keyHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Document key → version, for every document made by {@link versionDocument}; survives urql's
 * reformatting, which keeps `__key`.
 */
const versionsByKey = new Map<number, string>();

/** The API version a document was generated for, when it came from {@link versionDocument}. */
export function documentVersion(document: DocumentNode): string | undefined {
  const key = (document as DocumentNode & Keyed).__key;
  return key === undefined ? undefined : versionsByKey.get(key);
}

/**
 * Whether a selection is a field. The AST `kind` values are compared as plain strings rather than through
 * graphql-js's `Kind` enum, so that importing this module keeps graphql-js out of an app's bundle.
 */
export function isField(selection: SelectionNode): selection is FieldNode {
  return (selection.kind as string) === 'Field';
}

const operations = new WeakMap<DocumentNode, OperationDefinitionNode | null>();

/** The first operation definition of a document (cached). */
export function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  let found = operations.get(document);
  if (found === undefined) {
    found =
      (document.definitions.find((d) => (d.kind as string) === 'OperationDefinition') as
        OperationDefinitionNode | undefined) ?? null;
    operations.set(document, found);
  }
  return found ?? undefined;
}

/** Whether a document's operation declares `$name`. */
export function declaresVariable(document: DocumentNode, name: string): boolean {
  // Asked for every operation, almost always about the token variable: that answer is kept per document.
  if (name !== TOKEN_VARIABLE) return declares(document, name);
  let found = declaresToken.get(document);
  if (found === undefined) declaresToken.set(document, (found = declares(document, name)));
  return found;
}

const declaresToken = new WeakMap<DocumentNode, boolean>();

function declares(document: DocumentNode, name: string): boolean {
  return operationOf(document)?.variableDefinitions?.some((v) => v.variable.name.value === name) ?? false;
}

/**
 * The response keys of root `customer(customerAccessToken: $customerAccessToken)` fields: when one comes back
 * `null` without errors, the server has said that the token does not work (deleted or revoked).
 */
export function customerFieldKeys(document: DocumentNode): string[] {
  let keys = customerKeys.get(document);
  if (!keys) customerKeys.set(document, (keys = findCustomerFieldKeys(document)));
  return keys;
}

const customerKeys = new WeakMap<DocumentNode, string[]>();

function findCustomerFieldKeys(document: DocumentNode): string[] {
  const operation = operationOf(document);
  if (operation?.operation !== 'query') return [];
  const keys: string[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (!isField(selection) || selection.name.value !== 'customer') continue;
    // The argument's value is the variable `$customerAccessToken` (kinds compared as plain strings, see isField).
    const usesToken = selection.arguments?.some(
      (a) =>
        a.name.value === TOKEN_VARIABLE &&
        (a.value.kind as string) === 'Variable' &&
        (a.value as VariableNode).name.value === TOKEN_VARIABLE,
    );
    if (usesToken) keys.push(selection.alias?.value ?? selection.name.value);
  }
  return keys;
}

/**
 * A document's variables with `$customerAccessToken` optional (the customer token exchange fills it in) and
 * every other variable exactly as declared.
 */
type InjectedVariables<Variables> = Omit<Variables, typeof TOKEN_VARIABLE> & { customerAccessToken?: string };

/** `unknown` for a document declaring `$customerAccessToken: String!`; otherwise a type naming the mistake. */
type DeclaresToken<D> =
  D extends TypedDocumentNode<any, infer Variables>
    ? Variables extends { customerAccessToken: string }
      ? unknown
      : { ' withInjectedToken': 'the document declares no $customerAccessToken: String! variable' }
    : never;

/** The type of `document` once {@link withInjectedToken} has made its token variable optional. */
export type TokenInjected<D> =
  D extends TypedDocumentNode<infer Result, infer Variables>
    ? TypedDocumentNode<Result, { [K in keyof InjectedVariables<Variables>]: InjectedVariables<Variables>[K] }>
    : D;

/**
 * Marks a document whose `$customerAccessToken` the customer token exchange fills in, so that urql accepts it
 * without that variable. Every other variable keeps its type. Type-only: returns the same object. A document
 * that declares no `$customerAccessToken` is refused at compile time: there is nothing to inject.
 *
 * @param document - a typed document declaring `$customerAccessToken: String!`.
 * @returns the same document, typed with `customerAccessToken` optional.
 * @example
 * ```ts
 * // query CustomerOrders($customerAccessToken: String!, $first: Int!) { ... }
 * const Orders = withInjectedToken(CustomerOrdersDocument);
 * const result = await client.query(Orders, { first: 10 }); // no token in app code
 * ```
 */
export function withInjectedToken<D extends TypedDocumentNode<any, any>>(
  document: D & DeclaresToken<D>,
): TokenInjected<D> {
  return document as unknown as TokenInjected<D>;
}
