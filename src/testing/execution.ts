import { execute, GraphQLSchema, visit, type DirectiveNode, type DocumentNode, type ExecutionArgs } from 'graphql';

/**
 * `@defer` and `@stream`: Storefront schemas declare `@defer` (a developer preview), and the emulator answers a
 * document that uses it in one payload, with the deferred fragment inline.
 */
const INCREMENTAL = new Set(['defer', 'stream']);

const executable = new WeakMap<GraphQLSchema, GraphQLSchema>();

/**
 * `schema` without the incremental directives, for execution only (validation keeps the full schema, so a document
 * may use them). graphql 17's `execute` refuses a schema that declares them; graphql 16 ignores them. The copy
 * shares every type with `schema` and is trusted like it.
 */
function withoutIncremental(schema: GraphQLSchema): GraphQLSchema {
  let copy = executable.get(schema);
  if (!copy) {
    const directives = schema.getDirectives();
    copy = directives.some((d) => INCREMENTAL.has(d.name))
      ? new GraphQLSchema({
          ...schema.toConfig(),
          directives: directives.filter((d) => !INCREMENTAL.has(d.name)),
          assumeValid: true,
        })
      : schema;
    executable.set(schema, copy);
  }
  return copy;
}

/** `document` without `@defer` and `@stream` (the same object when it uses neither). */
export function inlineIncremental(document: DocumentNode): DocumentNode {
  let found = false;
  visit(document, { Directive: (node) => void (found ||= INCREMENTAL.has(node.name.value)) });
  if (!found) return document;
  return visit(document, { Directive: (node: DirectiveNode) => (INCREMENTAL.has(node.name.value) ? null : undefined) });
}

/**
 * Executes a validated document the same way on graphql 16 and 17: against the schema without the incremental
 * directives, with `document` already passed through {@link inlineIncremental}, so every answer is one payload.
 */
export function executeInline(args: ExecutionArgs): ReturnType<typeof execute> {
  return execute({ ...args, schema: withoutIncremental(args.schema) });
}
