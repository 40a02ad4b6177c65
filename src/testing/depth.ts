import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { FormattedError } from './validation.js';

/**
 * The selection depth Shopify allows by default. A third-party report (Storefront API 2024-07, a Hydrogen cart
 * query) quotes "Query has a depth of 18, which exceeds the max depth of 17"; the `extensions.code` is ours.
 */
export const DEFAULT_MAX_DEPTH = 17;

/** Bracket nesting past this is refused before parsing: graphql-js parses recursively and would overflow. */
export const MAX_NESTING = 200;

/** The error Shopify answers (HTTP 200, no `data`) for a query deeper than its limit. */
export function depthError(depth: number, maxDepth: number): FormattedError {
  return {
    message: `Query has a depth of ${depth}, which exceeds the max depth of ${maxDepth}`,
    extensions: { code: 'MAX_DEPTH_EXCEEDED', depth, maxDepth },
  };
}

/** The deepest nesting of `{`, `[` and `(` in a query text, outside strings and comments; one pass, no recursion. */
export function nestingOf(query: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < query.length; i += 1) {
    const c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i += 1;
    } else if (c === '"' && query.startsWith('"""', i)) {
      let end = query.indexOf('"""', i + 3);
      while (end > 0 && query[end - 1] === '\\') end = query.indexOf('"""', end + 3);
      i = end < 0 ? query.length : end + 2;
    } else if (c === '"') {
      for (i += 1; i < query.length && query[i] !== '"' && query[i] !== '\n'; i += 1) if (query[i] === '\\') i += 1;
    } else if (c === '{' || c === '[' || c === '(') {
      depth += 1;
      if (depth > max) max = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth -= 1;
    }
  }
  return max;
}

interface Definition {
  /** The deepest field of the definition's own selections (root fields are depth 1). */
  own: number;
  /** Each fragment spread, with the field depth it sits at. */
  spreads: [name: string, at: number][];
}

function scan(set: SelectionSetNode): Definition {
  const out: Definition = { own: 0, spreads: [] };
  const stack: [SelectionSetNode, number][] = [[set, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [selections, depth] = next;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        out.own = Math.max(out.own, depth + 1);
        if (selection.selectionSet) stack.push([selection.selectionSet, depth + 1]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        stack.push([selection.selectionSet, depth]);
      } else {
        out.spreads.push([selection.name.value, depth]);
      }
    }
  }
  return out;
}

/**
 * The field depth of the deepest operation in `document`, fragments followed (a fragment cycle counts once; the
 * validator refuses it). Iterative, so a deep document cannot overflow the stack.
 */
export function depthOf(document: DocumentNode): number {
  const definitions = new Map<string, Definition>();
  const operations: string[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) definitions.set(`fragment ${d.name.value}`, scan(d.selectionSet));
    else if (d.kind === Kind.OPERATION_DEFINITION) {
      const key = `operation ${operations.length}`;
      definitions.set(key, scan(d.selectionSet));
      operations.push(key);
    }
  }
  const memo = new Map<string, number>();
  const resolve = (start: string): number => {
    const stack = [start];
    const open = new Set(stack);
    while (stack.length > 0) {
      const key = stack[stack.length - 1]!;
      const entry = definitions.get(key);
      const child = entry?.spreads.map(([name]) => `fragment ${name}`).find((k) => !memo.has(k) && !open.has(k));
      if (child) {
        stack.push(child);
        open.add(child);
        continue;
      }
      let depth = entry?.own ?? 0;
      for (const [name, at] of entry?.spreads ?? []) depth = Math.max(depth, at + (memo.get(`fragment ${name}`) ?? 0));
      memo.set(key, depth);
      stack.pop();
      open.delete(key);
    }
    return memo.get(start)!;
  };
  return Math.max(0, ...operations.map(resolve));
}
