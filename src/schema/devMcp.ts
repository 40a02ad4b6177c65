import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LIBRARY } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { introspectionOf, sha256, type PulledSchema } from './introspection.js';
import { listTarball, npmPack, unpack, unreachableMessage, type NpmOptions } from './npm.js';

/** Shopify's dev MCP server package, which ships the documented Storefront schema of each version. */
export const DEV_MCP_PACKAGE = '@shopify/dev-mcp';

/** What the documented schema leaves out, written into the snapshot header. */
export const DOCUMENTED_SUBSET =
  "Shopify's documented schema: privately documented types (cart completion, wallet payments, in-context " +
  'annotations) are left out; every type the customer-token operations reach is present.';

/** The file of one version inside the package. */
export function devMcpFile(version: string): string {
  return `dist/data/storefront-graphql_${version}.json.gz`;
}

/** Options of {@link pullDevMcpSchema}. */
export interface DevMcpOptions extends NpmOptions {
  /** A local `@shopify/dev-mcp` folder or `.tgz` to read instead of the registry. */
  packagePath?: string;
  /** The package version or range to fetch. @defaultValue `latest` */
  packageVersion?: string;
}

/**
 * Pulls the documented Storefront schema of `version` from `@shopify/dev-mcp`
 * (`dist/data/storefront-graphql_<version>.json.gz`, gzipped `{ data: { __schema } }`).
 *
 * @throws Error naming the fix when the package is unreachable or has no file for the version.
 */
export async function pullDevMcpSchema(version: string, options: DevMcpOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  const file = devMcpFile(version);
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
      if (!members.includes(`package/${file}`)) throw await missing(version, tarball, members);
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
    return { introspection, source: `${label} ${file}`, sha256: sha256(bytes), subset: DOCUMENTED_SUBSET };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function missing(version: string, tarball: string, members: string[]): Promise<Error> {
  const pkg = /([^/]+)-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(tarball);
  const has = members
    .map((m) => /^package\/dist\/data\/storefront-graphql_(.+)\.json\.gz$/.exec(m)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort();
  return new Error(
    `${LIBRARY}: ${DEV_MCP_PACKAGE}${pkg ? `@${pkg[2]}` : ''} has no Storefront schema for ` +
      `API version ("${version}"); it has ${has.join(', ') || 'none'}. Use another source, or ` +
      `wait for a newer ${DEV_MCP_PACKAGE}.`,
  );
}
