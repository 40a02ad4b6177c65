import { readdirSync } from 'node:fs';

/** The vendored versions in `<root>/schema/`, as codegen.ts finds them. */
export function vendoredVersions(root: string): string[] {
  return readdirSync(`${root}/schema`)
    .filter((name) => /^(\d{4}-(01|04|07|10)|unstable)\.graphql$/.test(name))
    .map((name) => name.slice(0, -'.graphql'.length))
    .sort();
}
