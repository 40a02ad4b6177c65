import { resolve } from 'node:path';
import { diffReachable, type SchemaChange, type SchemaDiff } from '../schema/diff.js';
import { loadOperations } from '../schema/operations.js';
import { listSnapshotVersions, loadSnapshot } from '../schema/snapshot.js';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { SHIPPED_SCHEMA_DIR } from '../tooling/shippedSchemas.js';
import { apiFolder } from '../tooling/apis.js';
import { EXIT, type Command, SCHEMA_OPTIONS } from './command.js';
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

/** `schema diff <from> <to>`: the changes between two vendored versions that touch the operations. */
export const schemaDiffCommand: Command = {
  name: 'schema diff',
  summary: 'list the changes between two versions that touch what the operations reach',
  description: `Compares <schema-dir>/<from>.graphql with <schema-dir>/<to>.graphql, keeping only the changes that
touch the types, fields, arguments, input types and enums the operations reach: breaking first, then
dangerous (including new deprecations), then safe additions on reachable types.
With --api customer-account: the Customer Account API's snapshots, in <schema-dir>/customer-account/.
Exits 0 unless --fail-on-breaking is given and there are breaking changes (then 1).`,
  positionals: ['from', 'to'],
  options: {
    ...SCHEMA_OPTIONS,
    api: API_OPTION,
    json: { type: 'boolean', description: 'print the diff as JSON' },
    'fail-on-breaking': { type: 'boolean', description: 'exit 1 when there is a breaking change' },
  },
  async run({ options, positionals }, io) {
    const [from, to] = positionals as [string, string];
    assertWellFormedVersion(from, 'from version');
    assertWellFormedVersion(to, 'to version');
    const api = apiOf(options);
    const schemaDir = apiFolder(
      resolve(io.cwd, (options['schema-dir'] as string | undefined) ?? SHIPPED_SCHEMA_DIR),
      api,
    );
    const vendored = await listSnapshotVersions(schemaDir);
    for (const [what, version] of [
      ['from version', from],
      ['to version', to],
    ] as const) {
      if (!vendored.includes(version)) {
        const have = vendored.length ? `Vendored: ${vendored.join(', ')}.` : 'No snapshot is vendored there.';
        throw new ConfigurationError(
          invalidMessage(
            what,
            version,
            `There is no ${version}.graphql in ` +
              `${options['schema-dir'] ?? 'the schemas shipped in the package'}. ${have} ` +
              `Run \`schema pull${api === 'customer-account' ? ' --api customer-account' : ''} --version ${version}\` ` +
              'to add it.',
          ),
        );
      }
    }
    const loaded = await loadOperations(resolve(io.cwd, options.operations as string), io.cwd);
    if (loaded.problems.length > 0) {
      for (const problem of loaded.problems) io.stderr(problem);
      return EXIT.failed;
    }
    const [fromSchema, toSchema] = await Promise.all([loadSnapshot(schemaDir, from), loadSnapshot(schemaDir, to)]);
    const diff = diffReachable(
      { version: from, schema: fromSchema },
      { version: to, schema: toSchema },
      loaded.operations.map((o) => o.document),
    );
    io.stdout(options.json ? JSON.stringify(diff, null, 2) : formatDiff(diff));
    return options['fail-on-breaking'] && diff.changes.some((c) => c.severity === 'breaking') ? EXIT.failed : EXIT.ok;
  },
};
