import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parse,
  print,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type NamedTypeNode,
  type NonNullTypeNode,
  type OperationDefinitionNode,
} from 'graphql';
import { keyHash } from '../runtime/documents.js';
import { withFragments, type FragmentSource } from '../schema/operations.js';
import { filesUnder } from '../tooling/filesUnder.js';

/** An operation (or fragment) of `operations/`, as the entry point exports it. */
export interface OperationEntry {
  name: string;
  kind: 'query' | 'mutation' | 'subscription' | 'fragment';
  /** The file's leading `#` comment: it becomes the export's TSDoc. */
  description: string;
  /**
   * Whether the customer token exchange fills in `$customerAccessToken` (made optional in the types): every
   * document that declares it, except those whose subject is the token itself (renew and delete take the token
   * to act on).
   */
  injected: boolean;
  /**
   * The operation's text with every fragment it spreads (transitively), printed: what its urql key is computed
   * from at codegen ({@link documentKey}), so that the runtime never hashes a document.
   */
  text: string;
}

/** Root fields whose `$customerAccessToken` is the token to act on, never the signed-in customer's to inject. */
const TOKEN_SUBJECT_FIELDS = new Set(['customerAccessTokenRenew', 'customerAccessTokenDelete']);

/** The operations and fragments of every `.graphql` file under `dir`, sorted by name: nothing is kept by hand. */
export function operationEntries(dir: string): OperationEntry[] {
  const files = filesUnder(dir, (name) => name.endsWith('.graphql'));
  return documentEntries(files.map((file) => ({ document: parse(read(dir, file)), rawSDL: read(dir, file) })));
}

/** The same, from documents graphql-codegen has loaded (a plugin's `documents`), e.g. an app's own operations. */
export function documentEntries(files: readonly { document?: DocumentNode; rawSDL?: string }[]): OperationEntry[] {
  const fragments = new Map<string, FragmentSource>();
  for (const file of files)
    for (const definition of file.document?.definitions ?? [])
      if ((definition.kind as string) === 'FragmentDefinition') {
        const node = definition as FragmentDefinitionNode;
        fragments.set(node.name.value, { name: node.name.value, file: '', node });
      }
  return sortEntries(
    files.flatMap((file) => (file.document ? entriesOf(file.document, file.rawSDL ?? '', fragments) : [])),
  );
}

/** A definition printed with every fragment it spreads (the schema check's walk), each once, in name order after it. */
function printedWithFragments(
  definition: OperationDefinitionNode | FragmentDefinitionNode,
  fragments: ReadonlyMap<string, FragmentSource>,
): string {
  const [root, ...spread] = withFragments(definition, fragments).definitions as FragmentDefinitionNode[];
  spread.sort((a, b) => (a.name.value < b.name.value ? -1 : 1));
  return [root!, ...spread].map((node) => print(node)).join('\n');
}

/**
 * The urql key of a document bound to `binding` (a version, or `customer-account/<version>`), from the binding and
 * the operation's text, computed here so that importing an entry point hashes nothing. Distinct per (document,
 * binding), stable across builds of the same text.
 */
export function documentKey(binding: string, text: string): number {
  return keyHash(`${binding}\n${text}`);
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const sortEntries = (entries: OperationEntry[]) =>
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function entriesOf(
  document: DocumentNode,
  source: string,
  fragments: ReadonlyMap<string, FragmentSource>,
): OperationEntry[] {
  const description = leadingComment(source);
  // Kinds compared as strings: the document may come from another copy of graphql-js (an app's codegen).
  return document.definitions.flatMap((definition: DefinitionNode): OperationEntry[] => {
    if ((definition.kind as string) === 'FragmentDefinition') {
      const name = (definition as FragmentDefinitionNode).name.value;
      return [
        {
          name,
          kind: 'fragment',
          description,
          injected: false,
          text: printedWithFragments(definition as FragmentDefinitionNode, fragments),
        },
      ];
    }
    if ((definition.kind as string) !== 'OperationDefinition') return [];
    const operation = definition as OperationDefinitionNode;
    if (!operation.name) return [];
    return [
      {
        name: operation.name.value,
        kind: operation.operation,
        description,
        injected: isInjected(operation),
        text: printedWithFragments(operation, fragments),
      },
    ];
  });
}

function isInjected(operation: OperationDefinitionNode): boolean {
  // Only `String!`: `withInjectedToken` refuses a nullable token variable at compile time.
  const declares = operation.variableDefinitions?.some(
    (v) =>
      v.variable.name.value === 'customerAccessToken' &&
      (v.type.kind as string) === 'NonNullType' &&
      (v.type as NonNullTypeNode).type.kind === ('NamedType' as string) &&
      ((v.type as NonNullTypeNode).type as NamedTypeNode).name.value === 'String',
  );
  const subjects = operation.selectionSet.selections.some(
    (s) => s.kind === 'Field' && TOKEN_SUBJECT_FIELDS.has(s.name.value),
  );
  return Boolean(declares) && !subjects;
}

function leadingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}

