import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codegenBin, type CodegenRunOptions } from './run.js';

/**
 * Runs the lean codegen runner (`lean-main`, see {@link generateLean}) for the project in `cwd`, in
 * a child process whose working folder is the project (codegen.ts resolves `schema/` against it),
 * so its output and exit code stay its own. From the compiled package it runs the `.js` file with
 * plain Node; from sources (`.ts`, under tsx or vitest) it runs with tsx's loader.
 *
 * @returns the runner's exit code: 0 done (or, with `check`, nothing stale), 1 failed or stale.
 * @throws Error naming the install command when the project has no `@graphql-codegen/cli` (the
 * runner writes what it would write, and `codegen:check` runs it).
 */
export async function runLeanCodegen(options: CodegenRunOptions): Promise<number> {
  codegenBin(options.cwd);
  const main = new URL(`./lean-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const loader = main.pathname.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  const args = [
    ...loader,
    fileURLToPath(main),
    '--config',
    options.config ?? 'codegen.ts',
    ...(options.check ? ['--check'] : []),
  ];
  return await new Promise<number>((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
