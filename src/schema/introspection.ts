import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';

/** An introspection result plus a line saying where it came from (never containing a token). */
export interface PulledSchema {
  introspection: IntrospectionQuery;
  /** e.g. `@shopify/hydrogen-react@2026.4.4 storefront.schema.json (SFAPI_VERSION 2026-04)`. */
  source: string;
}

/** The introspection query used for live pulls: descriptions, deprecated input fields and `isOneOf` included. */
export const INTROSPECTION_QUERY = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  inputValueDeprecation: true,
  oneOf: true,
});
