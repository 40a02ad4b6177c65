import { createHash } from 'node:crypto';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';

/** An introspection result plus where it came from (never containing a token). */
export interface PulledSchema {
  introspection: IntrospectionQuery;
  /** e.g. `@shopify/hydrogen-react@2026.4.4 storefront.schema.json (SFAPI_VERSION 2026-04)`, or a URL. */
  source: string;
  /** The sha256 (hex) of the bytes read: the file as the package ships it, or the response body. */
  sha256: string;
  /** Set when the schema is a documented subset: what it leaves out. */
  subset?: string;
}

/** The hex sha256 of what a source read. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The introspection query used for live pulls: descriptions, deprecated input fields and `isOneOf` included. */
export const INTROSPECTION_QUERY = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** Reads `{ data: { __schema } }` or a bare `{ __schema }`; `undefined` when neither. */
export function introspectionOf(parsed: unknown): IntrospectionQuery | undefined {
  const value = parsed as { data?: IntrospectionQuery; __schema?: unknown } | null;
  if (value?.data?.__schema) return value.data;
  if (value?.__schema) return value as IntrospectionQuery;
  return undefined;
}
