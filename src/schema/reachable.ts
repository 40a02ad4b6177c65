import {
  getNamedType,
  isInputObjectType,
  isUnionType,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** The part of a schema that a set of operations touches. */
export interface Reachable {
  /**
   * Every named type the operations reach: field and argument types, variables, fragment conditions, and transitively
   * input object fields and union members.
   */
  types: Set<string>;
  /** The fields selected on each object or interface type (`Type` → field names). */
  fields: Map<string, Set<string>>;
  /** The directives the operations use. */
  directives: Set<string>;
}

/** An empty {@link Reachable}. */
export function emptyReachable(): Reachable {
  return { types: new Set(), fields: new Map(), directives: new Set() };
}

/**
 * Adds to `into` what `documents` reach in `schema`, walking them with `TypeInfo`. Call it once per
 * schema version with the same `into` to get the union (a field missing from one version is still
 * found in the other), then {@link expandReachable}.
 */
export function collectReachable(
  schema: GraphQLSchema,
  documents: readonly DocumentNode[],
  into: Reachable = emptyReachable(),
): Reachable {
  const addType = (name: string | undefined) => name && schema.getType(name) && into.types.add(name);
  for (const document of documents) {
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        OperationDefinition(node) {
          addType(schema.getRootType(node.operation)?.name);
        },
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field || field.name.startsWith('__')) return;
          addType(parent.name);
          const selected = into.fields.get(parent.name) ?? new Set<string>();
          into.fields.set(parent.name, selected.add(field.name));
          addType(getNamedType(field.type).name);
          // Every argument counts, given or not: one turning required breaks the operation.
          for (const arg of field.args) addType(getNamedType(arg.type).name);
        },
        VariableDefinition(node) {
          const type = typeFromAST(schema, node.type);
          if (type) addType(getNamedType(type).name);
        },
        InlineFragment(node) {
          addType(node.typeCondition?.name.value);
        },
        FragmentDefinition(node) {
          addType(node.typeCondition.name.value);
        },
        Directive() {
          const directive = typeInfo.getDirective();
          if (!directive) return;
          into.directives.add(directive.name);
          for (const arg of directive.args) addType(getNamedType(arg.type).name);
        },
      }),
    );
  }
  return into;
}

/**
 * Grows `reachable` to a fixpoint over every given schema: the fields of reachable input objects
 * (an operation can send any of them) and the members of reachable unions.
 */
export function expandReachable(reachable: Reachable, schemas: readonly GraphQLSchema[]): Reachable {
  let grew = true;
  while (grew) {
    grew = false;
    for (const schema of schemas) {
      for (const name of [...reachable.types]) {
        const type = schema.getType(name);
        const next = isInputObjectType(type)
          ? Object.values(type.getFields()).map((f) => getNamedType(f.type).name)
          : isUnionType(type)
            ? type.getTypes().map((t) => t.name)
            : [];
        for (const candidate of next) {
          if (!reachable.types.has(candidate) && schema.getType(candidate)) {
            reachable.types.add(candidate);
            grew = true;
          }
        }
      }
    }
  }
  return reachable;
}

/** `Type.field` coordinates of every selected field, sorted. */
export function fieldCoordinates(reachable: Reachable): string[] {
  return [...reachable.fields].flatMap(([type, fields]) => [...fields].map((f) => `${type}.${f}`)).sort();
}
