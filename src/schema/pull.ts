import { ConfigurationError, invalidMessage, LIBRARY } from '../runtime/errors.js';
import { apiLayout, apiFolder, DEFAULT_API, type SchemaApi } from '../tooling/apis.js';
import { pullDevMcpSchema, type DevMcpOptions } from './devMcp.js';
import type { PulledSchema } from './introspection.js';
import { pullLiveSchema } from './live.js';
import { pullPublicSchema, type PublicOptions } from './public.js';
import { pullPublishedSchema, type PublishedOptions } from './published.js';
import { snapshotText, writeSnapshot } from './snapshot.js';
import { CUSTOMER_ACCOUNT_SOURCES, SCHEMA_SOURCES, type SchemaSourceName } from './sources.js';

export { INTROSPECTION_QUERY, type PulledSchema } from './introspection.js';
export { pullLiveSchema, PUBLIC_TOKEN_ENV, PRIVATE_TOKEN_ENV, type LiveOptions } from './live.js';
export {
  pullPublishedSchema,
  publishedApiVersions,
  publishedRange,
  PUBLISHED_PACKAGE,
  type PublishedOptions,
} from './published.js';

export { CUSTOMER_ACCOUNT_SOURCES, SCHEMA_SOURCES, type SchemaSourceName } from './sources.js';

/**
 * The order tried without `--source`, most complete first: a store's own answer; the full published schema
 * (pinned in a package, so a re-pull is reproducible); the full public one (live); the documented subset last.
 */
export function sourceOrder(hasStore: boolean): SchemaSourceName[] {
  return hasStore ? ['store'] : ['hydrogen', 'public', 'dev-mcp'];
}

/** Options of {@link pullSchema}. */
export interface PullOptions {
  /** The API version, e.g. `2026-04`. */
  version: string;
  /** Which API's schema: the Storefront's, or the Customer Account API's (from dev-mcp only). @defaultValue `storefront` */
  api?: SchemaApi;
  /**
   * The folder that holds the snapshots, e.g. `schema`; a Customer Account snapshot goes to its `customer-account/`
   * sub-folder, so it can never replace a Storefront one.
   */
  outDir: string;
  /** One source; without it, {@link sourceOrder} is tried until one has the version. */
  source?: SchemaSourceName;
  /** For the store source: the store, and one token. */
  storeDomain?: string;
  publicAccessToken?: string;
  privateAccessToken?: string;
  /** For the store and public sources: the fetch used. */
  fetch?: typeof fetch;
  /** For the hydrogen source. */
  published?: PublishedOptions;
  /** For the dev-mcp source. */
  devMcp?: DevMcpOptions;
  /** For the public source. */
  public?: Omit<PublicOptions, 'fetch'>;
  /** The date written in the header. @defaultValue `Date.now()` */
  now?: number;
}

function pullFrom(source: SchemaSourceName, options: PullOptions): Promise<PulledSchema> {
  switch (source) {
    case 'store':
      return pullLiveSchema({
        storeDomain: options.storeDomain ?? '',
        version: options.version,
        publicAccessToken: options.publicAccessToken,
        privateAccessToken: options.privateAccessToken,
        fetch: options.fetch,
      });
    case 'hydrogen':
      return pullPublishedSchema(options.version, options.published);
    case 'dev-mcp':
      return pullDevMcpSchema(options.version, { ...options.devMcp, api: options.api ?? DEFAULT_API });
    case 'public':
      return pullPublicSchema(options.version, { ...options.public, fetch: options.fetch });
  }
}

/**
 * Pulls one version's schema and writes it as `<outDir>/<version>.graphql`, with a header naming the source, the
 * date, the sha256 of what was read and whether it is the documented subset. The existing snapshot is replaced only
 * once the new one is complete: a pull that fails at any step leaves it as it was.
 *
 * @returns the written path, the source used, and what each source tried before it said.
 * @throws Error naming each source tried and what it said, when none has the version.
 */
export async function pullSchema(
  options: PullOptions,
): Promise<{ path: string; source: SchemaSourceName; description: string; subset: boolean; skipped: string[] }> {
  if (options.source !== undefined && !(SCHEMA_SOURCES as readonly string[]).includes(options.source)) {
    throw new ConfigurationError(invalidMessage('--source', options.source, `Expected ${SCHEMA_SOURCES.join(', ')}.`));
  }
  const api = options.api ?? DEFAULT_API;
  if (
    api === 'customer-account' &&
    options.source !== undefined &&
    !CUSTOMER_ACCOUNT_SOURCES.includes(options.source)
  ) {
    throw new ConfigurationError(
      invalidMessage(
        '--source',
        options.source,
        `The Customer Account API's schema comes only from ${CUSTOMER_ACCOUNT_SOURCES.join(', ')}.`,
      ),
    );
  }
  const order = options.source
    ? [options.source]
    : api === 'customer-account'
      ? [...CUSTOMER_ACCOUNT_SOURCES]
      : sourceOrder(options.storeDomain !== undefined);
  const skipped: string[] = [];
  for (const source of order) {
    let pulled: PulledSchema;
    try {
      pulled = await pullFrom(source, options);
    } catch (error) {
      if (error instanceof ConfigurationError && order.length === 1) throw error;
      skipped.push(`${source}: ${(error as Error).message.replace(`${LIBRARY}: `, '')}`);
      continue;
    }
    const text = snapshotText(
      options.version,
      pulled.introspection,
      {
        kind: source,
        description: pulled.source,
        sha256: pulled.sha256,
        subset: pulled.subset,
        pulledAt: options.now ?? Date.now(),
      },
      api,
    );
    const path = await writeSnapshot(apiFolder(options.outDir, api), options.version, text);
    return { path, source, description: pulled.source, subset: pulled.subset !== undefined, skipped };
  }
  const fallback =
    api === 'customer-account'
      ? `or wait for a ${apiLayout(api).title} schema of it in a newer @shopify/dev-mcp.`
      : 'or pull from a store: --source store --store <domain> (token in SHOPIFY_STOREFRONT_TOKEN).';
  throw new Error(
    `${LIBRARY}: no schema source has API version ("${options.version}"). Tried ` +
      `${skipped.map((s) => `[${s}]`).join(' ')}. Fix the cause named for one source, ${fallback}`,
  );
}
