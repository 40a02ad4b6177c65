import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LIBRARY } from '../runtime/errors.js';

const run = promisify(execFile);

/** How the npm-based sources reach a registry. npm runs with the user's own configuration (registry, auth). */
export interface NpmOptions {
  /** The npm executable; `npm` by default. */
  npm?: string;
  /** An npm registry URL to use instead of the configured one (a mirror, or a local test registry). */
  registry?: string;
  /** The folder npm runs in (its `.npmrc` applies); the process's by default. */
  cwd?: string;
}

/**
 * No network step waits more than about 15 s: npm gives up on a request after 15 s and does not retry
 * (its defaults retry twice with back-off, for minutes); the whole npm process is stopped after 90 s.
 */
export const NPM_NETWORK_ARGS = ['--fetch-retries=0', '--fetch-timeout=15000'] as const;
const NPM_PROCESS_TIMEOUT_MS = 90_000;

function npmOf(options: NpmOptions): string {
  return options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
}

function registryArgs(options: NpmOptions): string[] {
  // A scope registry in the user's config would win over --registry for @shopify; override both.
  return options.registry ? [`--registry=${options.registry}`, `--@shopify:registry=${options.registry}`] : [];
}

/** The npm error code of a failed npm run (`E404`, `ETARGET`, `ETIMEDOUT`…), when it printed one. */
export function npmErrorCode(error: unknown): string | undefined {
  if ((error as { killed?: boolean }).killed) return 'ETIMEDOUT';
  const stdout = (error as { stdout?: string }).stdout ?? '';
  try {
    return (JSON.parse(stdout) as { error?: { code?: string } }).error?.code;
  } catch {
    return /\b(ETARGET|E404|ETIMEDOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\b/.exec(
      `${stdout}${(error as { stderr?: string }).stderr ?? ''}`,
    )?.[1];
  }
}

/** Whether an npm failure means "no such package or version" rather than "could not ask". */
export function isNotPublished(error: unknown): boolean {
  const code = npmErrorCode(error);
  return code === 'ETARGET' || code === 'E404';
}

/**
 * Fetches `spec` (`name@range`) into `dir` with `npm pack` and returns the tarball's path.
 *
 * @throws the npm failure, with `npmErrorCode` telling "not published" from "not reachable".
 */
export async function npmPack(spec: string, dir: string, options: NpmOptions): Promise<string> {
  const args = ['pack', spec, '--json', '--pack-destination', dir, ...NPM_NETWORK_ARGS, ...registryArgs(options)];
  const { stdout } = await run(npmOf(options), args, {
    maxBuffer: 64 << 20,
    cwd: options.cwd,
    timeout: NPM_PROCESS_TIMEOUT_MS,
  });
  const packed = JSON.parse(stdout) as Array<{ filename: string }>;
  return join(dir, packed[0]!.filename);
}

/** Every published version of `name`, as npm lists them. */
export async function npmVersions(name: string, options: NpmOptions): Promise<string[]> {
  const args = ['view', name, 'versions', '--json', ...NPM_NETWORK_ARGS, ...registryArgs(options)];
  const { stdout } = await run(npmOf(options), args, {
    maxBuffer: 16 << 20,
    cwd: options.cwd,
    timeout: NPM_PROCESS_TIMEOUT_MS,
  });
  return [JSON.parse(stdout) as string[] | string].flat();
}

/** A one-line reason for an npm failure that asked nothing of the registry it could answer. */
export function unreachableMessage(spec: string, error: unknown): string {
  const code = npmErrorCode(error);
  return (
    `${LIBRARY}: npm could not fetch ${spec}${code ? ` (${code})` : ''}. Check the network ` +
    'and the npm registry configuration.'
  );
}

/** Extracts `members` (all of it without) of an npm tarball into `dir`; resolves to the `package` folder. */
export async function unpack(tarball: string, dir: string, members: string[] = []): Promise<string> {
  await run('tar', ['-xzf', tarball, '-C', dir, ...members]).catch((error: unknown) => {
    throw new Error(
      `${LIBRARY}: could not unpack ${tarball}: is it an npm package tarball with ` +
        `${members.join(', ') || 'files'}?`,
      {
        cause: error,
      },
    );
  });
  return join(dir, 'package');
}

/** The paths inside an npm tarball. */
export async function listTarball(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 64 << 20 });
  return stdout.split('\n').filter(Boolean);
}
