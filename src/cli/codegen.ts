import { relative, resolve } from 'node:path';
import { loadAppCodegen } from '../codegen/appTooling.js';
import { syncGeneratedFiles } from '../codegen/output.js';
import { storefrontCodegen } from '../codegen/storefrontCodegen.js';
import { EXIT, UsageError, type Command } from './command.js';
import { API_OPTION, apiOf } from './api.js';

/**
 * `codegen --operations <glob> --out <dir>`: an app's own operations compiled against the schemas shipped in
 * the package into per-version documents bound to their version (the `storefront-customer-session/codegen`
 * config, run by the app's own graphql-codegen). Writes only changed files, each atomically; `--check` writes
 * nothing and fails on drift.
 */
export const codegenCommand: Command = {
  name: 'codegen',
  summary: "compile the app's .graphql operations into version-bound typed documents (--check: fail on drift)",
  description: `Compiles the operations matched by <glob> against the Storefront schemas shipped in this package,
one folder per API version: <dir>/<version>/graphql.ts (graphql-codegen's client preset: types and
documents) and <dir>/<version>/documents.ts, whose documents are bound to <version> (another version's
exchanges refuse them) with $customerAccessToken optional where an operation declares it (String!).
Runs the app's own @graphql-codegen/cli (5, 6 or 7) and @graphql-codegen/client-preset. Only files
whose content changed are rewritten, each atomically. With --check nothing is written; it exits 1
naming every file that differs (for CI).
With --api customer-account: against the Customer Account schemas shipped in this package, into
<dir>/customer-account/<version>/, each document bound to that Customer Account version (every Storefront
exchange refuses it).`,
  options: {
    api: API_OPTION,
    operations: {
      type: 'string',
      placeholder: '<glob>',
      description: "the app's .graphql files, e.g. 'app/**/*.graphql'",
    },
    out: { type: 'string', placeholder: '<dir>', description: 'the folder for <version>/graphql.ts and documents.ts' },
    versions: {
      type: 'string',
      placeholder: '<v1,v2>',
      description: 'comma-separated API versions (default: every version shipped in the package)',
    },
    check: { type: 'boolean', description: 'compare instead of writing; exit 1 on drift' },
  },
  async run({ options }, io) {
    if (typeof options.operations !== 'string' || typeof options.out !== 'string') {
      throw new UsageError(
        'codegen needs --operations <glob> and --out <dir>, ' +
          "e.g. codegen --operations 'app/**/*.graphql' --out app/generated.",
      );
    }
    const started = performance.now();
    const versions =
      typeof options.versions === 'string'
        ? options.versions
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : undefined;
    const api = apiOf(options);
    const config = storefrontCodegen({ operations: options.operations, out: options.out, versions, cwd: io.cwd, api });
    const codegen = await loadAppCodegen(io.cwd);
    // The app's client preset object, so graphql-codegen never has to resolve `preset: 'client'` itself.
    for (const output of Object.values(config.generates))
      if (output.preset) Object.assign(output, { preset: codegen.clientPreset });
    let files;
    try {
      files = await codegen.generate({ ...config, cwd: io.cwd, silent: true }, false);
    } catch (error) {
      for (const detail of errorDetails(error)) io.stderr(detail);
      io.stderr(`codegen: failed (@graphql-codegen/cli ${codegen.versions.cli}); nothing was written.`);
      return EXIT.failed;
    }
    // graphql-codegen answers with paths relative to where it ran; keep them relative to the app.
    const relativeFiles = files.map((f) => ({
      filename: relative(io.cwd, resolve(io.cwd, f.filename)),
      content: f.content,
    }));
    const result = await syncGeneratedFiles(io.cwd, relativeFiles, { check: options.check === true });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (options.check) {
      if (result.stale.length > 0) {
        io.stderr(
          `codegen --check: ${result.stale.length} stale file(s); run codegen without --check and commit them:`,
        );
        for (const file of result.stale) io.stderr(`  - ${file}`);
        return EXIT.failed;
      }
      io.stdout(`codegen --check: ${files.length} files up to date (${seconds} s).`);
      return EXIT.ok;
    }
    for (const file of result.written) io.stdout(`  wrote ${file}`);
    io.stdout(
      `codegen: ${result.written.length} written, ${result.unchanged.length} unchanged ` +
        `(${seconds} s, @graphql-codegen/cli ${codegen.versions.cli}).`,
    );
    return EXIT.ok;
  },
};

/** The messages of an error graphql-codegen throws (an AggregateError or a listr error with `errors`). */
function errorDetails(error: unknown): string[] {
  const nested = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(nested) && nested.length > 0) return nested.flatMap(errorDetails);
  const details = (error as { details?: string }).details;
  return [error instanceof Error ? error.message : String(error), ...(details ? [details] : [])];
}
