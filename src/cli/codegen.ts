import { statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import { shippedVersions } from '../tooling/shippedSchemas.js';
import { chooseVersions, retiredVersionWarnings } from '../tooling/appVersions.js';
import { EXIT, OPERATIONS_OPTION, UsageError, VERSIONS_OPTION, type Command } from './command.js';
import { askedVersions, loadPointedOperations, operationsPointer } from './operations.js';
import { apiFolder, apiLayout } from '../tooling/apis.js';
import { SHIPPED_SCHEMA_DIR } from '../tooling/shippedSchemas.js';
import { API_OPTION, apiOf } from './api.js';

/**
 * `codegen --operations <dir|glob> --out <dir>`: an app's own operations compiled against the schemas shipped in
 * the package into per-version documents bound to their version (the `storefront-customer-session/codegen`
 * config, run by the app's own graphql-codegen). Writes only changed files, each atomically; `--check` writes
 * nothing and fails on drift.
 */
export const codegenCommand: Command = {
  name: 'codegen',
  summary: "compile the app's .graphql operations into version-bound typed documents (--check: fail on drift)",
  description: `Compiles the operations in <operations> (a folder, or a quoted glob) against the Storefront schemas shipped in
this package, one folder per API version: <dir>/<version>/graphql.ts (graphql-codegen's client preset: types
and documents) and <dir>/<version>/documents.ts, whose documents are bound to <version> (another version's
exchanges refuse them) with $customerAccessToken optional where an operation declares it (String!).
Without --versions: the shipped versions Shopify supports today.
Runs the app's own @graphql-codegen/cli (5, 6 or 7) and @graphql-codegen/client-preset. Only files
whose content changed are rewritten, each atomically. With --check nothing is written; it exits 1
naming every file that differs (for CI).
With --api customer-account: against the Customer Account schemas shipped in this package, into
<dir>/customer-account/<version>/, each document bound to that Customer Account version (every Storefront
exchange refuses it).`,
  options: {
    api: API_OPTION,
    operations: OPERATIONS_OPTION,
    out: { type: 'string', placeholder: '<dir>', description: 'the folder for <version>/graphql.ts and documents.ts' },
    versions: VERSIONS_OPTION,
    check: { type: 'boolean', description: 'compare instead of writing; exit 1 on drift' },
  },
  async run({ options }, io) {
    if (typeof options.operations !== 'string' || typeof options.out !== 'string') {
      throw new UsageError(
        'codegen needs --operations <dir|glob> and --out <dir>, ' +
          "e.g. codegen --operations 'app/**/*.graphql' --out app/generated.",
      );
    }
    assertOutFolder(options.out, io.cwd);
    const started = performance.now();
    const pointer = operationsPointer(options.operations, io.cwd);
    const api = apiOf(options);
    const available = shippedVersions(apiFolder(SHIPPED_SCHEMA_DIR, api));
    const versions = chooseVersions({
      asked: askedVersions(options.versions),
      available,
      where: `the ${api === 'storefront' ? '' : `${apiLayout(api).title} `}schemas shipped in the package`,
      packageOwn: false,
      now: io.now(),
    });
    for (const warning of retiredVersionWarnings(versions, available, io.now())) io.stderr(`codegen: ${warning}`);
    const loaded = await loadPointedOperations(pointer, io.cwd);
    if (loaded.problems.length > 0) {
      for (const problem of loaded.problems) io.stderr(problem);
      io.stderr('codegen: failed; nothing was written.');
      return EXIT.failed;
    }
    // Exactly the files the pointer matched, so graphql-codegen reads what `schema check` reads.
    const files = [...new Set([...loaded.operations, ...loaded.fragments].map((o) => o.file))].sort();
    const [{ loadAppCodegen }, { syncGeneratedFiles }, { sharingLoadedSchema, storefrontCodegen }] = await Promise.all([
      import('../codegen/appTooling.js'),
      import('../codegen/output.js'),
      import('../codegen/storefrontCodegen.js'),
    ]);
    const config = storefrontCodegen({ operations: files, out: options.out, versions, cwd: io.cwd, api });
    for (const output of Object.keys(config.generates)) {
      // <out>/<version>/ and <out>/customer-account/ must be folders (or not exist yet).
      const folder = output.endsWith('/') ? output.slice(0, -1) : dirname(output);
      for (const path of [dirname(folder), folder]) {
        if (statSync(resolve(io.cwd, path), { throwIfNoEntry: false })?.isDirectory() === false) {
          throw new UsageError(
            `${JSON.stringify(path)} is a file, and codegen writes a folder there (<out>/<version>/documents.ts). ` +
              'Remove or rename it, or pass another --out.',
          );
        }
      }
    }
    const codegen = await loadAppCodegen(io.cwd);
    // The app's client preset object, so graphql-codegen never has to resolve `preset: 'client'` itself, on the schema
    // graphql-codegen loads once per version (not rebuilt for each of the preset's files). Without its
    // prepareDocuments, which adds `!<out>/<version>/` to the documents so that the preset never reads the code it
    // generated: these documents are .graphql/.gql files, never that code, and the addition made each version's
    // document set a new one that graphql-codegen loaded again, one glob per file (a third of the CPU time at 100
    // operations).
    const preset = { ...sharingLoadedSchema(codegen.clientPreset), prepareDocuments: undefined };
    for (const output of Object.values(config.generates)) if (output.preset) Object.assign(output, { preset });
    let generated;
    try {
      generated = await codegen.generate({ ...config, cwd: io.cwd, silent: true }, false);
    } catch (error) {
      for (const detail of errorsByVersion(error, Object.keys(config.generates), versions)) io.stderr(detail);
      io.stderr(`codegen: failed (@graphql-codegen/cli ${codegen.versions.cli}); nothing was written.`);
      return EXIT.failed;
    }
    // graphql-codegen answers with paths relative to where it ran; keep them relative to the app.
    const relativeFiles = generated.map((f) => ({
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
      io.stdout(`codegen --check: ${generated.length} files up to date for ${versions.join(', ')} (${seconds} s).`);
      return EXIT.ok;
    }
    for (const file of result.written) io.stdout(`  wrote ${file}`);
    io.stdout(
      `codegen: ${result.written.length} written, ${result.unchanged.length} unchanged for ${versions.join(', ')} ` +
        `(${seconds} s, @graphql-codegen/cli ${codegen.versions.cli}).`,
    );
    return EXIT.ok;
  },
};

/** `--out` is the folder that gets one sub-folder per version: refuse a file, or a name that reads as one. */
function assertOutFolder(out: string, cwd: string): void {
  const stat = statSync(resolve(cwd, out), { throwIfNoEntry: false });
  if ((stat && !stat.isDirectory()) || (!stat && /^\.[cm]?[jt]sx?$/.test(extname(out)))) {
    throw new UsageError(
      `--out ${JSON.stringify(out)} ${stat ? 'is a file' : 'names a file'}: codegen writes a folder per API version ` +
        'there (<out>/<version>/documents.ts). Pass a folder, e.g. --out app/generated.',
    );
  }
}

/**
 * One entry per distinct message of an error graphql-codegen throws (an AggregateError or a listr error with
 * `errors`), each starting with the API versions it failed for: graphql-codegen names the output (`source`), and
 * each output belongs to one version. An error with no output named is put on every version generated.
 */
export function errorsByVersion(error: unknown, outputs: readonly string[], versions: readonly string[]): string[] {
  const byMessage = new Map<string, Set<string>>();
  const collect = (e: unknown): void => {
    const nested = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.length > 0) return nested.forEach(collect);
    const details = (e as { details?: string }).details;
    const message = [e instanceof Error ? e.message : String(e), ...(details ? [details] : [])].join('\n').trim();
    const source = (e as { source?: unknown }).source;
    const output = typeof source === 'string' ? outputs.find((o) => o === source) : undefined;
    const owner = output ? versions.filter((v) => output.includes(`/${v}/`)) : [];
    const seen = byMessage.get(message) ?? new Set<string>();
    for (const version of owner.length ? owner : versions) seen.add(version);
    byMessage.set(message, seen);
  };
  collect(error);
  return [...byMessage].map(([message, seen]) => {
    const [first, ...rest] = message.split('\n');
    const label = versions.filter((v) => seen.has(v)).join(', ');
    return [`codegen: ${label}: ${first}`, ...rest].join('\n');
  });
}
