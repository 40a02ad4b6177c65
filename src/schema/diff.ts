import {
  buildASTSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { collectReachable, emptyReachable, expandReachable, fieldCoordinates, type Reachable } from './reachable.js';

/** How a change affects the operations: breaking ones stop them working, dangerous ones may change what they get. */
export type ChangeSeverity = 'breaking' | 'dangerous' | 'safe';

/** One change between two versions that touches what the operations reach. */
export interface SchemaChange {
  severity: ChangeSeverity;
  /**
   * graphql's change type (`FIELD_REMOVED`, `VALUE_ADDED_TO_ENUM`, …) or ours: `FIELD_ADDED`, `DEPRECATION_ADDED`,
   * `DEPRECATION_REMOVED`.
   */
  type: string;
  description: string;
  /** The operations it affects: those that reach the type (or select the field) it names. */
  operations: string[];
}

/** The result of {@link diffReachable}. */
export interface SchemaDiff {
  from: string;
  to: string;
  /** What the operations reach in either version. */
  reachable: { types: string[]; fields: string[] };
  /** Breaking first, then dangerous, then safe; sorted by description within each. */
  changes: SchemaChange[];
}

const ORDER: Record<ChangeSeverity, number> = { breaking: 0, dangerous: 1, safe: 2 };

/**
 * The changes from `from` to `to` that touch the types, fields, arguments, input types and enums
 * the `operations` reach. Breaking and dangerous changes are graphql's own (`findBreakingChanges`,
 * `findDangerousChanges`) run on both schemas cut down to the reachable part; safe additions (new
 * fields on a reachable type other than a root type) and deprecations are computed here.
 *
 * @param operations - the documents to follow (each operation with its fragments).
 */
export function diffReachable(
  from: { version: string; schema: GraphQLSchema },
  to: { version: string; schema: GraphQLSchema },
  operations: readonly DocumentNode[],
): SchemaDiff {
  const reachable = emptyReachable();
  collectReachable(from.schema, operations, reachable);
  collectReachable(to.schema, operations, reachable);
  expandReachable(reachable, [from.schema, to.schema]);
  const before = prune(from.schema, reachable);
  const after = prune(to.schema, reachable);
  const found: Array<Omit<SchemaChange, 'operations'>> = [
    ...findBreakingChanges(before, after).map((c) => ({
      severity: 'breaking' as const,
      type: c.type,
      description: c.description,
    })),
    ...findDangerousChanges(before, after).map((c) => ({
      severity: 'dangerous' as const,
      type: c.type,
      description: c.description,
    })),
    ...additionsAndDeprecations(from.schema, to.schema, reachable),
  ];
  const perOperation = operations.map((document) => {
    const own = emptyReachable();
    collectReachable(from.schema, [document], own);
    collectReachable(to.schema, [document], own);
    expandReachable(own, [from.schema, to.schema]);
    const name = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)?.name?.value;
    return { name: name ?? '(anonymous)', reachable: own };
  });
  const changes = found.map((c) => ({ ...c, operations: affectedOperations(c.description, perOperation) }));
  changes.sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.description.localeCompare(b.description));
  return {
    from: from.version,
    to: to.version,
    reachable: { types: [...reachable.types].sort(), fields: fieldCoordinates(reachable) },
    changes,
  };
}

/**
 * The operations a change description concerns: with a `Type.field` coordinate in it, those that select that field
 * (or reach that input or enum type), else (a field added) those that reach the type; without one, those that reach
 * any type it names.
 */
function affectedOperations(
  description: string,
  perOperation: Array<{ name: string; reachable: Reachable }>,
): string[] {
  const coordinates = [...description.matchAll(/\b([A-Za-z_]\w*)\.(\w+)\b/g)].map((m) => [m[1]!, m[2]!] as const);
  const names = [...description.matchAll(/\b[A-Za-z_]\w*\b/g)].map((m) => m[0]);
  const pick = (test: (r: Reachable) => boolean) =>
    perOperation
      .filter((o) => test(o.reachable))
      .map((o) => o.name)
      .sort();
  if (coordinates.length === 0) return pick(({ types }) => names.some((name) => types.has(name)));
  const exact = pick(({ types, fields }) =>
    coordinates.some(([type, field]) => fields.get(type)?.has(field) || (types.has(type) && !fields.has(type))),
  );
  return exact.length > 0 ? exact : pick(({ types }) => coordinates.some(([type]) => types.has(type)));
}

