/**
 * Packs the package exactly as `npm publish` would (`prepack` builds a clean dist/ first) and answers
 * where the tarball is and what is in it. Shared by `npm run lint:package` and the consumer and browser
 * tests, so every check runs against the bytes a registry would serve.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The npm executable for this platform. */
export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A packed tarball. */
export interface Packed {
  /** Absolute path of the `.tgz`. */
  tarball: string;
  /** The paths inside it, relative to the package root. */
  files: string[];
  name: string;
  version: string;
}

/**
 * The environment for a child npm: the caller's, minus the `npm_*` variables an enclosing `npm run`
 * exports (they would otherwise point the child at this repository's prefix and lifecycle).
 */
export function childNpmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') || keep.has(key.toLowerCase())),
  );
}

/**
 * Runs `npm pack` (which runs `prepack`, i.e. a clean build) into `destination`.
 *
 * @param destination - the folder for the tarball; a new temporary folder by default.
 * @returns where the tarball is and what it holds.
 */
export async function packPackage(destination?: string): Promise<Packed> {
  const dir = destination ?? (await mkdtemp(join(tmpdir(), 'scs-pack-')));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir, '--loglevel', 'error'], {
    cwd: root,
    maxBuffer: 64 << 20,
    env: childNpmEnv(),
  });
  // prepack's own output (the build) is printed before the JSON array npm pack answers with.
  const start = stdout.search(/^\[/m);
  const [packed] = JSON.parse(stdout.slice(start)) as Array<{
    filename: string;
    name: string;
    version: string;
    files: Array<{ path: string }>;
  }>;
  if (!packed) throw new Error('npm pack answered with no package.');
  return {
    tarball: join(dir, packed.filename),
    files: packed.files.map((f) => f.path),
    name: packed.name,
    version: packed.version,
  };
}

/** The API versions the tarball has an entry point for (`dist/generated/<version>/entry.js`), sorted. */
export function packedVersions(packed: Packed): string[] {
  return [...new Set(packed.files.flatMap((f) => /^dist\/generated\/([^/]+)\/entry\.js$/.exec(f)?.[1] ?? []))].sort();
}

/** The Customer Account API versions the tarball has an entry point for (`dist/generated/customer-account/<v>/`). */
export function packedCustomerAccountVersions(packed: Packed): string[] {
  const entry = /^dist\/generated\/customer-account\/([^/]+)\/entry\.js$/;
  return [...new Set(packed.files.flatMap((f) => entry.exec(f)?.[1] ?? []))].sort();
}
