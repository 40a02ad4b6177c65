import {
  FieldsOnCorrectTypeRule,
  KnownArgumentNamesRule,
  KnownTypeNamesRule,
  NoUndefinedVariablesRule,
  NoUnusedVariablesRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  specifiedRules,
  validate,
  ValuesOfCorrectTypeRule,
  VariablesInAllowedPositionRule,
  BREAK,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';

/** An error as it goes on the wire. */
export interface FormattedError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Shopify's `extensions.code` for the graphql-js rules whose code is known. */
const CODES = new Map<ValidationRule, Record<string, unknown>>([
  [FieldsOnCorrectTypeRule, { code: 'undefinedField' }],
  [ValuesOfCorrectTypeRule, { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' }],
  [KnownArgumentNamesRule, { code: 'argumentNotAccepted' }],
  [ProvidedRequiredArgumentsRule, { code: 'missingRequiredArguments' }],
  [KnownTypeNamesRule, { code: 'undefinedType' }],
  [NoUndefinedVariablesRule, { code: 'variableNotDefined' }],
  [NoUnusedVariablesRule, { code: 'variableNotUsed' }],
  [ScalarLeafsRule, { code: 'selectionMismatch' }],
  [VariablesInAllowedPositionRule, { code: 'variableMismatch' }],
]);

const UNKNOWN_FIELD = /^Cannot query field "([^"]+)" on type "([^"]+)"/;

/** Formats a graphql-js error for the wire (no stack, no original error). */
export function formatError(error: GraphQLError, extra?: Record<string, unknown>): FormattedError {
  const out: FormattedError = { message: error.message };
  if (error.locations) out.locations = error.locations.map(({ line, column }) => ({ line, column }));
  if (error.path) out.path = [...error.path];
  const extensions = { ...error.extensions, ...extra };
  if (Object.keys(extensions).length > 0) out.extensions = extensions;
  return out;
}

/**
 * The validation errors of an invalid document, each with a Shopify-like `extensions.code`. Runs each rule on
 * its own to know which one failed (only on the error path, and cached by the caller).
 */
export function validationErrors(schema: GraphQLSchema, document: DocumentNode): FormattedError[] {
  const out: FormattedError[] = [];
  for (const rule of specifiedRules) {
    for (const error of validate(schema, document, [rule])) {
      const unknown = rule === FieldsOnCorrectTypeRule ? UNKNOWN_FIELD.exec(error.message) : null;
      let formatted: FormattedError;
      if (unknown) {
        const [, fieldName, typeName] = unknown;
        formatted = formatError(error, { code: 'undefinedField', typeName, fieldName });
        formatted.message = `Field '${fieldName}' doesn't exist on type '${typeName}'`;
      } else {
        formatted = formatError(error, CODES.get(rule) ?? { code: codeFromRuleName(rule) });
      }
      const at = error.nodes?.[0];
      const path = at ? pathTo(document, at) : undefined;
      // Shopify's key order: message, locations, path, extensions.
      if (path)
        formatted = {
          message: formatted.message,
          locations: formatted.locations,
          path,
          extensions: formatted.extensions,
        };
      out.push(formatted);
    }
  }
  return out;
}

/**
 * Where `target` sits, the way Shopify (graphql-ruby) writes a static error's `path`: the definition
 * (`"mutation CustomerAccessTokenRenew"`, `"query"`, `"fragment F"`), then field (alias), spread, argument and
 * input field names, e.g. `["mutation Renew", "customerAccessTokenRenew", "customerAccessToken"]`.
 */
export function pathTo(document: DocumentNode, target: ASTNode): string[] | undefined {
  let found: string[] | undefined;
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined;
      // `ancestors` stops above `parent`; arrays (lists of nodes) among them add nothing.
      const chain = [...ancestors, parent, node].filter((n): n is ASTNode => !!n && 'kind' in n);
      found = chain.flatMap(segment);
      return BREAK;
    },
  });
  return found;
}

function segment(node: ASTNode): string[] {
  switch (node.kind) {
    case Kind.OPERATION_DEFINITION:
      return [node.name ? `${node.operation} ${node.name.value}` : node.operation];
    case Kind.FRAGMENT_DEFINITION:
      return [`fragment ${node.name.value}`];
    case Kind.FIELD:
      return [(node.alias ?? node.name).value];
    case Kind.FRAGMENT_SPREAD:
      return [`... ${node.name.value}`];
    case Kind.INLINE_FRAGMENT:
      return [node.typeCondition ? `... on ${node.typeCondition.name.value}` : '...'];
    case Kind.ARGUMENT:
    case Kind.OBJECT_FIELD:
      return [node.name.value];
    default:
      return [];
  }
}

/** `KnownDirectivesRule` becomes `knownDirectives`: a sensible code for rules Shopify's list lacks here. */
function codeFromRuleName(rule: ValidationRule): string {
  const name = rule.name.replace(/Rule$/, '');
  return name.charAt(0).toLowerCase() + name.slice(1);
}
