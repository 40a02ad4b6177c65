import { snapshotVersions } from '../../src/tooling/shippedSchemas.js';

/** The vendored versions in `<root>/schema/`, as codegen.ts finds them. */
export function vendoredVersions(root: string): string[] {
  return snapshotVersions(`${root}/schema`);
}
