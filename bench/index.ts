/**
 * `npm run bench`: every section in one run, each printing its table(s) as it finishes, then every target
 * of issue 5 stated as met or not with its figure. Pass section names to run only some of them:
 * `npm run bench -- bundle storm`. `--quick` (or BENCH_QUICK=1) runs every section with few rounds and short
 * slices, about a minute: what CI runs, to prove the bench works, not to measure. Rounds and slice lengths can be
 * changed with BENCH_CODEGEN_ROUNDS, BENCH_RUNTIME_ROUNDS, BENCH_SLICE_MS and BENCH_STORM_ROUNDS.
 */
import { runBundleBench } from './bundle.js';
import { runCodegenBench } from './codegen.js';
import { commitLine, machineLine } from './lib/machine.js';
import { quickMode } from './lib/main.js';
import { ROOT } from './lib/scratch.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';
import { runRuntimeBench } from './runtime.js';
import { runStormBench } from './storm.js';

const SECTIONS: Record<string, () => Promise<{ tables: Table[]; verdicts: Verdict[] }>> = {
  codegen: () => runCodegenBench(),
  bundle: () => runBundleBench(),
  runtime: () => runRuntimeBench(),
  storm: () => runStormBench(),
};

const FLAGS = ['--quick'];
const args = process.argv.slice(2);
const asked = args.filter((arg) => !FLAGS.includes(arg));
const unknown = asked.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(
    `bench: unknown section ${unknown.map((n) => `"${n}"`).join(', ')}. Expected any of: ` +
      `${Object.keys(SECTIONS).join(', ')}; and the flag --quick.`,
  );
  process.exit(2);
}

const started = performance.now();
console.log(
  `Machine: ${machineLine()}\nCode: ${commitLine(ROOT)}\nCommand: npm run ` +
    `bench${args.length ? ` -- ${args.join(' ')}` : ''}${quickMode() ? ' (quick: few rounds, smoke figures)' : ''}\n`,
);
const verdicts: Verdict[] = [];
for (const name of asked.length ? asked : Object.keys(SECTIONS)) {
  const section = await SECTIONS[name]!();
  for (const table of section.tables) console.log(renderTable(table));
  verdicts.push(...section.verdicts);
}
console.log(
  `### Targets\n\n${renderVerdicts(verdicts)}\nTotal: ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
