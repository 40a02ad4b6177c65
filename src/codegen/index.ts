/**
 * `storefront-customer-session/codegen`: a graphql-codegen config for an app's own operations, version-bound
 * like the package's, for teams who run graphql-codegen (5, 6 or 7) themselves. The CLI's `codegen` command
 * runs the same config.
 *
 * @packageDocumentation
 */
export {
  storefrontCodegen,
  type StorefrontCodegenConfig,
  type StorefrontCodegenOptions,
  type StorefrontCodegenOutput,
} from './storefrontCodegen.js';
export { plugin, type AppDocumentsConfig } from './appDocuments.js';
export type { SchemaApi } from '../tooling/apis.js';
