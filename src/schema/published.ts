import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IntrospectionQuery } from 'graphql';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import type { PulledSchema } from './introspection.js';

const run = promisify(execFile);

/** The npm package in which Shopify publishes the introspected Storefront schema. */
export const PUBLISHED_PACKAGE = '@shopify/hydrogen-react';

/** The `@shopify/hydrogen-react` version range that tracks an API version: `2026-04` → `~2026.4.0`. */
export function publishedRange(version: string): string {
  const [year, month] = version.split('-');
  return `~${year}.${Number(month)}.0`;
}

/** Options of {@link pullPublishedSchema}. */
export interface PublishedOptions {
  /** The npm executable; `npm` by default. It runs with the user's own npm configuration (registry, auth). */
  npm?: string;
  /** An npm registry URL to use instead of the configured one (a mirror, or a local test registry). */
  registry?: string;
  /** A local `@shopify/hydrogen-react` folder or `.tgz` to read instead of asking the registry. */
  packagePath?: string;
  /** The folder npm runs in (its `.npmrc` applies); the process's by default. */
  cwd?: string;
}

/**
 * Pulls the schema Shopify publishes for `version` in `@shopify/hydrogen-react` (its
 * `storefront.schema.json`), and checks that the package's own `SFAPI_VERSION` names the same version.
 *
 * @throws ConfigurationError for a malformed version or `unstable` (no published schema).
 * @throws Error naming the fix when no release tracks the version or its `SFAPI_VERSION` disagrees.
 */
export async function pullPublishedSchema(version: string, options: PublishedOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  if (version === 'unstable') {
    throw new ConfigurationError(
      `${LIBRARY}: ${PUBLISHED_PACKAGE} publishes no schema for "unstable". Pull it from a store: schema pull --version unstable --store <domain> (token in SHOPIFY_STOREFRONT_TOKEN).`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'scs-pull-'));
  try {
    let packageDir: string;
    if (options.packagePath && (await stat(options.packagePath).catch(() => undefined))?.isDirectory()) {
      packageDir = options.packagePath;
    } else {
      const tarball = options.packagePath ?? (await packFromRegistry(version, dir, options));
      await run('tar', ['-xzf', tarball, '-C', dir]).catch((error: unknown) => {
        throw new Error(`${LIBRARY}: could not unpack ${tarball}: is it an npm package tarball?`, { cause: error });
      });
      packageDir = join(dir, 'package');
    }
    return await readPublishedPackage(packageDir, version);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function packFromRegistry(version: string, dir: string, options: PublishedOptions): Promise<string> {
  const npm = options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const spec = `${PUBLISHED_PACKAGE}@${publishedRange(version)}`;
  try {
    const { stdout } = await run(npm, ['pack', spec, '--json', '--pack-destination', dir, ...registryArgs(options)], {
      maxBuffer: 64 << 20,
      cwd: options.cwd,
    });
    const packed = JSON.parse(stdout) as Array<{ filename: string }>;
    return join(dir, packed[0]!.filename);
  } catch (error) {
    const code = npmErrorCode(error);
    if (code !== 'ETARGET' && code !== 'E404') {
      throw new Error(`${LIBRARY}: npm could not fetch ${spec}${code ? ` (${code})` : ''}. Check the network and the npm registry configuration.`, { cause: error });
    }
    const published = await publishedApiVersions(npm, options).catch(() => []);
    const list = published.length ? ` Published: ${published.join(', ')}.` : '';
    throw new Error(
      `${LIBRARY}: no ${PUBLISHED_PACKAGE} release tracks API version "${version}" (looked for ${spec}).${list} Pull it from a live store instead: schema pull --version ${version} --store <domain> (token in SHOPIFY_STOREFRONT_TOKEN).`,
      { cause: error },
    );
  }
}

/** Reads an unpacked `@shopify/hydrogen-react` and checks its `SFAPI_VERSION` against `version`. */
async function readPublishedPackage(dir: string, version: string): Promise<PulledSchema> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}')) as { name?: string; version?: string };
  if (pkg.name !== PUBLISHED_PACKAGE) {
    throw new Error(`${LIBRARY}: ${dir} is ${pkg.name ? `"${pkg.name}"` : 'not an npm package'}, not ${PUBLISHED_PACKAGE}.`);
  }
  const label = `${PUBLISHED_PACKAGE}@${pkg.version}`;
  const declared = await findSfapiVersion(join(dir, 'dist'));
  if (declared !== version) {
    throw new Error(
      `${LIBRARY}: ${label} declares SFAPI_VERSION "${declared ?? 'none'}", not "${version}"; refusing to store its schema as ${version}. Use the release that tracks ${version} (${publishedRange(version)}), or pull from a live store.`,
    );
  }
  const text = await readFile(join(dir, 'storefront.schema.json'), 'utf8').catch(() => {
    throw new Error(`${LIBRARY}: ${label} has no storefront.schema.json; pull ${version} from a live store instead.`);
  });
  const parsed = JSON.parse(text) as IntrospectionQuery | { data: IntrospectionQuery };
  return {
    introspection: 'data' in parsed ? parsed.data : parsed,
    source: `${label} storefront.schema.json (SFAPI_VERSION ${declared})`,
  };
}

/** The API versions for which `@shopify/hydrogen-react` has releases, oldest first. */
export async function publishedApiVersions(npm = 'npm', options: Pick<PublishedOptions, 'registry' | 'cwd'> = {}): Promise<string[]> {
  const { stdout } = await run(npm, ['view', PUBLISHED_PACKAGE, 'versions', '--json', ...registryArgs(options)], {
    maxBuffer: 16 << 20,
    cwd: options.cwd,
  });
  const versions = new Set<string>();
  for (const v of [JSON.parse(stdout) as string[] | string].flat()) {
    const m = /^(\d{4})\.(1|4|7|10)\.\d+$/.exec(v);
    if (m) versions.add(`${m[1]}-${m[2]!.padStart(2, '0')}`);
  }
  return [...versions].sort();
}

function registryArgs(options: Pick<PublishedOptions, 'registry'>): string[] {
  // A scope registry in the user's config would win over --registry for @shopify; override both.
  return options.registry ? [`--registry=${options.registry}`, `--@shopify:registry=${options.registry}`] : [];
}

function npmErrorCode(error: unknown): string | undefined {
  const stdout = (error as { stdout?: string }).stdout ?? '';
  try {
    return (JSON.parse(stdout) as { error?: { code?: string } }).error?.code;
  } catch {
    return /\b(ETARGET|E404)\b/.exec(`${stdout}${(error as { stderr?: string }).stderr ?? ''}`)?.[1];
  }
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
