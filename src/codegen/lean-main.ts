/**
 * `lean-main [--config codegen.ts] [--check]`: the lean codegen runner as a process. `npm run codegen`
 * bundles this file with esbuild and runs it with plain node (no TypeScript loader hooks, which would
 * slow every module load); the CLI's `codegen` command runs it from dist/, or with tsx from sources. It loads the
 * config module, generates every output in this process ({@link generateLean}) and writes only
 * the files whose content changed, atomically; with `--check` it writes nothing and exits 1 naming
 * the stale files. Exit codes: 0 done, 1 failed or stale, 2 bad arguments.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCodegenConfig } from './config.js';
import { generateLean } from './lean.js';
import { syncGeneratedFiles } from './output.js';

/**
 * Runs the lean codegen in `cwd` with the command line `argv`, writing its report with `out`/`err`.
 *
 * @returns the exit code: 0 done (with `--check`: nothing stale), 1 failed or stale, 2 usage error.
 */
export async function leanMain(
  argv: readonly string[],
  cwd: string,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let values: { config?: string; check?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { config: { type: 'string', default: 'codegen.ts' }, check: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    err(`codegen: ${(error as Error).message}. Usage: lean-main [--config <file>] [--check]`);
    return 2;
  }
  const started = performance.now();
  try {
    const config = await loadCodegenConfig(values.config!, cwd);
    const files = await generateLean(config, cwd);
    const result = await syncGeneratedFiles(cwd, files, { check: values.check === true });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (values.check) {
      if (result.stale.length > 0) {
        out(`The following stale files were detected:\n${result.stale.map((file) => `  - ${file}`).join('\n')}`);
        return 1;
      }
      out(`codegen --check: ${files.length} files up to date (${seconds} s)`);
      return 0;
    }
    for (const file of result.written) out(`  wrote ${file}`);
    out(`codegen: ${result.written.length} written, ${result.unchanged.length} unchanged (${seconds} s)`);
    return 0;
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

// Run as a script (also through a symlinked node_modules, where argv[1] is not the real path).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await leanMain(
    process.argv.slice(2),
    process.cwd(),
    (line) => void process.stdout.write(`${line}\n`),
    (line) => void process.stderr.write(`${line}\n`),
  );
}
