/**
 * Section 3a, throughput: customer queries per second against the emulator on loopback, through this
 * package's exchanges, through urql with only `fetchExchange`, and with bare `fetch`; one at a time and
 * 50 in flight. The emulator runs in its own process and so does each contender (bench/lib/contender-child.ts):
 * no contender shares a heap, a JIT or an event loop with another, and its CPU time per query is its own.
 * The contenders alternate in one-slice turns (rotating who goes first) for several rounds, and the ratio is the
 * median of the per-round ratios. Then the overhead table (bench/runtime-overhead.ts): CPU and bytes allocated per
 * query with a stub fetch, in production and development, against plain urql and urql + authExchange.
 * Run alone: `npx tsx bench/runtime.ts`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatExpiresAt } from '../src/testing/index.js';
import { compileAuthPolicy, compilePackage } from './lib/compiled.js';
import { CONTENDERS, VERSION } from './lib/contenders.js';
import type { Slice } from './lib/drive.js';
import { envInt, isMain, quickMode } from './lib/main.js';
import { assertOwnProcesses, startContender, type RemoteContender } from './lib/remote-contender.js';
import { startRemoteEmulator } from './lib/remote-emulator.js';
import { SCRATCH } from './lib/scratch.js';
import { median } from './lib/stats.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';
import { runOverheadBench, type OverheadProcess } from './runtime-overhead.js';

export { assertOwnProcesses };

const CONCURRENCY = 50;
/** The throughput contenders (the overhead table adds urql + authExchange). */
const NAMES = { ours: CONTENDERS.ours, plain: CONTENDERS.plain, bare: CONTENDERS.bare };
type ThroughputKey = keyof typeof NAMES;

/** One load shape; `target` marks the modes the issue's 0.97 target is about. */
interface Mode {
  readonly label: string;
  readonly where: 'loopback' | 'stub';
  readonly workers: number;
  readonly target: boolean;
}

const MODES: readonly Mode[] = [
  { label: 'loopback, sequential', where: 'loopback', workers: 1, target: true },
  { label: `loopback, ${CONCURRENCY} concurrent`, where: 'loopback', workers: CONCURRENCY, target: true },
  { label: 'stub fetch, sequential', where: 'stub', workers: 1, target: false },
  { label: `stub fetch, ${CONCURRENCY} concurrent`, where: 'stub', workers: CONCURRENCY, target: false },
];

/** Per contender and mode, the slice of every round. */
type Samples = Map<string, Slice[]>;

/**
 * Runs section 3a and returns its tables (throughput, then overhead) and verdicts; `processes` are the throughput
 * contenders' pids, `overheadProcesses` the overhead table's.
 */
