import { apiLayout, parseApi, SCHEMA_APIS, type SchemaApi } from '../tooling/apis.js';
import type { OptionSpec } from './command.js';

/** `--api`, the same in `schema pull`, `schema check`, `schema diff` and `codegen`: which API's schemas to use. */
export const API_OPTION = {
  type: 'string',
  placeholder: '<name>',
  description:
    `${SCHEMA_APIS.join(' or ')} (default: storefront); the Customer Account API's snapshots live in the ` +
    `${apiLayout('customer-account').subfolder}/ sub-folder of the schema folder`,
} as const satisfies OptionSpec;

/** `--api` from a parsed command line, checked. */
export function apiOf(options: Record<string, string | boolean | undefined>): SchemaApi {
  return parseApi(options['api']);
}
