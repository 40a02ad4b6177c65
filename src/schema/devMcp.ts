import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LIBRARY } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { apiLayout, DEFAULT_API, type SchemaApi } from '../tooling/apis.js';
import { introspectionOf, sha256, type PulledSchema } from './introspection.js';
import { listTarball, npmPack, unpack, unreachableMessage, type NpmOptions } from './npm.js';

/** Shopify's dev MCP server package, which ships the documented Storefront and Customer Account schemas of each version. */
export const DEV_MCP_PACKAGE = '@shopify/dev-mcp';

/** What the documented schema leaves out, written into the snapshot header. */
export const DOCUMENTED_SUBSET =
  "Shopify's documented schema: privately documented types (cart completion, wallet payments, in-context " +
  'annotations) are left out; every type the customer-token operations reach is present.';

/** The same for the Customer Account API's schema. */
export const DOCUMENTED_CUSTOMER_ACCOUNT_SUBSET =
  "Shopify's documented Customer Account schema, as @shopify/dev-mcp ships it (the API has no keyless " +
  'introspection to compare it with); every type the operations in operations-customer-account/ reach is present.';

/** The file of one version of `api`'s schema inside the package. */
export function devMcpFile(version: string, api: SchemaApi = DEFAULT_API): string {
  return `dist/data/${apiLayout(api).devMcpPrefix}_${version}.json.gz`;
}

/** Options of {@link pullDevMcpSchema}. */
export interface DevMcpOptions extends NpmOptions {
  /** A local `@shopify/dev-mcp` folder or `.tgz` to read instead of the registry. */
  packagePath?: string;
  /** The package version or range to fetch. @defaultValue `latest` */
  packageVersion?: string;
  /** Which API's schema to read. @defaultValue `storefront` */
  api?: SchemaApi;
}

/**
 * Pulls the documented Storefront schema of `version` from `@shopify/dev-mcp`
 * (`dist/data/storefront-graphql_<version>.json.gz`, gzipped `{ data: { __schema } }`), or with `api:
 * 'customer-account'` the Customer Account schema (`dist/data/customer_<version>.json.gz`).
 *
 * @throws Error naming the fix when the package is unreachable or has no file for the version.
 */
export async function pullDevMcpSchema(version: string, options: DevMcpOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  const api = options.api ?? DEFAULT_API;
  const file = devMcpFile(version, api);
  const dir = await mkdtemp(join(tmpdir(), 'scs-dev-mcp-'));
  try {
    let packageDir = options.packagePath;
    if (!packageDir || !(await stat(packageDir).catch(() => undefined))?.isDirectory()) {
      const spec = `${DEV_MCP_PACKAGE}@${options.packageVersion ?? 'latest'}`;
      const tarball =
        options.packagePath ??
        (await npmPack(spec, dir, options).catch((error: unknown) => {
          throw new Error(unreachableMessage(spec, error), { cause: error });
        }));
      const members = await listTarball(tarball).catch(() => [] as string[]);
      if (!members.includes(`package/${file}`)) throw await missing(version, tarball, members, api);
      packageDir = await unpack(tarball, dir, ['package/package.json', `package/${file}`]);
    }
    const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8').catch(() => '{}')) as {
      name?: string;
      version?: string;
    };
    if (pkg.name !== DEV_MCP_PACKAGE) {
      throw new Error(
        `${LIBRARY}: ${packageDir} is ${pkg.name ? `"${pkg.name}"` : 'not an npm package'}, not ` +
          `${DEV_MCP_PACKAGE}.`,
      );
    }
    const label = `${DEV_MCP_PACKAGE}@${pkg.version}`;
    const bytes = await readFile(join(packageDir, file)).catch(() => undefined);
    if (!bytes)
      throw new Error(`${LIBRARY}: ${label} has no ${file} for API version ("${version}"). Use another source.`);
    let introspection;
    try {
      introspection = introspectionOf(JSON.parse(gunzipSync(bytes).toString('utf8')));
    } catch (error) {
      throw new Error(`${LIBRARY}: ${label} ${file} is not gzipped JSON. Use another source.`, { cause: error });
    }
    if (!introspection) throw new Error(`${LIBRARY}: ${label} ${file} holds no data.__schema. Use another source.`);
    const subset = api === 'customer-account' ? DOCUMENTED_CUSTOMER_ACCOUNT_SUBSET : DOCUMENTED_SUBSET;
    return { introspection, source: `${label} ${file}`, sha256: sha256(bytes), subset };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function missing(version: string, tarball: string, members: string[], api: SchemaApi): Promise<Error> {
  const pkg = /([^/]+)-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(tarball);
  const { devMcpPrefix, title } = apiLayout(api);
  const prefix = `package/dist/data/${devMcpPrefix}_`;
  const has = members
    .filter((m) => m.startsWith(prefix) && m.endsWith('.json.gz'))
    .map((m) => m.slice(prefix.length, -'.json.gz'.length))
    .sort();
  return new Error(
    `${LIBRARY}: ${DEV_MCP_PACKAGE}${pkg ? `@${pkg[2]}` : ''} has no ${title} schema for ` +
      `API version ("${version}"); it has ${has.join(', ') || 'none'}. Use another source, or ` +
      `wait for a newer ${DEV_MCP_PACKAGE}.`,
  );
}
