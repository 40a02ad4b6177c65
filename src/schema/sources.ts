/**
 * The names `schema pull` and `renew` show in their help and read from the environment: where a schema can come
 * from, the keyless endpoints, the token variables. Kept apart from the pulling (which loads graphql), so the CLI's
 * `--help` runs without graphql installed.
 */

/** Where `schema pull` can take a schema from. */
export const SCHEMA_SOURCES = ['hydrogen', 'dev-mcp', 'public', 'store'] as const;
export type SchemaSourceName = (typeof SCHEMA_SOURCES)[number];

/** The only source of the Customer Account API's schema: it has no keyless introspection and no published package. */
export const CUSTOMER_ACCOUNT_SOURCES: readonly SchemaSourceName[] = ['dev-mcp'];

/** The environment variable that replaces the keyless endpoints (space-separated, `{version}` in each). */
export const PUBLIC_URLS_ENV = 'STOREFRONT_PUBLIC_SCHEMA_URLS';

/** The endpoints that answer Storefront introspection with no token, asked in this order. */
export const PUBLIC_SCHEMA_URLS = [
  'https://shopify.dev/storefront-graphql-direct-proxy/{version}',
  'https://mock.shop/api/{version}/graphql.json',
] as const;

/** The environment variable the CLI reads a public storefront token from. */
export const PUBLIC_TOKEN_ENV = 'SHOPIFY_STOREFRONT_TOKEN';
/** The environment variable the CLI reads a private storefront token from. */
export const PRIVATE_TOKEN_ENV = 'SHOPIFY_STOREFRONT_PRIVATE_TOKEN';
