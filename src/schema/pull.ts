import { pullLiveSchema } from './live.js';
import { pullPublishedSchema, type PublishedOptions } from './published.js';
import { snapshotText, writeSnapshot } from './snapshot.js';

export { INTROSPECTION_QUERY, type PulledSchema } from './introspection.js';
export { pullLiveSchema, PUBLIC_TOKEN_ENV, PRIVATE_TOKEN_ENV, type LiveOptions } from './live.js';
export { pullPublishedSchema, publishedApiVersions, publishedRange, PUBLISHED_PACKAGE, type PublishedOptions } from './published.js';

/** Options of {@link pullSchema}. */
export interface PullOptions {
  /** The API version, e.g. `2026-04`. */
  version: string;
  /** The folder that holds the snapshots, e.g. `schema`. */
  outDir: string;
  /** Introspect this store live; without it, the schema Shopify publishes on npm is used. */
  storeDomain?: string;
  /** For a live pull: a public storefront token. */
  publicAccessToken?: string;
  /** For a live pull: a private storefront token. */
  privateAccessToken?: string;
  /** For a live pull: the fetch used. */
  fetch?: typeof fetch;
  /** For a published pull: where the package comes from. */
  published?: PublishedOptions;
}

/**
 * Pulls one version's schema (live from a store, or the published one) and writes it as
 * `<outDir>/<version>.graphql`. The existing snapshot is replaced only once the new one is complete:
 * a pull that fails at any step leaves it as it was.
 *
 * @returns the written path and where the schema came from.
 */
export async function pullSchema(options: PullOptions): Promise<{ path: string; source: string }> {
  const pulled = options.storeDomain
    ? await pullLiveSchema({
        storeDomain: options.storeDomain,
        version: options.version,
        publicAccessToken: options.publicAccessToken,
        privateAccessToken: options.privateAccessToken,
        fetch: options.fetch,
      })
    : await pullPublishedSchema(options.version, options.published);
  const text = snapshotText(options.version, pulled.introspection, { description: pulled.source });
  const path = await writeSnapshot(options.outDir, options.version, text);
  return { path, source: pulled.source };
}
