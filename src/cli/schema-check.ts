import { chooseVersions, retiredVersionWarnings } from '../tooling/appVersions.js';
import { retirementTime, servedVersion, shiftVersion, versionStatus } from '../runtime/versions.js';
import { EXIT, type Command, SCHEMA_OPTIONS } from './command.js';
import { askedVersions, isPackageOwn, loadPointedOperations, operationsPointer, schemasAt } from './operations.js';
import { apiFolder, apiLayout } from '../tooling/apis.js';
import { API_OPTION, apiOf } from './api.js';

/** How long a retired version's entry point stays vendored, in quarters: the README's version policy. */
export const RETIRED_GRACE_QUARTERS = 2;

/**
 * One warning per vendored version that has retired at `now`: what Shopify serves instead, and from when the
 * version policy lets the next major release remove its entry point. For the package's maintainers only.
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

/** `schema check`: operations against the schemas of the versions that matter to them; one line per problem. */
export const schemaCheckCommand: Command = {
  name: 'schema check',
  summary: 'validate operations against the schema of each API version (for CI)',
  description: `Validates every operation in <operations> (with the fragments it uses) against <schema-dir>/<version>.graphql
of each version, as the Storefront API would. An app's operations are checked against the versions Shopify
supports today (--versions for others); the package's own (operations/ beside the shipped schemas) against
every vendored version, with a warning about each retired one. Each problem is one line naming the version,
the operation, its file and the field, e.g.
  2026-01: CustomerAccessTokenRenew (operations/CustomerAccessTokenRenew.graphql): Cannot query field
  "expiresAt" on type "CustomerAccessToken".
With --api customer-account: against the Customer Account API's snapshots, in <schema-dir>/customer-account/
(the package's own Customer Account operations are operations-customer-account/).
Exits 1 when there is any problem.`,
  options: {
    ...SCHEMA_OPTIONS,
    api: API_OPTION,
  },
  async run({ options }, io) {
    const started = performance.now();
    const pointer = operationsPointer(options.operations as string, io.cwd);
    const api = apiOf(options);
    const schemas = schemasAt(options['schema-dir'], io.cwd, api);
    const packageOwn = isPackageOwn(pointer, api);
    const available = schemas.versions;
    const asked = askedVersions(options.versions);
    // No snapshot at all: the check itself says how to get one.
    const versions =
      available.length === 0 && !asked
        ? []
        : chooseVersions({ asked, available, where: schemas.where, packageOwn, now: io.now() });
    const loaded = await loadPointedOperations(pointer, io.cwd);
    const { checkLoadedOperations } = await import('../schema/check.js');
    const result = await checkLoadedOperations(loaded, { schemaDir: schemas.dir, cwd: io.cwd, versions });
    const ms = Math.round(performance.now() - started);
    const warnings = packageOwn
      ? retiredWarnings(result.versions, io.now(), apiFolder('schema', api))
      : retiredVersionWarnings(result.versions, available, io.now(), apiLayout(api).title).map(
          (w) => `schema check: ${w}`,
        );
    for (const line of warnings) io.stderr(line);
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