/**
 * `schema` cut down to what is reachable: reachable types only, object and interface types with
 * only their selected fields (and all of those fields' arguments), used directives only.
 */
function prune(schema: GraphQLSchema, reachable: Reachable): GraphQLSchema {
  const definitions: DefinitionNode[] = [];
  if (schema.astNode) {
    const operationTypes = schema.astNode.operationTypes.filter((t) => reachable.types.has(t.type.name.value));
    definitions.push({ ...schema.astNode, operationTypes });
  }
  for (const name of reachable.types) {
    const node = schema.getType(name)?.astNode;
    if (!node) continue; // a built-in scalar
    if (node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      const selected = reachable.fields.get(name) ?? new Set<string>();
      definitions.push({
        ...node,
        fields: node.fields?.filter((f) => selected.has(f.name.value)),
        interfaces: node.interfaces?.filter((i) => reachable.types.has(i.name.value)),
      });
    } else {
      definitions.push(node);
    }
  }
  for (const name of reachable.directives) {
    const node = schema.getDirective(name)?.astNode;
    if (node) definitions.push(node);
  }
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions }, { assumeValid: true, assumeValidSDL: true });
}

/** New fields on reachable object and interface types, and deprecations added or lifted on what the operations use. */
function additionsAndDeprecations(
  from: GraphQLSchema,
  to: GraphQLSchema,
  reachable: Reachable,
): Array<Omit<SchemaChange, 'operations'>> {
  const changes: Array<Omit<SchemaChange, 'operations'>> = [];
  const deprecation = (
    where: string,
    was: { deprecationReason?: string | null } | undefined,
    now: { deprecationReason?: string | null } | undefined,
  ) => {
    if (!was || !now) return;
    if (!was.deprecationReason && now.deprecationReason) {
      changes.push({
        severity: 'dangerous',
        type: 'DEPRECATION_ADDED',
        description: `${where} is deprecated: ${now.deprecationReason}`,
      });
    } else if (was.deprecationReason && !now.deprecationReason) {
      changes.push({ severity: 'safe', type: 'DEPRECATION_REMOVED', description: `${where} is no longer deprecated.` });
    }
  };
  // New root fields are new entry points, not changes to what the operations reach.
  const roots = new Set(
    [from, to].flatMap((s) => [s.getQueryType(), s.getMutationType(), s.getSubscriptionType()]).map((t) => t?.name),
  );
  for (const name of reachable.types) {
    const before = from.getType(name);
    const after = to.getType(name);
    if ((isObjectType(before) || isInterfaceType(before)) && (isObjectType(after) || isInterfaceType(after))) {
      const oldFields = before.getFields();
      const newFields = after.getFields();
      for (const field of roots.has(name) ? [] : Object.keys(newFields)) {
        if (!oldFields[field])
          changes.push({ severity: 'safe', type: 'FIELD_ADDED', description: `${name}.${field} was added.` });
      }
      for (const field of reachable.fields.get(name) ?? []) {
        const was = oldFields[field];
        const now = newFields[field];
        deprecation(`${name}.${field}`, was, now);
        if (was && now && (was.description ?? '') !== (now.description ?? '')) {
          const text = (now.description ?? '').split('\n')[0]!.slice(0, 80);
          changes.push({
            severity: 'safe',
            type: 'DESCRIPTION_CHANGED',
            description: `${name}.${field} has a new description: "${text}".`,
          });
        }
        for (const arg of was?.args ?? [])
          deprecation(
            `${name}.${field}(${arg.name}:)`,
            arg,
            now?.args.find((a) => a.name === arg.name),
          );
      }
    } else if (isInputObjectType(before) && isInputObjectType(after)) {
      const newFields = after.getFields();
      for (const field of Object.values(before.getFields()))
        deprecation(`${name}.${field.name}`, field, newFields[field.name]);
    } else if (isEnumType(before) && isEnumType(after)) {
      for (const value of before.getValues())
        deprecation(`${name}.${value.name}`, value, after.getValue(value.name) ?? undefined);
    }
  }
  return changes;
}
