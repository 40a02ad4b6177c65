/**
 * Section 3a, second table: what each urql client costs per customer query once the server and the network are taken
 * out (a stub `fetch` in the contender's process), in CPU time and in bytes allocated, with NODE_ENV=production and
 * development. Contenders: plain urql (`fetchExchange`, the token passed by hand), urql + `authExchange` with a
 * hand-written renewal policy injecting the token (bench/lib/auth-exchange.ts), and this package's two exchanges over a
 * memory store (the token injected, not due for renewal). Each contender runs in its own process per NODE_ENV; they
 * alternate in one-slice turns (rotating who goes first) and every "over urql" figure is the median of the per-round
 * differences to plain urql's slice of the same round. Run by bench/runtime.ts (`npm run bench -- runtime`).
 */
import { CONTENDERS, type ContenderKey } from './lib/contenders.js';
import type { Setup } from './lib/contender-protocol.js';
import type { Slice } from './lib/drive.js';
import { assertOwnProcesses, startContender, type RemoteContender } from './lib/remote-contender.js';
import { bytes, median, micros, signedBytes, signedMicros } from './lib/stats.js';
import type { Table, Verdict } from './lib/table.js';

/** The CPU budget: what this package's exchanges may add per operation over plain urql, in µs. */
export const CPU_BUDGET_MICROS = 10;

const KEYS = ['plain', 'auth', 'ours'] as const satisfies readonly ContenderKey[];
const NODE_ENVS = ['production', 'development'] as const;
type NodeEnv = (typeof NODE_ENVS)[number];

/** The two load shapes, both on the stub. */
const MODES = (concurrency: number) => [
  { label: 'sequential', workers: 1 },
  { label: `${concurrency} concurrent`, workers: concurrency },
];

/** One contender in one NODE_ENV, as a child process. */
export interface OverheadProcess {
  readonly key: ContenderKey;
  readonly nodeEnv: NodeEnv;
  readonly pid: number;
}

/**
 * Measures the overhead table: `rounds` rounds of `sliceMs` slices per NODE_ENV, mode and contender.
 *
 * @param setup what every contender child needs (the compiled code, the token and the clock), without its key.
 */
export async function runOverheadBench(
  setup: Omit<Setup, 'key' | 'nodeEnv'>,
  concurrency: number,
  rounds: number,
  sliceMs: number,
): Promise<{ table: Table; verdicts: Verdict[]; processes: OverheadProcess[] }> {
  const modes = MODES(concurrency);
  const contenders: RemoteContender[] = [];
  try {
    const started = await Promise.allSettled(
      NODE_ENVS.flatMap((nodeEnv) => KEYS.map((key) => startContender({ ...setup, key, nodeEnv }))),
    );
    for (const s of started) if (s.status === 'fulfilled') contenders.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    assertOwnProcesses(contenders);
    // Warm-up, on both shapes: the JIT still optimises (and allocates for it) well after the first hundred queries.
    for (const mode of modes) for (const c of contenders) await c.slice('stub', mode.workers, 2 * sliceMs);
    const samples = new Map<string, Slice[]>();
    for (let round = 0; round < rounds; round++) {
      for (const nodeEnv of NODE_ENVS) {
        const group = contenders.filter((c) => c.nodeEnv === nodeEnv);
        for (const mode of modes) {
          for (let i = 0; i < group.length; i++) {
            const c = group[(i + round) % group.length]!;
            const key = `${nodeEnv}|${mode.label}|${c.key}`;
            samples.set(key, [...(samples.get(key) ?? []), await c.slice('stub', mode.workers, sliceMs)]);
          }
        }
      }
    }
    const processes = contenders.map((c) => ({ key: c.key, nodeEnv: c.nodeEnv as NodeEnv, pid: c.pid }));
    return { ...summarise(samples, modes, concurrency, rounds, sliceMs), processes };
  } finally {
    await Promise.all(contenders.map((c) => c.close()));
  }
}

