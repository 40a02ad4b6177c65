import { ApiType, pluckConfig, shopifyApiTypes } from '@shopify/api-codegen-preset';
import { vendoredVersions } from './versions.js';

/**
 * `@shopify/api-codegen-preset` generating every vendored version in one process, as its README
 * sets it up (`shopifyApiTypes` per version), from this repo's operations. Its schema file
 * (`storefront-<version>.schema.json`) is already in each output folder, so it runs offline.
 */
const generates = Object.assign(
  {},
  ...vendoredVersions('.').map((apiVersion) =>
    shopifyApiTypes({
      apiType: ApiType.Storefront,
      apiVersion,
      outputDir: `out/shopify/${apiVersion}`,
      documents: ['operations/**/*.graphql'],
    }),
  ),
);

export default { overwrite: true, silent: true, pluckConfig, generates };
