import { resolve } from 'node:path';
import { checkOperations } from '../schema/check.js';
import { SHIPPED_SCHEMA_DIR } from '../tooling/shippedSchemas.js';
import { EXIT, type Command } from './command.js';

/** `schema check`: every operation against every vendored schema; one line per problem. */
export const schemaCheckCommand: Command = {
  name: 'schema check',
  summary: 'validate every operation against every vendored schema version (for CI)',
  description: `Validates every operation in <operations> (with the fragments it uses) against every
<schema-dir>/<version>.graphql, as the Storefront API would. Each problem is one line naming the
version, the operation, its file and the field, e.g.
  2026-01: CustomerAccessTokenRenew (operations/CustomerAccessTokenRenew.graphql): Cannot query field "expiresAt" on type "CustomerAccessToken".
Exits 1 when there is any problem.`,
  options: {
    'schema-dir': {
      type: 'string',
      placeholder: '<dir>',
      description: 'the folder of <version>.graphql snapshots (default: the schemas shipped in the package)',
    },
    operations: {
      type: 'string',
      placeholder: '<dir>',
      description: "the folder of the app's .graphql operations",
      default: 'operations',
    },
  },
  async run({ options }, io) {
    const started = performance.now();
    const result = await checkOperations({
      schemaDir: resolve(io.cwd, (options['schema-dir'] as string | undefined) ?? SHIPPED_SCHEMA_DIR),
      operationsDir: resolve(io.cwd, options.operations as string),
      cwd: io.cwd,
    });
    const ms = Math.round(performance.now() - started);
    if (result.problems.length > 0) {
      for (const problem of result.problems) io.stderr(problem);
      io.stderr(
        `schema check: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} (${result.operations.length} operation(s) × ${result.versions.length} version(s), ${ms} ms).`,
      );
      return EXIT.failed;
    }
    io.stdout(
      `schema check: ${result.operations.length} operation(s) valid against ${result.versions.join(', ')} (${ms} ms).`,
    );
    return EXIT.ok;
  },
};