function summarise(
  samples: ReadonlyMap<string, Slice[]>,
  modes: ReturnType<typeof MODES>,
  concurrency: number,
  rounds: number,
  sliceMs: number,
): { table: Table; verdicts: Verdict[] } {
  const of = (env: NodeEnv, mode: string, key: ContenderKey) => samples.get(`${env}|${mode}|${key}`)!;
  const cpu = (s: Slice) => s.cpuMicrosPerOp;
  const allocated = (s: Slice) => s.bytesPerOp;
  const figure = (env: NodeEnv, mode: string, key: ContenderKey, pick: (s: Slice) => number) =>
    median(of(env, mode, key).map(pick));
  // Paired: each round's slice against plain urql's slice of the same round.
  const over = (env: NodeEnv, mode: string, key: ContenderKey, pick: (s: Slice) => number) => {
    const plain = of(env, mode, 'plain');
    return median(of(env, mode, key).map((s, i) => pick(s) - pick(plain[i]!)));
  };
  const rows: string[][] = [];
  const cpuVerdicts: Verdict[] = [];
  const allocationVerdicts: Verdict[] = [];
  for (const env of NODE_ENVS) {
    for (const { label } of modes) {
      for (const key of KEYS) {
        const base = key === 'plain';
        rows.push([
          env,
          label,
          CONTENDERS[key],
          micros(figure(env, label, key, cpu)),
          base ? '–' : signedMicros(over(env, label, key, cpu)),
          bytes(figure(env, label, key, allocated)),
          base ? '–' : signedBytes(over(env, label, key, allocated)),
        ]);
      }
      const where = `stub fetch, ${label}, NODE_ENV=${env}`;
      const addedCpu = over(env, label, 'ours', cpu);
      cpuVerdicts.push({
        target: `this package's exchanges add ≤ +${CPU_BUDGET_MICROS} µs CPU per query over plain urql, ${where}`,
        met: addedCpu <= CPU_BUDGET_MICROS,
        figure:
          `${signedMicros(addedCpu)}; per query: this package ${micros(figure(env, label, 'ours', cpu))}, urql ` +
          `${micros(figure(env, label, 'plain', cpu))}; authExchange ${signedMicros(over(env, label, 'auth', cpu))}`,
      });
      const ours = over(env, label, 'ours', allocated);
      const auth = over(env, label, 'auth', allocated);
      allocationVerdicts.push({
        target: `this package allocates no more per query over plain urql than authExchange does, ${where}`,
        met: ours <= auth,
        figure:
          `${signedBytes(ours)} vs authExchange ${signedBytes(auth)}; per query: this package ` +
          `${bytes(figure(env, label, 'ours', allocated))}, authExchange ` +
          `${bytes(figure(env, label, 'auth', allocated))}, urql ${bytes(figure(env, label, 'plain', allocated))}`,
      });
    }
  }
  return {
    table: {
      title:
        `Runtime overhead: client CPU and heap allocated per customer query, stub fetch, median of ${rounds} rounds ` +
        `of alternating ${sliceMs} ms slices`,
      head: ['NODE_ENV', 'mode', 'contender', 'CPU/query', 'over urql', 'allocated/query', 'over urql'],
      rows,
      notes: [
        'Each contender in its own child process per NODE_ENV (set when the process starts; urql and this package ' +
          'read it at run time). Stub fetch: a `fetch` in the process that answers at once with the customer (it ' +
          "checks the token sent and refuses a renewal), so the figures are the clients' own cost.",
        `This package: customerTokenExchange + storefrontExchange over a memory store, the token injected and not ` +
          'due for renewal, compiled from the sources by esbuild (bench/lib/compiled.ts). authExchange: ' +
          '@urql/exchange-auth with the renewal policy of bench/apps/urql-auth.ts, injecting the ' +
          '`customerAccessToken` variable (bench/lib/auth-exchange.ts, compiled the same way). urql: fetchExchange ' +
          'only, the token passed as a variable by hand.',
        `${concurrency} concurrent: ${concurrency} loops on one client, each with its own query document.`,
        "CPU/query: user + system CPU of the contender's process per query. Allocated/query: bytes allocated on the " +
          'V8 heap per query, i.e. what the heap grew by during the slice plus what every garbage collection in it ' +
          'freed (v8.GCProfiler, used size before/after each collection); off-heap memory (ArrayBuffer stores) is ' +
          'not counted. No collection is forced (a forced one drops optimised code and inflates the next slices).',
        '"over urql": the median of the per-round differences to plain urql\'s slice in the same round and ' +
          'NODE_ENV (not a difference of medians). Targets: this package ≤ +10 µs per query over plain urql; ' +
          "its allocation over plain urql ≤ authExchange's.",
      ],
    },
    verdicts: [...cpuVerdicts, ...allocationVerdicts],
  };
}
