import { resolve } from 'node:path';
import { runLeanCodegen } from '../codegen/lean-run.js';
import { EXIT, type Command } from './command.js';

/**
 * `codegen`: the project's codegen.ts run by the lean runner (graphql-codegen's core and presets in
 * one process, without the CLI's start-up; the same files byte for byte); `--check` fails on stale output.
 */
export const codegenCommand: Command = {
  name: 'codegen',
  summary: 'regenerate generated/ from operations/ and schema/ (--check: fail when it is stale)',
  description: `Runs <config> with graphql-codegen's core and presets in one process (the lean runner: the
files graphql-codegen --config <config> writes, byte for byte, without its CLI start-up): every
vendored schema version, each schema parsed once. Only files whose content changed are rewritten,
each atomically. With --check nothing is written; it exits 1 naming every generated file that
differs from what the operations and schemas produce (CI's drift check).`,
  options: {
    check: { type: 'boolean', description: 'compare instead of writing; exit 1 on drift' },
    config: { type: 'string', placeholder: '<file>', description: 'the graphql-codegen config', default: 'codegen.ts' },
  },
  async run({ options }, io) {
    const started = performance.now();
    const code = await runLeanCodegen({
      cwd: io.cwd,
      config: resolve(io.cwd, options.config as string),
      check: options.check === true,
      onOutput: (chunk, stream) => (stream === 'stdout' ? io.stdout(chunk) : io.stderr(chunk)),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      io.stderr(
        `codegen${options.check ? ' --check' : ''}: failed (graphql-codegen exited ${code}, ${seconds} s)${options.check ? '; run the codegen command without --check and commit generated/' : ''}.`,
      );
      return EXIT.failed;
    }
    io.stdout(`codegen${options.check ? ' --check: generated/ is up to date' : ': done'} (${seconds} s).`);
    return EXIT.ok;
  },
};
