import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { LIBRARY } from '../runtime/errors.js';

/** Options of a codegen run (see `runLeanCodegen`). */
export interface CodegenRunOptions {
  /** The project folder: graphql-codegen is resolved from it, and runs in it. */
  cwd: string;
  /** The config file, relative to `cwd`. @defaultValue `codegen.ts` */
  config?: string;
  /** Compare instead of writing: fail when generated output is stale (`graphql-codegen --check`). */
  check?: boolean;
  /** Receives graphql-codegen's output, one line at a time (without its newline). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** The path of graphql-codegen's ESM bin as installed for the project in `cwd`. */
export function codegenBin(cwd: string): string {
  const require = createRequire(join(resolve(cwd), 'package.json'));
  let manifest: string;
  try {
    manifest = require.resolve('@graphql-codegen/cli/package.json');
  } catch (error) {
    throw new Error(
      `${LIBRARY}: @graphql-codegen/cli is not installed in ${cwd}. Install it with: npm install --save-dev @graphql-codegen/cli @graphql-codegen/client-preset`,
      { cause: error },
    );
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> | string };
  const relativeBin = typeof bin === 'string' ? bin : (bin?.['graphql-codegen'] ?? 'esm/bin.js');
  return join(dirname(manifest), relativeBin);
}
