import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * Builds a Storefront schema from its SDL, trusted as Shopify publishes it: the SDL is still checked (a
 * malformed snapshot fails here), but the schema is marked valid, so `validate` and `execute` never run
 * graphql-js's type-system validation on it. graphql 17 refuses every Storefront schema from 2025-10 on there
 * ("Interface field Node.id is not deprecated, so implementation field MediaPresentation.id must not be
 * deprecated"), and Shopify's schemas are what they are: documents are checked against them, not they against
 * graphql-js. Node-free: the emulator's `fetch` entry uses it too.
 */
export function buildStorefrontSchema(sdl: string): GraphQLSchema {
  return buildSchema(sdl, { assumeValid: true });
}
