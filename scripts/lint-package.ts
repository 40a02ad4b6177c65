/**
 * `npm run lint:package`: packs once, then lints that tarball with publint (strict: warnings fail) and
 * @arethetypeswrong/cli. The package is ESM-only (CommonJS callers use require(esm), Node ^20.19 and
 * >=22.12), so attw runs the esm-only profile: node10 and node16-from-CJS are shown but ignored. attw does
 * not expand subpath patterns, so every API version in the tarball is named explicitly; adding a version
 * needs no edit here.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packPackage, packedCustomerAccountVersions, packedVersions, root } from './pack.js';

const packed = await packPackage();
const versions = packedVersions(packed);
const customerAccountVersions = packedCustomerAccountVersions(packed);
const entrypoints = [...versions, ...customerAccountVersions.map((v) => `customer-account/${v}`)].map((v) => `./${v}`);
let failed = versions.length === 0;
if (failed)
  console.error(
    'lint:package: the tarball holds no dist/generated/<version>/entry.js. Run `npm run codegen`, then build.',
  );

function step(title: string, bin: string, args: string[]): void {
  console.log(`\n== ${title}`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules', bin), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}

step('publint --strict', 'publint/src/cli.js', ['run', packed.tarball, '--strict']);
step(
  `attw --profile esm-only (., ./testing, ./redis, ${entrypoints.join(', ')})`,
  '@arethetypeswrong/cli/dist/index.js',
  [
    packed.tarball,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    '--no-color',
    '--exclude-entrypoints',
    './2*',
    './customer-account/2*',
    '--include-entrypoints',
    ...entrypoints,
  ],
);

rmSync(dirname(packed.tarball), { recursive: true, force: true });
if (failed) {
  console.error('\nlint:package: the packed package has problems (above).');
  process.exit(1);
}
console.log(
  `\nlint:package: ${packed.name}@${packed.version} is clean (${packed.files.length} files, ` +
    `API versions ${versions.join(', ')}; Customer Account ${customerAccountVersions.join(', ') || 'none'}).`,
);
