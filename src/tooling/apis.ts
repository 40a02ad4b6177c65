import { join } from 'node:path';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';

/**
 * The two Shopify GraphQL APIs the package compiles documents for: the Storefront API (legacy customer accounts)
 * and the Customer Account API (its OAuth successor). Each has its own schemas, operations, generated entry points
 * and emulator endpoint; the tools (`schema pull/check/diff`, `codegen`) take `--api` to pick one, the Storefront
 * by default.
 */
export const SCHEMA_APIS = ['storefront', 'customer-account'] as const;
export type SchemaApi = (typeof SCHEMA_APIS)[number];

/** The API every tool uses unless told otherwise. */
export const DEFAULT_API: SchemaApi = 'storefront';

/** Where one API's files live and what it is called, relative to the folders the tools already know. */
export interface ApiLayout {
  api: SchemaApi;
  /** How messages and snapshot headers name it: `Storefront`, `Customer Account`. */
  title: string;
  /**
   * The sub-folder of a schema folder (`schema/`, `--schema-dir`, `--out`) and of a generated folder that holds this
   * API's `<version>.graphql` snapshots and `<version>/` outputs: `''` for the Storefront, `customer-account` for the
   * Customer Account API. One rule, so a Customer Account pull can never overwrite a Storefront snapshot.
   */
  subfolder: string;
  /** The package's own operations folder (read recursively, so the two are siblings, never nested). */
  operationsDir: string;
  /** The `@shopify/dev-mcp` file name prefix: `dist/data/<prefix>_<version>.json.gz`. */
  devMcpPrefix: string;
}

const LAYOUTS: Record<SchemaApi, ApiLayout> = {
  storefront: {
    api: 'storefront',
    title: 'Storefront',
    subfolder: '',
    operationsDir: 'operations',
    devMcpPrefix: 'storefront-graphql',
  },
  'customer-account': {
    api: 'customer-account',
    title: 'Customer Account',
    subfolder: 'customer-account',
    operationsDir: 'operations-customer-account',
    devMcpPrefix: 'customer',
  },
};

/** The layout of `api`. */
export function apiLayout(api: SchemaApi = DEFAULT_API): ApiLayout {
  return LAYOUTS[api];
}

/**
 * `--api` checked: `storefront` (also when absent) or `customer-account`.
 *
 * @throws ConfigurationError naming the allowed values.
 */
export function parseApi(value: unknown): SchemaApi {
  if (value === undefined) return DEFAULT_API;
  if ((SCHEMA_APIS as readonly unknown[]).includes(value)) return value as SchemaApi;
  throw new ConfigurationError(invalidMessage('--api', value, `Expected ${SCHEMA_APIS.join(' or ')}.`));
}

/**
 * The folder of `api` inside a schema or generated folder `dir`: `dir` itself for the Storefront,
 * `dir/customer-account` for the Customer Account API.
 */
export function apiFolder(dir: string, api: SchemaApi = DEFAULT_API): string {
  const { subfolder } = apiLayout(api);
  return subfolder ? join(dir, subfolder) : dir;
}
