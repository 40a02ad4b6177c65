import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { LIBRARY } from '../runtime/errors.js';

/**
 * Loads a graphql-codegen config module (its default export). A `.ts`/`.mts` config is bundled
 * with esbuild (its own relative imports included, packages left as imports) into a temporary
 * `.mjs` beside it, imported, and removed: no TypeScript loader hooks stay in the process, so the
 * codegen packages load at plain-Node speed. JavaScript configs are imported as they are.
 *
 * @param file - the config file, absolute or relative to `cwd`.
 * @throws Error naming the fix when the module has no default export with `generates`, or esbuild is missing.
 */
export async function loadCodegenConfig(file: string, cwd: string): Promise<CodegenConfig> {
  const path = resolve(cwd, file);
  if (!existsSync(path))
    throw new Error(
      `${LIBRARY}: the provided codegen config ("${file}") is invalid. There is no such file in ${cwd}; pass --config <file>.`,
    );
  const module = /\.[cm]?js$/.test(path) ? await import(pathToFileURL(path).href) : await importBundled(path);
  const exported = (module as { default?: CodegenConfig & { default?: CodegenConfig } }).default;
  const config = exported?.generates ? exported : exported?.default;
  if (!config?.generates)
    throw new Error(
      `${LIBRARY}: the provided codegen config ("${file}") has no default export with "generates". Export the config object as default.`,
    );
  return config;
}

async function importBundled(path: string): Promise<unknown> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new Error(
      `${LIBRARY}: esbuild is not installed, and it is needed to load ${basename(path)}. Install it with: npm install --save-dev esbuild`,
      { cause: error },
    );
  }
  let built: import('esbuild').BuildResult<{ write: false }>;
  try {
    built = await esbuild.build({
      entryPoints: [path],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    throw new Error(
      `${LIBRARY}: the codegen config ${basename(path)} could not be compiled: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const temporary = resolve(dirname(path), `.${basename(path, extname(path))}.${process.pid}.${Date.now()}.mjs`);
  await writeFile(temporary, built.outputFiles[0]!.text);
  try {
    return await import(pathToFileURL(temporary).href);
  } finally {
    await rm(temporary, { force: true });
  }
}
