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

/** The costs observed on a live store for the token mutations, whatever their selection. */
const OBSERVED_COSTS = new Map([
  ['customerAccessTokenCreate', 13],
  ['customerAccessTokenRenew', 12],
  ['customerAccessTokenDelete', 11],
]);
const parsed = new Map<string, Parsed>();
const prepared = new WeakMap<GraphQLSchema, Map<DocumentNode, Prepared>>();

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
    remember(parsed, query, entry);
  }
  return entry;
}

/** The operation name a request runs: the body's, else the document's only operation's. */
export function operationNameOf(document: DocumentNode | undefined, fromBody: unknown): string | undefined {
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  const operations = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? (operations[0] as OperationDefinitionNode).name?.value : undefined;
}

/** Validates and analyses `document` against `schema`, once per (schema, document). */
export function prepare(schema: GraphQLSchema, document: DocumentNode): Prepared {
  let bySchema = prepared.get(schema);
  if (!bySchema) prepared.set(schema, (bySchema = new Map()));
  let entry = bySchema.get(document);
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
    remember(bySchema, document, entry);
  }
  return entry;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
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