export const typeName = (entry: OperationEntry) =>
  entry.name + (entry.kind === 'fragment' ? 'Fragment' : entry.kind[0]!.toUpperCase() + entry.kind.slice(1));

export const doc = (lines: string[]) => `/**\n${lines.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */`;

/**
 * The source of `generated/<version>/entry.ts`, the module behind the `<package>/<version>` entry point:
 * everything an app needs for that version in one import. Written by codegen.ts for every vendored version:
 * the version's documents (carrying their version, refused by another version's exchanges), their types,
 * `apiVersion`, the exchanges and helpers bound to it, and the runtime (store, signals, errors). Every
 * binding is a `/*#__PURE__*\/` call given only the documents it needs, so a bundler drops what an app does
 * not import.
 */
export function entrySource(version: string, entries: readonly OperationEntry[]): string {
  const operations = entries.filter((e) => e.kind !== 'fragment');
  const has = (name: string) => operations.some((e) => e.name === name);
  for (const needed of [
    'CustomerAccessTokenRenew',
    'CustomerAccessTokenCreate',
    'CustomerAccessTokenDelete',
    'CartBuyerIdentityUpdate',
  ]) {
    if (!has(needed)) throw new Error(`codegen: operations/ has no ${needed} operation; the entry point needs it.`);
  }
  const documents = operations.map((e) => {
    const value = `/*#__PURE__*/ versionDocument(${e.name}Source, apiVersion, ${documentKey(version, e.text)})`;
    const lines = [
      e.description,
      '',
      `Generated for ${version}: sending it through another version's exchanges is refused.`,
      ...(e.injected ? ['`$customerAccessToken` is optional: the customer token exchange fills it in.'] : []),
    ];
    const body = e.injected ? `/*#__PURE__*/ withInjectedToken(${value})` : value;
    return `${doc(lines)}\nexport const ${e.name}Document = ${body};`;
  });
  const types = entries.flatMap((e) =>
    e.kind === 'fragment' ? [typeName(e)] : [typeName(e), `${typeName(e)}Variables`],
  );
  return `// Generated by \`npm run codegen\` from codegen.ts and src/codegen/entry.ts. Do not edit.
// The ${version} entry point: this version's documents and types, the exchanges and helpers bound to it, and the
// runtime.
import {
${operations.map((e) => `  ${e.name}Document as ${e.name}Source,`).join('\n')}
} from './graphql.js';
import { apiVersion } from './version.js';
import {
  bindCreate,
  bindCustomerTokenExchange,
  bindDelete,
  bindRenew,
  bindStorefrontExchange,
  versionDocument,
  withInjectedToken,
} from '../../src/runtime/versionEntry.js';
import { bindKeepCartBuyerIdentity } from '../../src/runtime/cartBuyerIdentity.js';

export type {
${types.map((t) => `  ${t},`).join('\n')}
} from './graphql.js';
export * from '../../src/runtime/index.js';
export { apiVersion };

${documents.join('\n\n')}

${doc([
  `The storefront exchange bound to ${version}: every operation goes to \`/api/${version}/graphql.json\` with the`,
  'storefront token headers; transport failures (network, 5xx, 429, 430) are retried with backoff and end as',
  'data (`signalOf(result)`); the version that answered is on `storefrontInfo(result)`.',
  '',
  '@param options - `storeDomain` and exactly one of `publicAccessToken` / `privateAccessToken`; see',
  '{@link StorefrontExchangeOptions}.',
  '@returns an exchange to place after `customerTokenExchange` and before `fetchExchange`.',
  '@throws ConfigurationError naming the fix for a malformed domain, no token or both, a private token in a browser.',
  '@example',
  '```ts',
  'const client = new Client({',
  "  url: 'https://shop.example.com',",
  '  exchanges: [',
  '    customerTokenExchange({ store: memoryTokenStore() }),',
  "    storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken }),",
  '    fetchExchange,',
  '  ],',
  '});',
  '```',
])}
export const storefrontExchange = /*#__PURE__*/ bindStorefrontExchange(apiVersion);

