import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { LIBRARY } from '../errors.js';
import { assertWellFormedVersion } from '../versions.js';
import { assertStoreDomain, endpointFor, API_VERSION_HEADER, PUBLIC_TOKEN_HEADER, PRIVATE_TOKEN_HEADER } from '../endpoint.js';

const run = promisify(execFile);

/** The npm package in which Shopify publishes the introspected Storefront schema. */
export const PUBLISHED_PACKAGE = '@shopify/hydrogen-react';

/** An introspection result plus a line saying where it came from. */
export interface PulledSchema {
  introspection: IntrospectionQuery;
  source: string;
}

/** The introspection query used for live pulls: deprecated input fields and `isOneOf` included. */
export const INTROSPECTION_QUERY = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** The `@shopify/hydrogen-react` version range that tracks an API version: `2026-04` → `~2026.4.0`. */
export function publishedRange(version: string): string {
  const [year, month] = version.split('-');
  return `~${year}.${Number(month)}.0`;
}

export interface PublishedOptions {
  /** The npm executable; `npm` by default. It uses the user's own npm configuration (registry, auth). */
  npm?: string;
}

/**
 * Pulls the schema Shopify publishes for `version` in `@shopify/hydrogen-react`, and checks that the
 * package's own `SFAPI_VERSION` names the same version.
 *
 * @throws when no release tracks that version, or when its `SFAPI_VERSION` disagrees.
 */
export async function pullPublishedSchema(version: string, options: PublishedOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  if (version === 'unstable') {
    throw new Error(`${LIBRARY}: ${PUBLISHED_PACKAGE} publishes no schema for "unstable". Pull it from a store: schema pull --version unstable --store <domain>.`);
  }
  const npm = options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const spec = `${PUBLISHED_PACKAGE}@${publishedRange(version)}`;
  const dir = await mkdtemp(join(tmpdir(), 'scs-pull-'));
  try {
    let tarball: string;
    try {
      const { stdout } = await run(npm, ['pack', spec, '--json', '--silent', '--pack-destination', dir], { maxBuffer: 64 << 20 });
      const packed = JSON.parse(stdout) as Array<{ filename: string; version: string }>;
      tarball = join(dir, packed[0]!.filename);
    } catch (error) {
      const published = await publishedApiVersions(npm).catch(() => []);
      const list = published.length ? ` Published: ${published.join(', ')}.` : '';
      throw new Error(
        `${LIBRARY}: no ${PUBLISHED_PACKAGE} release tracks API version "${version}" (looked for ${spec}).${list} Pull a newer version from a live store: schema pull --version ${version} --store <domain> (token in SHOPIFY_STOREFRONT_TOKEN).`,
        { cause: error },
      );
    }
    await run('tar', ['-xzf', tarball, '-C', dir, 'package/package.json', 'package/storefront.schema.json', 'package/dist']);
    const pkg = JSON.parse(await readFile(join(dir, 'package/package.json'), 'utf8')) as { version: string };
    const declared = await findSfapiVersion(join(dir, 'package/dist'));
    if (declared !== version) {
      throw new Error(
        `${LIBRARY}: ${PUBLISHED_PACKAGE}@${pkg.version} declares SFAPI_VERSION "${declared ?? 'none'}", not "${version}"; refusing to store its schema as ${version}.`,
      );
    }
    const introspection = JSON.parse(await readFile(join(dir, 'package/storefront.schema.json'), 'utf8')) as
      | IntrospectionQuery
      | { data: IntrospectionQuery };
    return {
      introspection: 'data' in introspection ? introspection.data : introspection,
      source: `${PUBLISHED_PACKAGE}@${pkg.version} storefront.schema.json (SFAPI_VERSION ${declared})`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The API versions for which `@shopify/hydrogen-react` has releases, oldest first. */
export async function publishedApiVersions(npm = 'npm'): Promise<string[]> {
  const { stdout } = await run(npm, ['view', PUBLISHED_PACKAGE, 'versions', '--json'], { maxBuffer: 16 << 20 });
  const versions = new Set<string>();
  for (const v of JSON.parse(stdout) as string[]) {
    const m = /^(\d{4})\.(1|4|7|10)\.\d+$/.exec(v);
    if (m) versions.add(`${m[1]}-${m[2]!.padStart(2, '0')}`);
  }
  return [...versions].sort();
}

async function findSfapiVersion(dist: string): Promise<string | undefined> {
  const pattern = /SFAPI_VERSION\s*=\s*["'](\d{4}-\d{2}|unstable)["']/;
  for (const entry of await readdir(dist, { recursive: true })) {
    if (!/storefront-api-constants\.(m?js|cjs)$/.test(entry)) continue;
    const match = pattern.exec(await readFile(join(dist, entry), 'utf8'));
    if (match) return match[1];
  }
  return undefined;
}

export interface LiveOptions {
  storeDomain: string;
  version: string;
  /** A public storefront token (sent as `X-Shopify-Storefront-Access-Token`). */
  publicAccessToken?: string;
  /** A private storefront token (sent as `Shopify-Storefront-Private-Token`). */
  privateAccessToken?: string;
  /** Overrides the fetch used; tests point it at a loopback server. */
  fetch?: typeof fetch;
}

/**
 * Introspects a live store's Storefront API at `version`. Refuses when Shopify answers with
 * another version (it falls forward silently for retired or unknown versions).
 */
export async function pullLiveSchema(options: LiveOptions): Promise<PulledSchema> {
  assertWellFormedVersion(options.version, 'version');
  const domain = assertStoreDomain(options.storeDomain);
  const { publicAccessToken, privateAccessToken } = options;
  if (!publicAccessToken === !privateAccessToken) {
    throw new Error(`${LIBRARY}: give exactly one storefront token (SHOPIFY_STOREFRONT_TOKEN or SHOPIFY_STOREFRONT_PRIVATE_TOKEN) to pull a live schema.`);
  }
  const url = endpointFor(domain, options.version);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (publicAccessToken) headers[PUBLIC_TOKEN_HEADER] = publicAccessToken;
  if (privateAccessToken) headers[PRIVATE_TOKEN_HEADER] = privateAccessToken;
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: INTROSPECTION_QUERY, operationName: 'IntrospectionQuery' }),
  });
  if (!response.ok) {
    throw new Error(`${LIBRARY}: introspection of ${url} failed with HTTP ${response.status}${response.status === 401 || response.status === 403 ? ': check the storefront token' : ''}.`);
  }
  const served = response.headers.get(API_VERSION_HEADER);
  if (served && served !== options.version) {
    throw new Error(
      `${LIBRARY}: ${domain} answered with API version "${served}" instead of "${options.version}" (a retired or unreleased version falls forward). Refusing to store it as ${options.version}.`,
    );
  }
  const body = (await response.json()) as { data?: IntrospectionQuery; errors?: Array<{ message: string }> };
  if (!body.data?.__schema) {
    throw new Error(`${LIBRARY}: introspection of ${url} returned no schema: ${body.errors?.map((e) => e.message).join('; ') ?? 'empty body'}.`);
  }
  return { introspection: body.data, source: `https://${domain}/api/${options.version}/graphql.json (live introspection)` };
}
