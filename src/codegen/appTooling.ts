import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LIBRARY } from '../runtime/errors.js';
import type { GeneratedFile } from './output.js';
import type { GeneratesSectionPreset } from './storefrontCodegen.js';

/** The app's own graphql-codegen (5, 6 or 7) and client preset, as the CLI's `codegen` runs them. */
export interface AppCodegen {
  /** `generate(config, false)` of `@graphql-codegen/cli`: the files it would write, without writing them. */
  generate(config: object, saveToFile: false): Promise<GeneratedFile[]>;
  /** `@graphql-codegen/client-preset`'s `preset`. */
  clientPreset: GeneratesSectionPreset;
  /** The installed versions, e.g. `{ cli: '5.0.7', clientPreset: '4.8.3' }`. */
  versions: { cli: string; clientPreset: string };
}

const INSTALL = 'npm install --save-dev @graphql-codegen/cli @graphql-codegen/client-preset';

/** Imports `name` as the app in `cwd` resolves it; a message naming the install when it is missing. */
async function importFromApp(cwd: string, name: string): Promise<{ module: Record<string, unknown>; version: string }> {
  const require = createRequire(join(resolve(cwd), 'package.json'));
  let entry: string;
  let manifest: string;
  try {
    entry = require.resolve(name);
    manifest = require.resolve(`${name}/package.json`);
  } catch (error) {
    throw new Error(
      `${LIBRARY}: ${name} is not installed in this app ("${resolve(cwd)}"). codegen runs the app's own ` +
        `graphql-codegen (5, 6 or 7) and client preset; install them: ${INSTALL}`,
      { cause: error },
    );
  }
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  // A CommonJS build may show its exports only on `default`.
  return { module: { ...(module['default'] as object | undefined), ...module }, version };
}

/** Loads the app's graphql-codegen CLI and client preset from `cwd`. */
export async function loadAppCodegen(cwd: string): Promise<AppCodegen> {
  const [cli, preset] = [
    await importFromApp(cwd, '@graphql-codegen/cli'),
    await importFromApp(cwd, '@graphql-codegen/client-preset'),
  ];
  const generate = cli.module['generate'];
  const clientPreset = preset.module['preset'];
  if (
    typeof generate !== 'function' ||
    typeof (clientPreset as Partial<GeneratesSectionPreset> | undefined)?.buildGeneratesSection !== 'function'
  ) {
    throw new Error(
      `${LIBRARY}: the installed graphql-codegen is not one codegen can run ("@graphql-codegen/cli@${cli.version}", ` +
        `"@graphql-codegen/client-preset@${preset.version}"). Install versions 5, 6 or 7: ${INSTALL}`,
    );
  }
  return {
    generate: generate as AppCodegen['generate'],
    clientPreset: clientPreset as GeneratesSectionPreset,
    versions: { cli: cli.version, clientPreset: preset.version },
  };
}
