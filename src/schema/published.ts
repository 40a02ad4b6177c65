import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { introspectionOf, sha256, type PulledSchema } from './introspection.js';
import { isNotPublished, npmPack, npmVersions, unpack, unreachableMessage, type NpmOptions } from './npm.js';

/** The npm package in which Shopify publishes the introspected Storefront schema. */
export const PUBLISHED_PACKAGE = '@shopify/hydrogen-react';
/** Both packages of the hydrogen source, asked in this order: Hydrogen's preview line exports the schema too. */
export const HYDROGEN_PACKAGES = [PUBLISHED_PACKAGE, '@shopify/hydrogen'] as const;

/** The package version range that tracks an API version: `2026-04` → `~2026.4.0`. */
export function publishedRange(version: string): string {
  const [year, month] = version.split('-');
  return `~${year}.${Number(month)}.0`;
}

/** The API version a `YYYY.M.x` package version tracks, or `undefined`. */
function trackedVersion(packageVersion: string | undefined): string | undefined {
  const m = /^(\d{4})\.(1|4|7|10)\.\d+/.exec(packageVersion ?? '');
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : undefined;
}

/** Options of {@link pullPublishedSchema}. */
export interface PublishedOptions extends NpmOptions {
  /** A local `@shopify/hydrogen-react` or `@shopify/hydrogen` folder or `.tgz` to read instead of the registry. */
  packagePath?: string;
}

/**
 * Pulls the schema Shopify publishes for `version` in `@shopify/hydrogen-react` (else `@shopify/hydrogen`), the
 * export `./storefront.schema.json`, and checks that the package names the same API version.
 *
 * @throws ConfigurationError for a malformed version or `unstable` (no published schema).
 * @throws Error naming the fix when no release tracks the version or the package names another one.
 */
export async function pullPublishedSchema(version: string, options: PublishedOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  if (version === 'unstable') {
    throw new ConfigurationError(
      `${LIBRARY}: the hydrogen packages publish no schema for "unstable". Use --source ` +
        'dev-mcp, or pull it from a store.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'scs-pull-'));
  try {
    if (options.packagePath && (await stat(options.packagePath).catch(() => undefined))?.isDirectory()) {
      return await readHydrogenPackage(options.packagePath, version);
    }
    if (options.packagePath) return await readHydrogenPackage(await unpack(options.packagePath, dir), version);
    const looked: string[] = [];
    for (const name of HYDROGEN_PACKAGES) {
      const spec = `${name}@${publishedRange(version)}`;
      looked.push(spec);
      const tarball = await npmPack(spec, dir, options).catch((error: unknown) => {
        if (isNotPublished(error)) return undefined;
        throw new Error(unreachableMessage(spec, error), { cause: error });
      });
      if (tarball) return await readHydrogenPackage(await unpack(tarball, await mkdtemp(join(dir, 'x-'))), version);
    }
    const published = await Promise.all(
      HYDROGEN_PACKAGES.map(async (name) => {
        const list = await publishedApiVersions(name, options).catch(() => []);
        return `${name} ${list.join(', ') || 'none'}`;
      }),
    );
    throw new Error(
      `${LIBRARY}: no hydrogen release tracks API version ("${version}"); looked for ` +
        `${looked.join(' and ')}. Published: ${published.join('; ')}. Use --source dev-mcp or ` +
        '--source public, or pull it from a store (--source store --store <domain>).',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads an unpacked hydrogen package and checks the API version it names against `version`. */
async function readHydrogenPackage(dir: string, version: string): Promise<PulledSchema> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}')) as {
    name?: string;
    version?: string;
    exports?: Record<string, unknown>;
    dependencies?: Record<string, string>;
  };
  if (!(HYDROGEN_PACKAGES as readonly string[]).includes(pkg.name ?? '')) {
    throw new Error(
      `${LIBRARY}: ${dir} is ${pkg.name ? `"${pkg.name}"` : 'not an npm package'}, not ` +
        `${HYDROGEN_PACKAGES.join(' or ')}.`,
    );
  }
  const label = `${pkg.name}@${pkg.version}`;
  let declared = await findSfapiVersion(join(dir, 'dist'));
  let how = `SFAPI_VERSION ${declared}`;
  if (declared === undefined && pkg.name !== PUBLISHED_PACKAGE) {
    // Hydrogen's build minifies the constant away; it pins the hydrogen-react release that declares it.
    const pinned = pkg.dependencies?.[PUBLISHED_PACKAGE];
    declared = trackedVersion(pkg.version) === trackedVersion(pinned) ? trackedVersion(pkg.version) : undefined;
    how = `its ${PUBLISHED_PACKAGE} ${pinned} dependency tracks ${declared}`;
  }
  if (declared !== version) {
    throw new Error(
      `${LIBRARY}: ${label} declares API version ("${declared ?? 'none'}"), not "${version}"; ` +
        `refusing to store its schema as ${version}. Use the release that tracks ${version} ` +
        `(${publishedRange(version)}), or another source.`,
    );
  }
  const exported = pkg.exports?.['./storefront.schema.json'];
  const file = typeof exported === 'string' ? exported.replace(/^\.\//, '') : 'storefront.schema.json';
  const bytes = await readFile(join(dir, file)).catch(() => {
    throw new Error(`${LIBRARY}: ${label} has no ${file}; use another source for ${version}.`);
  });
  const introspection = introspectionOf(JSON.parse(bytes.toString('utf8')));
  if (!introspection) throw new Error(`${LIBRARY}: ${label} ${file} holds no introspection (__schema).`);
  return { introspection, source: `${label} ${file} (${how})`, sha256: sha256(bytes) };
}

/** The API versions for which `name` (a hydrogen package) has releases, oldest first. */
export async function publishedApiVersions(
  name: string = PUBLISHED_PACKAGE,
  options: NpmOptions = {},
): Promise<string[]> {
  const versions = new Set<string>();
  for (const v of await npmVersions(name, options)) {
    const tracked = trackedVersion(v);
    if (tracked) versions.add(tracked);
  }
  return [...versions].sort();
}

async function findSfapiVersion(dist: string): Promise<string | undefined> {
  const pattern = /SFAPI_VERSION\s*=\s*["'](\d{4}-\d{2}|unstable)["']/;
  for (const entry of await readdir(dist, { recursive: true }).catch(() => [] as string[])) {
    if (!/storefront-api-constants\.(m?js|cjs)$/.test(entry)) continue;
    const match = pattern.exec(await readFile(join(dist, entry), 'utf8'));
    if (match) return match[1];
  }
  return undefined;
}
