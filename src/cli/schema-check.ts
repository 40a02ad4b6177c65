import { resolve } from 'node:path';
import { checkOperations } from '../schema/check.js';
import { SHIPPED_SCHEMA_DIR } from '../tooling/shippedSchemas.js';
import { retirementTime, servedVersion, shiftVersion, versionStatus } from '../runtime/versions.js';
import { apiFolder } from '../tooling/apis.js';
import { EXIT, type Command, SCHEMA_OPTIONS } from './command.js';
import { API_OPTION, apiOf } from './api.js';

/** How long a retired version's entry point stays vendored, in quarters: the README's version policy. */
export const RETIRED_GRACE_QUARTERS = 2;

/**
 * One warning per vendored version that has retired at `now`: what Shopify serves instead, and from when the
 * version policy lets the next major release remove its entry point.
 */
export function retiredWarnings(versions: readonly string[], now: number, snapshots = 'schema'): string[] {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return versions
    .filter((v) => versionStatus(v, now) === 'retired')
    .map((v) => {
      const removable = retirementTime(shiftVersion(v, RETIRED_GRACE_QUARTERS));
      return (
        `schema check: warning: ${v} is vendored but retired on ${day(retirementTime(v))}; Shopify serves ` +
        `${servedVersion(v, now)} for it. Its entry point stays until the first major release ` +
        `from ${day(removable)}; ` +
        `then delete ${snapshots}/${v}.graphql and run npm run codegen.`
      );
    });
}

/** `schema check`: every operation against every vendored schema; one line per problem. */
export const schemaCheckCommand: Command = {
  name: 'schema check',
  summary: 'validate every operation against every vendored schema version (for CI)',
  description: `Validates every operation in <operations> (with the fragments it uses) against every
<schema-dir>/<version>.graphql, as the Storefront API would. Each problem is one line naming the
version, the operation, its file and the field, e.g.
  2026-01: CustomerAccessTokenRenew (operations/CustomerAccessTokenRenew.graphql): Cannot query field
  "expiresAt" on type "CustomerAccessToken".
Warns (stderr, exit code unchanged) about each vendored version that has retired.
With --api customer-account: the Customer Account API's snapshots, in <schema-dir>/customer-account/.
Exits 1 when there is any problem.`,
  options: {
    ...SCHEMA_OPTIONS,
    api: API_OPTION,
  },
  async run({ options }, io) {
    const started = performance.now();
    const api = apiOf(options);
    const schemaRoot = resolve(io.cwd, (options['schema-dir'] as string | undefined) ?? SHIPPED_SCHEMA_DIR);
    const result = await checkOperations({
      schemaDir: apiFolder(schemaRoot, api),
      operationsDir: resolve(io.cwd, options.operations as string),
      cwd: io.cwd,
    });
    const ms = Math.round(performance.now() - started);
    for (const line of retiredWarnings(result.versions, io.now(), apiFolder('schema', api))) io.stderr(line);
    if (result.problems.length > 0) {
      for (const problem of result.problems) io.stderr(problem);
      io.stderr(
        `schema check: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} ` +
          `(${result.operations.length} operation(s) × ${result.versions.length} version(s), ${ms} ` +
          'ms).',
      );
      return EXIT.failed;
    }
    io.stdout(
      `schema check: ${result.operations.length} operation(s) valid against ${result.versions.join(', ')} (${ms} ms).`,
    );
    return EXIT.ok;
  },
};