export async function runRuntimeBench(
  rounds = envInt('BENCH_RUNTIME_ROUNDS', quickMode() ? 2 : 10),
  sliceMs = envInt('BENCH_SLICE_MS', quickMode() ? 200 : 500),
): Promise<{
  tables: Table[];
  verdicts: Verdict[];
  processes: Record<ThroughputKey, number>;
  overheadProcesses: OverheadProcess[];
}> {
  const emulator = await startRemoteEmulator();
  const folder = join(SCRATCH, `runtime-${process.pid}`);
  const contenders: RemoteContender[] = [];
  try {
    const { accessToken, expiresAt } = await emulator.issue();
    const setup = {
      packageFile: await compilePackage(folder),
      authFile: await compileAuthPolicy(folder),
      url: emulator.url,
      publicAccessToken: emulator.publicAccessToken,
      accessToken,
      expiresAt: formatExpiresAt(expiresAt),
      now: emulator.now(),
      documents: CONCURRENCY,
    };
    for (const key of Object.keys(NAMES) as ThroughputKey[]) contenders.push(await startContender({ ...setup, key }));
    assertOwnProcesses(contenders);
    const samples: Samples = new Map();
    // Warm-up: connections, JIT, the emulator's document cache.
    for (const mode of MODES)
      for (const c of contenders) await c.slice(mode.where, mode.workers, Math.min(300, sliceMs));
    for (let round = 0; round < rounds; round++) {
      for (const mode of MODES) {
        for (let i = 0; i < contenders.length; i++) {
          const c = contenders[(i + round) % contenders.length]!;
          const key = `${mode.label}|${CONTENDERS[c.key]}`;
          samples.set(key, [...(samples.get(key) ?? []), await c.slice(mode.where, mode.workers, sliceMs)]);
        }
      }
    }
    const processes = Object.fromEntries(contenders.map((c) => [c.key, c.pid])) as Record<ThroughputKey, number>;
    const throughput = summarise(samples, rounds, sliceMs);
    await Promise.all(contenders.splice(0).map((c) => c.close()));
    const overhead = await runOverheadBench(setup, CONCURRENCY, rounds, sliceMs);
    return {
      tables: [...throughput.tables, overhead.table],
      verdicts: [...throughput.verdicts, ...overhead.verdicts],
      processes,
      overheadProcesses: overhead.processes,
    };
  } finally {
    await Promise.all(contenders.map((c) => c.close()));
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

function summarise(samples: Samples, rounds: number, sliceMs: number): { tables: Table[]; verdicts: Verdict[] } {
  const of = (mode: string, name: string) => samples.get(`${mode}|${name}`)!.map((s) => s.perSecond);
  const cpuOf = (mode: string, name: string) => median(samples.get(`${mode}|${name}`)!.map((s) => s.cpuMicrosPerOp));
  const pairwise = (mode: string, a: string, b: string) => median(of(mode, a).map((x, i) => x / of(mode, b)[i]!));
  const rows: string[][] = [];
  const verdicts: Verdict[] = [];
  for (const { label, target } of MODES) {
    for (const name of Object.values(NAMES)) {
      rows.push([
        label,
        name,
        `${median(of(label, name)).toFixed(0)}/s`,
        name === NAMES.plain ? '1.00×' : `${pairwise(label, name, NAMES.plain).toFixed(3)}×`,
        name === NAMES.bare ? '1.00×' : `${pairwise(label, name, NAMES.bare).toFixed(3)}×`,
        `${cpuOf(label, name).toFixed(0)} µs`,
      ]);
    }
    if (!target) continue;
    const r = pairwise(label, NAMES.ours, NAMES.plain);
    verdicts.push({
      target: `throughput through the exchanges ≥ 0.97 of plain urql with fetchExchange, ${label}`,
      met: r >= 0.97,
      figure:
        `${r.toFixed(3)}× (${median(of(label, NAMES.ours)).toFixed(0)}/s vs ` +
        `${median(of(label, NAMES.plain)).toFixed(0)}/s)`,
    });
  }
  return {
    tables: [
      {
        title: `Runtime: customer queries per second, median of ${rounds} rounds of alternating ${sliceMs} ms slices`,
        head: ['mode', 'contender', 'queries/s', 'vs urql', 'vs fetch', 'client CPU/query'],
        rows,
        notes: [
          `Each contender in its own child process, the emulator (src/testing) in another. Stub fetch: a \`fetch\` ` +
            "in the contender's process that answers at once (it still checks the token sent), isolating each " +
            "client's own cost; the 0.97 target is about loopback.",
          `Each query is the ${VERSION} Customer query; every answer is checked to carry the customer.`,
          `${CONCURRENCY} concurrent: ${CONCURRENCY} loops on one client, each with its own query ` +
            '(urql shares one request among identical queries in flight).',
          'Ratios are medians of the per-round ratios (slices measured back to back), not ratios of ' +
            'medians, so load from elsewhere on the machine hits both sides of a ratio alike.',
          "Client CPU/query: user + system CPU of the contender's process per query (median over " +
            "rounds); the emulator's CPU is not in it.",
          `NODE_ENV of the contenders: ${process.env.NODE_ENV ?? 'unset'}, as the bench was started (the overhead ` +
            'table below measures both modes).',
        ],
      },
    ],
    verdicts,
  };
}

if (isMain(import.meta.url)) {
  const { tables, verdicts } = await runRuntimeBench();
  for (const table of tables) console.log(renderTable(table));
  console.log(renderVerdicts(verdicts));
}
