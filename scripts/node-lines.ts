/**
 * `npm run test:node-lines`: runs the whole test suite (`vitest run --typecheck`) on each supported Node
 * line other than the machine's, using the npm `node` package (`npx -p node@<line>`), so the `engines`
 * range in package.json is a tested claim. Lines: the arguments, or 22 and 24 by default.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { childNpmEnv, npm, root } from './pack.js';

const lines = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['22', '24'];
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const results: Array<{ line: string; version: string; ok: boolean; seconds: number }> = [];

for (const line of lines) {
  if (!/^\d+$/.test(line)) {
    console.error(`test:node-lines: the provided line ("${line}") is invalid. Expected a major version, e.g. 22.`);
    process.exit(2);
  }
  const npx = [npm === 'npm' ? 'npx' : 'npx.cmd', ['-y', '-p', `node@${line}`, 'node']] as const;
  const version = spawnSync(npx[0], [...npx[1], '--version'], { cwd: root, env: childNpmEnv(), encoding: 'utf8' });
  if (version.status !== 0) {
    console.error(`test:node-lines: could not get Node ${line} from the npm "node" package:\n${version.stderr}`);
    process.exit(1);
  }
  const actual = version.stdout.trim();
  console.log(`\n== Node ${actual}: vitest run --typecheck`);
  const started = Date.now();
  const run = spawnSync(npx[0], [...npx[1], vitest, 'run', '--typecheck'], {
    cwd: root,
    env: childNpmEnv(),
    stdio: 'inherit',
  });
  results.push({ line, version: actual, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log('\n== Node lines');
for (const r of results) console.log(`  Node ${r.version}: ${r.ok ? 'passed' : 'FAILED'} (${r.seconds}s)`);
if (results.some((r) => !r.ok)) process.exit(1);
