import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { assertStoreDomain } from '../runtime/endpoint.js';
import {
  CUSTOMER_ACCOUNT_SOURCES,
  PRIVATE_TOKEN_ENV,
  PUBLIC_SCHEMA_URLS,
  PUBLIC_TOKEN_ENV,
  PUBLIC_URLS_ENV,
  SCHEMA_SOURCES,
  type SchemaSourceName,
} from '../schema/sources.js';
import { assertWellFormedVersion, compareVersions, currentVersion, releaseCandidate } from '../runtime/versions.js';
import { EXIT, type Command } from './command.js';
import { API_OPTION, apiOf } from './api.js';

/**
 * Throws a {@link ConfigurationError} for a version that cannot exist yet: later than the release
 * candidate at `now`. Retired versions pass (their published schema is still useful for a diff).
 */
export function assertReleasedVersion(version: string, now: number): void {
  assertWellFormedVersion(version, 'version');
  if (version === 'unstable') return;
  const candidate = releaseCandidate(now);
  if (compareVersions(version, candidate) > 0) {
    throw new ConfigurationError(
      invalidMessage(
        'version',
        version,
        `It is not released yet: the newest stable version is ${currentVersion(now)} and ` +
          `${candidate} is the release candidate.`,
      ),
    );
  }
}

/** `schema pull`: writes `schema/<version>.graphql` from one of four sources, or the most complete one reachable. */
export const schemaPullCommand: Command = {
  name: 'schema pull',
  summary: 'write schema/<version>.graphql from hydrogen, dev-mcp, the keyless public endpoint, or a store',
  description: `Writes <out>/<version>.graphql: the introspected Storefront schema of one API version, as sorted SDL,
under a header naming the source, the date, the sha256 of what was read, and whether it is the documented subset.
Sources (--source):
  hydrogen  storefront.schema.json of @shopify/hydrogen-react, else @shopify/hydrogen (full; API version checked)
  dev-mcp   dist/data/storefront-graphql_<version>.json.gz of @shopify/dev-mcp (the documented subset)
  public    keyless introspection of ${PUBLIC_SCHEMA_URLS.join(' then ')}
            (${PUBLIC_URLS_ENV} replaces them: space-separated, {version} in each)
  store     live introspection of --store with ${PUBLIC_TOKEN_ENV} or ${PRIVATE_TOKEN_ENV} from the environment
Without --source: store when --store is given, else hydrogen, public, dev-mcp: the most complete one that has the
version, and it says which. npm runs with --fetch-retries=0 --fetch-timeout=15000; no endpoint is waited on for
more than 15 s. The existing file is replaced only by a complete pull.
With --api customer-account: the Customer Account API's schema, dist/data/customer_<version>.json.gz of
@shopify/dev-mcp (its only source), written to <out>/customer-account/<version>.graphql.`,
  options: {
    version: { type: 'string', placeholder: '<YYYY-MM>', description: 'the API version, e.g. 2026-04 (required)' },
    api: API_OPTION,
    source: { type: 'string', placeholder: '<name>', description: `one of ${SCHEMA_SOURCES.join(', ')}` },
    store: {
      type: 'string',
      placeholder: '<domain>',
      description: 'introspect this store, e.g. your-shop.myshopify.com (the store source)',
    },
    out: {
      type: 'string',
      placeholder: '<dir>',
      description: 'the folder the snapshot is written to',
      default: 'schema',
    },
    package: {
      type: 'string',
      placeholder: '<folder|tgz>',
      description: 'read a local hydrogen or @shopify/dev-mcp package instead of the registry',
    },
    registry: {
      type: 'string',
      placeholder: '<url>',
      description: 'the npm registry the hydrogen and dev-mcp packages are fetched from',
    },
  },
  async run({ options }, io) {
    const version = options.version as string | undefined;
    if (!version)
      throw new ConfigurationError(
        invalidMessage('version', '', 'schema pull needs --version <YYYY-MM>, e.g. --version 2026-04.'),
      );
    assertReleasedVersion(version, io.now());
    const api = apiOf(options);
    const source = options.source as SchemaSourceName | undefined;
    if (source !== undefined && !(SCHEMA_SOURCES as readonly string[]).includes(source)) {
      throw new ConfigurationError(invalidMessage('--source', source, `Expected ${SCHEMA_SOURCES.join(', ')}.`));
    }
    const store = options.store as string | undefined;
    if (api === 'customer-account') checkCustomerAccountSource(source, store);
    const publicAccessToken = io.env[PUBLIC_TOKEN_ENV] || undefined;
    const privateAccessToken = io.env[PRIVATE_TOKEN_ENV] || undefined;
    if (source === 'store' && !store) {
      throw new ConfigurationError(invalidMessage('--source', source, 'It needs --store <domain>.'));
    }
    if (store && source !== undefined && source !== 'store') {
      throw new ConfigurationError(
        invalidMessage('--store', store, `It is the store source; drop it, or use --source store.`),
      );
    }
    if (store) checkStoreTokens(store, publicAccessToken, privateAccessToken, options);
    const packagePath = options.package ? resolve(io.cwd, options.package as string) : undefined;
    const npm = { registry: options.registry as string | undefined, cwd: io.cwd };
    const outDir = resolve(io.cwd, options.out as string);
    // Loaded only now: pulling needs graphql, the command's help does not.
    const [{ pullSchema }, { publicUrlsFrom }] = await Promise.all([
      import('../schema/pull.js'),
      import('../schema/public.js'),
    ]);
    const result = await pullSchema({
      version,
      api,
      outDir,
      // A local package names its own source: hydrogen and dev-mcp each refuse the other's package.
      source: source ?? (packagePath ? await packageSource(packagePath) : undefined),
      storeDomain: store,
      publicAccessToken,
      privateAccessToken,
      published: { ...npm, packagePath },
      devMcp: { ...npm, packagePath },
      public: { urls: publicUrlsFrom(io.env) },
      now: io.now(),
    });
    for (const line of result.skipped) io.stderr(`skipped ${line}`);
    const shown = relative(io.cwd, result.path);
    const subset = result.subset ? ' (the documented subset: see its header)' : '';
    io.stdout(
      `wrote ${shown.startsWith('..') ? result.path : shown} from the ${result.source} source: ` +
        `${result.description}${subset}`,
    );
    return EXIT.ok;
  },
};

