import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { LIBRARY } from '../errors.js';

/** Options of {@link runCodegen}. */
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

/**
 * Runs the project's own graphql-codegen (the `@graphql-codegen/cli` installed in `cwd`) with its
 * config, in a child process so its `process.exit` and console output stay its own.
 *
 * @returns graphql-codegen's exit code: 0 done (or, with `check`, nothing stale), otherwise failed or stale.
 * @throws Error naming the fix when `@graphql-codegen/cli` is not installed in `cwd`.
 */
export async function runCodegen(options: CodegenRunOptions): Promise<number> {
  const bin = codegenBin(options.cwd);
  const args = [bin, '--config', options.config ?? 'codegen.ts', ...(options.check ? ['--check'] : [])];
  return await new Promise<number>((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    const flushers = (['stdout', 'stderr'] as const).map((stream) => {
      let pending = '';
      child[stream].setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop()!;
        for (const line of lines) options.onOutput?.(line, stream);
      });
      return () => pending && options.onOutput?.(pending, stream);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const flush of flushers) flush();
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
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
