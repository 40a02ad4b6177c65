import type { SchemaChange, SchemaDiff } from '../schema/diff.js';
import { join, relative } from 'node:path';
import { ConfigurationError, invalidMessage, LIBRARY } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { EXIT, type Command, SCHEMA_OPTIONS, UsageError } from './command.js';
import { askedVersions, loadPointedOperations, operationsPointer, schemasAt } from './operations.js';
import { API_OPTION, apiOf } from './api.js';

const LABEL = { breaking: 'BREAKING ', dangerous: 'DANGEROUS', safe: 'SAFE     ' } as const;

/** The plain-text report of a {@link SchemaDiff}: a summary line, then one line per change, breaking first. */
export function formatDiff(diff: SchemaDiff): string {
  const count = (severity: string) => diff.changes.filter((c) => c.severity === severity).length;
  const head =
    `schema diff ${diff.from} → ${diff.to}: ${count('breaking')} breaking, ` +
    `${count('dangerous')} dangerous, ${count('safe')} safe change(s) touching what the ` +
    `operations reach (${diff.reachable.types.length} types, ${diff.reachable.fields.length} ` +
    'selected fields).';
  const line = (c: SchemaChange) =>
    `${LABEL[c.severity]}  ${c.type.padEnd(28)} ${c.description}  [affects: ${c.operations.join(', ') || 'none'}]`;
  return [head, ...diff.changes.map(line)].join('\n');
}

/** `schema diff <from> <to>` (or `--versions a,b,c`): the changes between versions that touch the operations. */
export const schemaDiffCommand: Command = {
  name: 'schema diff',
  summary: 'list the changes between two versions that touch what the operations reach',
  description: `Compares <schema-dir>/<from>.graphql with <schema-dir>/<to>.graphql, keeping only the changes that
touch the types, fields, arguments, input types and enums the operations reach: breaking first, then
dangerous (including new deprecations), then safe additions on reachable types.
With --versions v1,v2,v3 instead of <from> <to>, each version is compared with the next (--json: an array).
With --api customer-account: the Customer Account API's snapshots, in <schema-dir>/customer-account/.
Exits 0 unless --fail-on-breaking is given and there are breaking changes (then 1).`,
  positionals: ['from', 'to'],
  positionalsOptional: true,
  options: {
    ...SCHEMA_OPTIONS,
    api: API_OPTION,
    versions: {
      ...SCHEMA_OPTIONS.versions,
      description: 'comma-separated API versions, each compared with the next (instead of <from> <to>)',
    },
    json: { type: 'boolean', description: 'print the diff as JSON' },
    'fail-on-breaking': { type: 'boolean', description: 'exit 1 when there is a breaking change' },
  },
  async run({ options, positionals }, io) {
    const asked = askedVersions(options.versions);
    if (asked && positionals.length > 0)
      throw new UsageError('"schema diff" takes <from> <to> or --versions <v1,v2,…>, not both.');
    if (!asked && positionals.length === 0)
      throw new UsageError('"schema diff" needs <from> <to> (or --versions <v1,v2,…>): schema diff <from> <to>.');
    if (asked && asked.length < 2)
      throw new UsageError('"schema diff" --versions needs two versions or more, e.g. --versions 2026-01,2026-04.');
    const [from, to] = positionals as [string, string];
    if (!asked) {
      assertWellFormedVersion(from, 'from version');
      assertWellFormedVersion(to, 'to version');
    }
    const versions = asked ?? [from, to];
    const api = apiOf(options);
    const schemas = schemasAt(options['schema-dir'], io.cwd, api);
    versions.forEach((version, i) => {
      if (schemas.versions.includes(version)) return;
      const have = schemas.versions.length
        ? `Vendored: ${schemas.versions.join(', ')}.`
        : 'No snapshot is vendored there.';
      const what = asked ? 'version' : i === 0 ? 'from version' : 'to version';
      throw new ConfigurationError(
        invalidMessage(
          what,
          version,
          `There is no ${version}.graphql in ${schemas.where}. ${have} Run \`schema pull${api === 'customer-account' ? ' --api customer-account' : ''} --version ${version}\` to add it.`,
        ),
      );
    });
    const pointer = operationsPointer(options.operations as string, io.cwd);
    const loaded = await loadPointedOperations(pointer, io.cwd);
    if (loaded.problems.length > 0) {
      for (const problem of loaded.problems) io.stderr(problem);
      return EXIT.failed;
    }
    const [{ diffReachable }, { loadSnapshot }] = await Promise.all([
      import('../schema/diff.js'),
      import('../schema/snapshot.js'),
    ]);
    const loadedSchemas = await Promise.all(
      versions.map((v) =>
        loadSnapshot(schemas.dir, v).catch((error: Error) => {
          if (error.message.startsWith(`${LIBRARY}:`)) throw error;
          // A parse error alone names neither the file nor the fix.
          const file = relative(io.cwd, join(schemas.dir, `${v}.graphql`));
          throw new Error(
            `${LIBRARY}: ${file} is not a readable schema (${error.message}). Run \`schema pull` +
              `${api === 'customer-account' ? ' --api customer-account' : ''} --version ${v}\` to write it again.`,
          );
        }),
      ),
    );
    const documents = loaded.operations.map((o) => o.document);
    const diffs = versions
      .slice(1)
      .map((version, i) =>
        diffReachable(
          { version: versions[i]!, schema: loadedSchemas[i]! },
          { version, schema: loadedSchemas[i + 1]! },
          documents,
        ),
      );
    if (options.json) io.stdout(JSON.stringify(asked ? diffs : diffs[0], null, 2));
    else io.stdout(diffs.map(formatDiff).join('\n\n'));
    const breaking = diffs.some((d) => d.changes.some((c) => c.severity === 'breaking'));
    return options['fail-on-breaking'] && breaking ? EXIT.failed : EXIT.ok;
  },
};