/** The Customer Account API's schema has one source, dev-mcp: no store (it needs a customer's token), no hydrogen. */
function checkCustomerAccountSource(source: string | undefined, store: string | undefined): void {
  if (source !== undefined && !CUSTOMER_ACCOUNT_SOURCES.includes(source as SchemaSourceName)) {
    throw new ConfigurationError(
      invalidMessage('--source', source, "The Customer Account API's schema comes only from dev-mcp."),
    );
  }
  if (store !== undefined) {
    throw new ConfigurationError(
      invalidMessage('--store', store, "The Customer Account API's schema comes only from dev-mcp; drop --store."),
    );
  }
}

function checkStoreTokens(
  store: string,
  publicAccessToken: string | undefined,
  privateAccessToken: string | undefined,
  options: Record<string, unknown>,
): void {
  assertStoreDomain(store, 'store domain');
  if (options.package || options.registry)
    throw new ConfigurationError(
      invalidMessage('option', '--package/--registry', 'They choose an npm package; drop them, or drop --store.'),
    );
  if (!publicAccessToken && !privateAccessToken) {
    throw new ConfigurationError(
      invalidMessage(
        'store',
        store,
        `A live pull needs a token: set ${PUBLIC_TOKEN_ENV} (public) or ${PRIVATE_TOKEN_ENV} ` +
          '(private) in the environment.',
      ),
    );
  }
  if (publicAccessToken && privateAccessToken) {
    throw new ConfigurationError(
      invalidMessage('store', store, `Both ${PUBLIC_TOKEN_ENV} and ${PRIVATE_TOKEN_ENV} are set; unset one.`),
    );
  }
}

/** The source a local `--package` belongs to, from its name (`.tgz`: its file name); hydrogen when unsure. */
async function packageSource(path: string): Promise<SchemaSourceName> {
  const name = await readFile(join(path, 'package.json'), 'utf8')
    .then((text) => (JSON.parse(text) as { name?: string }).name ?? '')
    .catch(() => path);
  return /dev-mcp/.test(name) ? 'dev-mcp' : 'hydrogen';
}