${doc([
  `The customer token exchange bound to ${version}: fills in \`$customerAccessToken\` from the store, renews the`,
  'token in a window before `expiresAt` (one renew request however many operations wait), and signs out only',
  'on a definite answer (expired, invalid), calling `onSignInRequired`.',
  '',
  '@param options - the token `store` and callbacks; see {@link CustomerTokenExchangeOptions}.',
  '@returns an exchange to place after any cache exchange and before `storefrontExchange`.',
  '@example',
  '```ts',
  'customerTokenExchange({ store, onSignInRequired: () => redirect("/account/login") })',
  '```',
])}
export const customerTokenExchange = /*#__PURE__*/ bindCustomerTokenExchange(CustomerAccessTokenRenewDocument);

${doc([
  `Renews a token with the ${version} renew mutation. An expired token is never sent.`,
  '',
  '@returns `{ ok: true, token }` (store it), or `{ ok: false, reason }`: `expired` or `invalid` (sign in',
  'again), `unavailable` (transient: keep the current token).',
  '@example',
  '```ts',
  'const result = await renewCustomerAccessToken(client, token);',
  'if (result.ok) await store.set(result.token);',
  '```',
])}
export const renewCustomerAccessToken = /*#__PURE__*/ bindRenew(CustomerAccessTokenRenewDocument);

${doc([
  `Signs a customer in (legacy customer accounts) with the ${version} create mutation.`,
  '',
  '@returns `{ ok: true, token }`, or `{ ok: false, reason: "unidentified" | "rejected" | "unavailable" }`.',
  '@example',
  '```ts',
  'const result = await createCustomerAccessToken(client, { email, password });',
  'if (result.ok) await store.set(result.token);',
  '```',
])}
export const createCustomerAccessToken = /*#__PURE__*/ bindCreate(CustomerAccessTokenCreateDocument);

${doc([
  `Signs the customer out with the ${version} delete mutation and clears the store.`,
  '',
  '@returns `{ ok: true, server }`, or `{ ok: false, reason: "unavailable" | "store-failure" }`.',
  '@example',
  '```ts',
  'await deleteCustomerAccessToken(client, { store });',
  '```',
])}
export const deleteCustomerAccessToken = /*#__PURE__*/ bindDelete(CustomerAccessTokenDeleteDocument);

${doc([
  `Keeps a cart's buyer identity on the customer's current token, with the ${version} \`cartBuyerIdentityUpdate\`:`,
  "pass what it returns as `customerTokenExchange`'s `onTokenChange`. On sign-in and renewal it sends the new token",
  '(one update at a time, the newest token last); on sign-out it calls `onSignOut`: Shopify documents no way to',
  'take the customer off a cart, so start a new cart. Never throws; failures go to `onError`, never with the token.',
  '',
  '@param client - the client whose exchanges send it (the one the customer token exchange is in is fine).',
  '@param options - `cartId()` (read when an update goes out), `onError`, `onSignOut`, `timeoutMs`, `context`.',
  '@returns the `onTokenChange` callback.',
  '@example',
  '```ts',
  'let cartId: string | null = null;',
  'const onTokenChange = (token: Token | null) => keepCart(token); // called only once operations run',
  'const client = new Client({ url, exchanges: [customerTokenExchange({ store, onTokenChange }), storefront, fetchExchange] });',
  'const keepCart = keepCartBuyerIdentity(client, { cartId: () => cartId, onSignOut: () => (cartId = null) });',
  '```',
])}
export const keepCartBuyerIdentity = /*#__PURE__*/ bindKeepCartBuyerIdentity(CartBuyerIdentityUpdateDocument);
`;
}
