import {
  getNamedType,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  isUnionType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { BoundedCache } from './boundedCache.js';
import { depthOf, MAX_NESTING, nestingOf } from './depth.js';
import { inlineIncremental } from './execution.js';
import { type FormattedError, formatError, validationErrors } from './validation.js';

/**
 * A parsed request document with its field depth, or the syntax errors that stopped it, or (for a text nested
 * too deep to parse safely) only its bracket nesting as `depth`. Cached by query text.
 */
export type Parsed =
  | { document: DocumentNode; depth: number; errors?: undefined }
  | { document?: undefined; depth?: number; errors: FormattedError[] }
  | { document?: undefined; depth: number; errors?: undefined };

/** What the emulator knows about a document once validated against one schema. Cached. */
export interface Prepared {
  errors: FormattedError[] | undefined;
  /** What to execute: the document, with `@defer` and `@stream` taken out (see `inlineIncremental`). */
  document: DocumentNode;
  /** Whether the document selects a deprecated field, argument or enum value. */
  deprecated: boolean;
  /** `requestedQueryCost` per operation name (`''` for an anonymous operation). */
  costs: Map<string, number>;
}

const MAX_CACHED = 2000;

/**
 * What a parsed document costs per character of its text, over-estimated: graphql-js's AST measured 110 to 240
 * bytes per character (a 1 MB query holds 100 to 240 MB).
 */
export const AST_BYTES_PER_CHAR = 256;

/** The estimated bytes each of the two document caches may hold; a query over 256 K characters is not cached. */
export const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

/** The costs observed on a live store for the token mutations, whatever their selection. */
const OBSERVED_COSTS = new Map([
  ['customerAccessTokenCreate', 13],
  ['customerAccessTokenRenew', 12],
  ['customerAccessTokenDelete', 11],
]);
const parsed = new BoundedCache<string, Parsed>(MAX_CACHED, DOCUMENT_CACHE_BYTES);
/** Per document, what each schema made of it; an entry keeps its document alive, so it weighs the AST too. */
const prepared = new BoundedCache<DocumentNode, { bySchema: WeakMap<GraphQLSchema, Prepared>; bytes: number }>(
  MAX_CACHED,
  DOCUMENT_CACHE_BYTES,
);

/** The caches' state, for tests. */
export function documentCaches(): {
  parsed: BoundedCache<string, Parsed>;
  prepared: BoundedCache<DocumentNode, unknown>;
} {
  return { parsed, prepared };
}

/** Parses `query` once per distinct text; a text nested past {@link MAX_NESTING} is measured, never parsed. */
export function parseQuery(query: string): Parsed {
  let entry = parsed.get(query);
  if (!entry) {
    const nesting = nestingOf(query);
    try {
      if (nesting > MAX_NESTING) entry = { depth: nesting };
      else {
        const document = parse(query);
        entry = { document, depth: depthOf(document) };
      }
    } catch (error) {
      entry = { errors: [formatError(error as GraphQLError)] };
    }
    parsed.set(query, entry, query.length * AST_BYTES_PER_CHAR);
  }
  return entry;
}

/** A GraphQL POST body as JSON, loosely: each field is checked where it is used. */
export type GraphQLBody = { query?: unknown; variables?: unknown; operationName?: unknown };

/**
 * Reads a GraphQL POST body (already text): the JSON (`undefined` when it is not JSON), its query parsed (cached),
 * and the operation name the request runs. Shared by the Storefront and Customer Account endpoints.
 */
export function readGraphQLBody(raw: string): {
  body: GraphQLBody | undefined;
  parsed: Parsed | undefined;
  operationName: string | undefined;
} {
  let body: GraphQLBody | undefined;
  try {
    body = JSON.parse(raw) as GraphQLBody;
  } catch {
    body = undefined;
  }
  const query = typeof body?.query === 'string' ? body.query : undefined;
  const parsed = query === undefined ? undefined : parseQuery(query);
  return { body, parsed, operationName: operationNameOf(parsed?.document, body?.operationName) };
}

/** The operation name a request runs: the body's, else the document's only operation's. */
export function operationNameOf(document: DocumentNode | undefined, fromBody: unknown): string | undefined {
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  const operations = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? (operations[0] as OperationDefinitionNode).name?.value : undefined;
}

/** Validates and analyses `document` against `schema`, once per (schema, document). */
export function prepare(schema: GraphQLSchema, document: DocumentNode): Prepared {
  const cached = prepared.get(document);
  let entry = cached?.bySchema.get(schema);
  if (!entry) {
    const errors = validate(schema, document);
    entry =
      errors.length > 0
        ? { errors: validationErrors(schema, document), document, deprecated: false, costs: new Map() }
        : {
            errors: undefined,
            document: inlineIncremental(document),
            deprecated: touchesDeprecated(schema, document),
            costs: costsOf(schema, document),
          };
    const bySchema = cached?.bySchema ?? new WeakMap<GraphQLSchema, Prepared>();
    bySchema.set(schema, entry);
    // The errors are what can outweigh the AST: each message quotes the names it is about.
    const bytes =
      (cached?.bytes ?? (document.loc?.end ?? 0) * AST_BYTES_PER_CHAR) +
      (entry.errors ? JSON.stringify(entry.errors).length * 2 : 0);
    prepared.set(document, { bySchema, bytes }, bytes);
  }
  return entry;
}

function touchesDeprecated(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: () => void (found ||= typeInfo.getFieldDef()?.deprecationReason != null),
      Argument: () => void (found ||= typeInfo.getArgument()?.deprecationReason != null),
      EnumValue: () => void (found ||= typeInfo.getEnumValue()?.deprecationReason != null),
    }),
  );
  return found;
}

/**
 * Shopify's requested cost, approximated: the observed 13 / 12 / 11 for the create / renew / delete
 * mutation fields; otherwise 10 per mutation field, 1 per object (or list of objects) selected, 0 for scalars
 * and enums (which also gives 13 / 12 / 11 for the observed selections).
 */
function costsOf(schema: GraphQLSchema, document: DocumentNode): Map<string, number> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const costs = new Map<string, number>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const root =
      d.operation === 'mutation'
        ? schema.getMutationType()
        : d.operation === 'query'
          ? schema.getQueryType()
          : schema.getSubscriptionType();
    const perRootField = d.operation === 'mutation' ? 10 : undefined;
    costs.set(
      d.name?.value ?? '',
      root ? selectionCost(schema, root.name, d.selectionSet, fragments, perRootField) : 0,
    );
  }
  return costs;
}

function selectionCost(
  schema: GraphQLSchema,
  typeName: string,
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  fieldCost?: number,
): number {
  const parent = schema.getType(typeName);
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const observed = fieldCost === undefined ? undefined : OBSERVED_COSTS.get(field.name);
      if (observed !== undefined) {
        total += observed;
        continue;
      }
      const named = getNamedType(field.type);
      const own = fieldCost ?? (isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? 1 : 0);
      total += own + selectionCost(schema, named.name, selection.selectionSet, fragments);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += selectionCost(
        schema,
        selection.typeCondition?.name.value ?? typeName,
        selection.selectionSet,
        fragments,
        fieldCost,
      );
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment)
        total += selectionCost(schema, fragment.typeCondition.name.value, fragment.selectionSet, fragments, fieldCost);
    }
  }
  return total;
}
