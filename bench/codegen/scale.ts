import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vendoredVersions } from './versions.js';

/**
 * Codegen at scale (issue 9, point 5): `BENCH_CODEGEN_SCALE=<versions>x<operations>` (e.g. `6x100`) grows a
 * bench workspace to that many schema versions (copies of the newest snapshot under the next quarterly names)
 * and that many operations (the repo's own, then generated queries valid against every vendored version).
 */
export interface Scale {
  readonly versions: number;
  readonly operations: number;
}

/** `6x100` → `{ versions: 6, operations: 100 }`; undefined when unset. */
export function parseScale(text: string | undefined): Scale | undefined {
  if (!text) return undefined;
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match)
    throw new Error(`bench: BENCH_CODEGEN_SCALE ("${text}") is invalid. Expected <versions>x<operations>, e.g. 6x100.`);
  return { versions: Number(match[1]), operations: Number(match[2]) };
}

function nextVersion(version: string): string {
  const [year, month] = version.split('-').map(Number) as [number, number];
  return month === 10 ? `${year + 1}-01` : `${year}-${String(month + 3).padStart(2, '0')}`;
}

const CUSTOMER_FIELDS = ['id', 'email', 'firstName', 'lastName', 'displayName', 'phone', 'createdAt', 'updatedAt'];
const ADDRESS_FIELDS = ['city', 'country', 'zip', 'address1', 'province'];
const PRODUCT_FIELDS = ['id', 'title', 'handle', 'description', 'vendor', 'productType', 'createdAt'];

/** Selections valid on every vendored Storefront version; operation i picks one and a slice of its fields. */
const TEMPLATES: readonly ((name: string, i: number) => string)[] = [
  (name, i) => `query ${name}($customerAccessToken: String!) {
  customer(customerAccessToken: $customerAccessToken) {
    ${CUSTOMER_FIELDS.slice(0, 3 + (i % 6)).join('\n    ')}
    orders(first: ${1 + (i % 20)}) { nodes { id name orderNumber processedAt } }
  }
}`,
  (name, i) => `query ${name}($customerAccessToken: String!, $first: Int!) {
  customer(customerAccessToken: $customerAccessToken) {
    id
    addresses(first: $first) { nodes { id ${ADDRESS_FIELDS.slice(0, 1 + (i % 5)).join(' ')} } }
    defaultAddress { id city }
  }
}`,
  (name, i) => `query ${name}($first: Int!) {
  products(first: $first) {
    nodes { ${PRODUCT_FIELDS.slice(0, 2 + (i % 6)).join(' ')} }
    pageInfo { hasNextPage endCursor }
  }
}`,
  (name, i) => `query ${name} {
  shop { ${['name', 'description', 'moneyFormat'].slice(0, 1 + (i % 3)).join(' ')} primaryDomain { url host } }
  collections(first: ${1 + (i % 10)}) { nodes { id title handle } }
}`,
];

/** Adds schema copies and operations to `workspace` until it holds `scale`. */
export function growWorkspace(workspace: string, scale: Scale): void {
  let versions = vendoredVersions(workspace);
  const newest = versions.at(-1)!;
  for (let next = nextVersion(newest); versions.length < scale.versions; next = nextVersion(next)) {
    copyFileSync(join(workspace, 'schema', `${newest}.graphql`), join(workspace, 'schema', `${next}.graphql`));
    versions = vendoredVersions(workspace);
  }
  const operationsDir = join(workspace, 'operations');
  const existing = readdirSync(operationsDir).filter((f) => f.endsWith('.graphql') && !f.includes('.fragment.')).length;
  for (let i = 0; i < scale.operations - existing; i++) {
    const name = `Scale${String(i).padStart(3, '0')}`;
    writeFileSync(
      join(operationsDir, `${name}.graphql`),
      `# Generated for the codegen bench.\n${TEMPLATES[i % TEMPLATES.length]!(name, i)}\n`,
    );
  }
}
