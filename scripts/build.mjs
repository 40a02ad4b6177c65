#!/usr/bin/env node
// Builds the published package: a clean dist/ from tsconfig.build.json (JavaScript + .d.ts for every
// entry point), the vendored schema snapshots beside it, then marks the CLI executable. Run by `npm run build` and by
// `prepack`, so `npm pack`
// and `npm publish` can never ship a stale or partial dist/.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('build: tsc -p tsconfig.build.json failed; dist/ is incomplete and must not be packed.');
  process.exit(result.status ?? 1);
}

// The emulator (and the CLI through it) reads the vendored snapshots at runtime from `../../schema`
// relative to src/testing/, which from dist/src/testing/ is dist/schema: ship them there, so dist/ is
// self-contained and the same relative path works from sources and from the package.
const schemas = readdirSync(join(root, 'schema')).filter((name) =>
  /^(\d{4}-(01|04|07|10)|unstable)\.graphql$/.test(name),
);
if (schemas.length === 0) {
  console.error('build: schema/ holds no <version>.graphql snapshot. Run `schema pull --version <YYYY-MM>` first.');
  process.exit(1);
}
mkdirSync(join(root, 'dist', 'schema'), { recursive: true });
for (const name of schemas) copyFileSync(join(root, 'schema', name), join(root, 'dist', 'schema', name));
// The Customer Account API's snapshots, in the same sub-folder (the app codegen, schema check and the emulator's
// Customer Account endpoint read them from there).
const customerAccount = join(root, 'schema', 'customer-account');
if (existsSync(customerAccount)) {
  mkdirSync(join(root, 'dist', 'schema', 'customer-account'), { recursive: true });
  for (const name of readdirSync(customerAccount).filter((n) => /^(\d{4}-(01|04|07|10)|unstable)\.graphql$/.test(n)))
    copyFileSync(join(customerAccount, name), join(root, 'dist', 'schema', 'customer-account', name));
}

// npm makes bin targets executable on install; doing it here too lets `node dist/...` and `./dist/...` agree.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const target of Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {}))) {
  const file = join(root, target);
  if (!existsSync(file)) {
    console.error(`build: the bin target ${target} was not emitted. Check package.json "bin" against src/.`);
    process.exit(1);
  }
  chmodSync(file, 0o755);
}
