#!/usr/bin/env node
// Builds the published package: a clean dist/ from tsconfig.build.json (JavaScript + .d.ts for every
// entry point), then marks the CLI executable. Run by `npm run build` and by `prepack`, so `npm pack`
// and `npm publish` can never ship a stale or partial dist/.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('build: tsc -p tsconfig.build.json failed; dist/ is incomplete and must not be packed.');
  process.exit(result.status ?? 1);
}

// npm makes bin targets executable on install; doing it here too lets `node dist/...` and `./dist/...` agree.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const target of Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : pkg.bin ?? {})) {
  const file = join(root, target);
  if (!existsSync(file)) {
    console.error(`build: the bin target ${target} was not emitted. Check package.json "bin" against src/.`);
    process.exit(1);
  }
  chmodSync(file, 0o755);
}
