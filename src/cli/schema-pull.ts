import { relative, resolve } from 'node:path';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { assertStoreDomain } from '../runtime/endpoint.js';
import { pullSchema, PRIVATE_TOKEN_ENV, PUBLIC_TOKEN_ENV } from '../schema/pull.js';
import { assertWellFormedVersion, compareVersions, currentVersion, releaseCandidate } from '../runtime/versions.js';
import { EXIT, type Command } from './command.js';

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
        `It is not released yet: the newest stable version is ${currentVersion(now)} and ${candidate} is the release candidate.`,
      ),
    );
  }
}

/** `schema pull`: writes `schema/<version>.graphql` from a live store or from the published package. */
export const schemaPullCommand: Command = {
  name: 'schema pull',
  summary: 'write schema/<version>.graphql from a store (live) or from @shopify/hydrogen-react (published)',
  description: `Writes <out>/<version>.graphql: the introspected Storefront schema of one API version, as sorted SDL.
With --store, the store is introspected live with the token from ${PUBLIC_TOKEN_ENV} (public)
or ${PRIVATE_TOKEN_ENV} (private); a store that answers with another version is refused.
Without --store, the storefront.schema.json Shopify publishes in @shopify/hydrogen-react is used, after
checking the package's SFAPI_VERSION. The existing file is replaced only by a complete pull.`,
  options: {
    version: { type: 'string', placeholder: '<YYYY-MM>', description: 'the API version, e.g. 2026-04 (required)' },
    store: {
      type: 'string',
      placeholder: '<domain>',
      description: 'introspect this store, e.g. your-shop.myshopify.com',
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
      description: 'read a local @shopify/hydrogen-react instead of the registry',
    },
    registry: {
      type: 'string',
      placeholder: '<url>',
      description: 'the npm registry to fetch @shopify/hydrogen-react from',
    },
  },
  async run({ options }, io) {
    const version = options.version as string | undefined;
    if (!version)
      throw new ConfigurationError(
        invalidMessage('version', '', 'schema pull needs --version <YYYY-MM>, e.g. --version 2026-04.'),
      );
    assertReleasedVersion(version, io.now());
    const store = options.store as string | undefined;
    const publicAccessToken = io.env[PUBLIC_TOKEN_ENV] || undefined;
    const privateAccessToken = io.env[PRIVATE_TOKEN_ENV] || undefined;
    if (store) {
      assertStoreDomain(store, 'store domain');
      if (options.package || options.registry)
        throw new ConfigurationError(
          invalidMessage(
            'option',
            '--package/--registry',
            'They choose the published package; drop them, or drop --store.',
          ),
        );
      if (!publicAccessToken && !privateAccessToken) {
        throw new ConfigurationError(
          invalidMessage(
            'store',
            store,
            `A live pull needs a token: set ${PUBLIC_TOKEN_ENV} (public) or ${PRIVATE_TOKEN_ENV} (private) in the environment.`,
          ),
        );
      }
      if (publicAccessToken && privateAccessToken) {
        throw new ConfigurationError(
          invalidMessage('store', store, `Both ${PUBLIC_TOKEN_ENV} and ${PRIVATE_TOKEN_ENV} are set; unset one.`),
        );
      }
    }
    const outDir = resolve(io.cwd, options.out as string);
    const result = await pullSchema({
      version,
      outDir,
      storeDomain: store,
      publicAccessToken,
      privateAccessToken,
      published: {
        packagePath: options.package ? resolve(io.cwd, options.package as string) : undefined,
        registry: options.registry as string | undefined,
        cwd: io.cwd,
      },
    });
    const shown = relative(io.cwd, result.path);
    io.stdout(`wrote ${shown.startsWith('..') ? result.path : shown} from ${result.source}`);
    return EXIT.ok;
  },
};
