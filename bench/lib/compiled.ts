import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT, SCRATCH } from './scratch.js';

/** What bench/lib/package-exchanges.ts exports. */
export type PackageModule = typeof import('./package-exchanges.js');

/** What bench/lib/auth-exchange.ts exports (the runtime bench's urql + authExchange contender). */
export type AuthModule = typeof import('./auth-exchange.js');

/**
 * This package as apps run it: package-exchanges.ts and the sources behind it compiled to plain JS by
 * esbuild (dependencies left to node_modules, so urql, wonka and graphql are the very instances the
 * benchmark's own clients use). Running the sources through tsx instead would add its `__name` wrapper to
 * every closure the exchanges create per operation, a cost no published build has.
 *
 * @returns the compiled module's path (in `folder`, which the caller removes), for child processes to import.
 */
export async function compilePackage(folder: string): Promise<string> {
  return compile('package-exchanges', folder);
}

/**
 * The hand-written `authExchange` policy (bench/lib/auth-exchange.ts) compiled the same way as the package, so the
 * two contenders' own code runs as an app's build would run it.
 *
 * @returns the compiled module's path (in `folder`, which the caller removes).
 */
export async function compileAuthPolicy(folder: string): Promise<string> {
  return compile('auth-exchange', folder);
}

async function compile(name: string, folder: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const outfile = join(folder, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, `bench/lib/${name}.ts`)],
    outfile,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

/** The compiled package (see {@link compilePackage}), imported into this process. */
export async function compiledPackage(): Promise<PackageModule> {
  const folder = join(SCRATCH, `compiled-${process.pid}`);
  try {
    return (await import(pathToFileURL(await compilePackage(folder)).href)) as PackageModule;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
