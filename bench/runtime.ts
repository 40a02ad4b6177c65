/**
 * Section 3a, throughput: customer queries per second against the emulator on loopback, through this
 * package's exchanges, through urql with only `fetchExchange`, and with bare `fetch`; one at a time and
 * 50 in flight. The emulator runs in its own process; the contenders alternate in one-slice turns
 * (rotating who goes first) for several rounds, and the ratio is the median of the per-round ratios.
 * Run alone: `npx tsx bench/runtime.ts`.
 */
import { Client, fetchExchange } from '@urql/core';
import { formatExpiresAt } from '../src/testing/index.js';
import { assertCustomer, customerDocuments, queryText, type CustomerDoc } from './lib/documents.js';
import { drive } from './lib/drive.js';
import { envInt, isMain } from './lib/main.js';
import { packageExchanges } from './lib/package-exchanges.js';
import { startRemoteEmulator, type RemoteEmulator } from './lib/remote-emulator.js';
import { median } from './lib/stats.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const CONCURRENCY = 50;
const VERSION = '2026-04';

/** One way to ask for the signed-in customer; `query(worker)` resolves once the customer came back. */
interface Contender {
  readonly name: string;
  readonly query: (worker: number) => Promise<void>;
}

function contenders(emulator: RemoteEmulator, accessToken: string, expiresAt: number, documents: readonly CustomerDoc[]): Contender[] {
  const endpoint = `${emulator.url}/api/${VERSION}/graphql.json`;
  const headers = { 'X-Shopify-Storefront-Access-Token': emulator.publicAccessToken };
  const token = { accessToken, expiresAt: formatExpiresAt(expiresAt) };

  const ours = new Client({
    url: emulator.url,
    exchanges: [...packageExchanges({ storeDomain: emulator.url, publicAccessToken: emulator.publicAccessToken, token, now: emulator.now }), fetchExchange],
  });
  // Plain urql as its docs set it up for this API: POST (a GET would put the token in the URL), token header.
  const plain = new Client({ url: endpoint, preferGetMethod: false, fetchOptions: { headers }, exchanges: [fetchExchange] });
  const texts = documents.map(queryText);
  const names = documents.map((_, i) => (i === 0 ? 'Customer' : `Customer${i}`));

  return [
    {
      name: 'this package: token + storefront exchanges',
      async query(worker) {
        const result = await ours.query(documents[worker]!, {} as never, { requestPolicy: 'network-only' }).toPromise();
        assertCustomer(result.data, 'this package', result.error);
      },
    },
    {
      name: 'urql, fetchExchange only',
      async query(worker) {
        const result = await plain.query(documents[worker]!, { customerAccessToken: accessToken }, { requestPolicy: 'network-only' }).toPromise();
        assertCustomer(result.data, 'urql', result.error);
      },
    },
    {
      name: 'bare fetch',
      async query(worker) {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({ query: texts[worker], variables: { customerAccessToken: accessToken }, operationName: names[worker] }),
        });
        const body = (await response.json()) as { data?: unknown };
        assertCustomer(body.data, 'bare fetch');
      },
    },
  ];
}

/** Per contender and mode, the queries per second of every round. */
type Samples = Map<string, number[]>;

/** Runs section 3a and returns its table and verdicts. */
export async function runRuntimeBench(rounds = envInt('BENCH_RUNTIME_ROUNDS', 5), sliceMs = envInt('BENCH_SLICE_MS', 1000)): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const emulator = await startRemoteEmulator();
  try {
    const { accessToken, expiresAt } = await emulator.issue();
    const all = contenders(emulator, accessToken, expiresAt, customerDocuments(CONCURRENCY));
    const modes = [
      { label: 'sequential', workers: 1 },
      { label: `${CONCURRENCY} concurrent`, workers: CONCURRENCY },
    ] as const;
    const samples: Samples = new Map();
    // Warm-up: connections, JIT, the emulator's document cache.
    for (const mode of modes) for (const c of all) await drive(c.query, mode.workers, Math.min(300, sliceMs));
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        for (let i = 0; i < all.length; i++) {
          const c = all[(i + round) % all.length]!;
          const key = `${mode.label}|${c.name}`;
          samples.set(key, [...(samples.get(key) ?? []), await drive(c.query, mode.workers, sliceMs)]);
        }
      }
    }
    return summarise(all, modes, samples, rounds, sliceMs);
  } finally {
    await emulator.close();
  }
}

function summarise(all: readonly Contender[], modes: readonly { label: string }[], samples: Samples, rounds: number, sliceMs: number): { tables: Table[]; verdicts: Verdict[] } {
  const [ours, plain, bare] = all as [Contender, Contender, Contender];
  const of = (mode: string, c: Contender) => samples.get(`${mode}|${c.name}`)!;
  const pairwise = (mode: string, a: Contender, b: Contender) => median(of(mode, a).map((x, i) => x / of(mode, b)[i]!));
  const rows: string[][] = [];
  const verdicts: Verdict[] = [];
  for (const { label } of modes) {
    for (const c of all) {
      rows.push([
        label,
        c.name,
        `${median(of(label, c)).toFixed(0)}/s`,
        c === plain ? '1.00×' : `${pairwise(label, c, plain).toFixed(3)}×`,
        c === bare ? '1.00×' : `${pairwise(label, c, bare).toFixed(3)}×`,
      ]);
    }
    const r = pairwise(label, ours, plain);
    verdicts.push({ target: `throughput through the exchanges ≥ 0.97 of plain urql with fetchExchange, ${label}`, met: r >= 0.97, figure: `${r.toFixed(3)}× (${median(of(label, ours)).toFixed(0)}/s vs ${median(of(label, plain)).toFixed(0)}/s)` });
  }
  return {
    tables: [
      {
        title: `Runtime: customer queries per second on loopback, median of ${rounds} alternating ${sliceMs} ms slices`,
        head: ['mode', 'contender', 'queries/s', 'vs urql', 'vs fetch'],
        rows,
        notes: [
          `The emulator (src/testing) runs in a child process; each query is the generated ${VERSION} Customer query; every answer is checked to carry the customer.`,
          `${CONCURRENCY} concurrent: ${CONCURRENCY} loops on one client, each with its own query (urql shares one request among identical queries in flight).`,
          'Ratios are medians of the per-round ratios (pairs measured back to back), not ratios of medians.',
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
