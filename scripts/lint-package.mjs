#!/usr/bin/env node
// `npm run lint:package`: packs once, then lints that tarball with publint (strict: warnings fail) and
// @arethetypeswrong/cli. The package is ESM-only (require(esm) on Node ^20.19 / >=22.12 covers CommonJS
// callers), so attw runs the esm-only profile: node10 and node16-from-CJS resolutions are reported but
// ignored. attw does not expand subpath patterns, so every generated API version is named explicitly,
// discovered from the tarball, so adding a version needs no edit here.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packPackage, root } from './pack.mjs';

const bin = (/** @type {string} */ pkg, /** @type {string} */ file) => join(root, 'node_modules', pkg, file);

const packed = await packPackage();
const versions = [...new Set(packed.files.map((f) => /^dist\/generated\/([^/]+)\/entry\.js$/.exec(f)?.[1]).filter(Boolean))];
if (versions.length === 0) {
  console.error('lint:package: the tarball holds no dist/generated/<version>/entry.js. Run `npm run codegen`, then build.');
  process.exit(1);
}

let failed = false;
const step = (/** @type {string} */ title, /** @type {string[]} */ args) => {
  console.log(`\n== ${title}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed = true;
};

step('publint --strict', [bin('publint', 'src/cli.js'), 'run', packed.tarball, '--strict']);
step(`attw --profile esm-only (entry points: ., ./testing, ${versions.map((v) => `./${v}`).join(', ')})`, [
  bin('@arethetypeswrong/cli', 'dist/index.js'),
  packed.tarball,
  '--profile', 'esm-only',
  '--format', 'table-flipped',
  '--include-entrypoints', ...versions.map((v) => `./${v}`),
]);

rmSync(dirname(packed.tarball), { recursive: true, force: true });
if (failed) {
  console.error('\nlint:package: the packed package has problems (above).');
  process.exit(1);
}
console.log(`\nlint:package: ${packed.name}@${packed.version} is clean (${packed.files.length} files, ${versions.length} API versions).`);
