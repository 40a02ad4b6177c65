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
import { drive, type Slice } from './lib/drive.js';
import { envInt, isMain } from './lib/main.js';
import { compiledPackage, type PackageModule } from './lib/compiled.js';
import { startRemoteEmulator } from './lib/remote-emulator.js';
import { median } from './lib/stats.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const CONCURRENCY = 50;
const VERSION = '2026-04';

/** One way to ask for the signed-in customer; `query(worker)` resolves once the customer came back. */
interface Contender {
  readonly name: string;
  readonly query: (worker: number) => Promise<void>;
}

/** Where the queries go: the emulator over loopback, or a stub `fetch` in this process. */
interface Target {
  readonly url: string;
  readonly publicAccessToken: string;
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly now: () => number;
  readonly fetch: typeof fetch;
}

const NAMES = {
  ours: 'this package: token + storefront exchanges',
  plain: 'urql, fetchExchange only',
  bare: 'bare fetch',
} as const;

function contenders(pkg: PackageModule, target: Target, documents: readonly CustomerDoc[]): Contender[] {
  const endpoint = `${target.url}/api/${VERSION}/graphql.json`;
  const headers = { 'X-Shopify-Storefront-Access-Token': target.publicAccessToken };
  const token = { accessToken: target.accessToken, expiresAt: target.expiresAt };
  const fetch = target.fetch;

  const ours = new Client({
    url: target.url,
    fetch,
    exchanges: [
      ...pkg.packageExchanges({
        storeDomain: target.url,
        publicAccessToken: target.publicAccessToken,
        token,
        now: target.now,
      }),
      fetchExchange,
    ],
  });
  // Plain urql as its docs set it up for this API: POST (a GET would put the token in the URL), token header.
  const plain = new Client({
    url: endpoint,
    fetch,
    preferGetMethod: false,
    fetchOptions: { headers },
    exchanges: [fetchExchange],
  });
  const texts = documents.map(queryText);
  const names = documents.map((_, i) => (i === 0 ? 'Customer' : `Customer${i}`));

  return [
    {
      name: NAMES.ours,
      async query(worker) {
        const result = await ours.query(documents[worker]!, {} as never, { requestPolicy: 'network-only' }).toPromise();
        assertCustomer(result.data, 'this package', result.error);
      },
    },
    {
      name: NAMES.plain,
      async query(worker) {
        const result = await plain
          .query(documents[worker]!, { customerAccessToken: target.accessToken }, { requestPolicy: 'network-only' })
          .toPromise();
        assertCustomer(result.data, 'urql', result.error);
      },
    },
    {
      name: NAMES.bare,
      async query(worker) {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            query: texts[worker],
            variables: { customerAccessToken: target.accessToken },
            operationName: names[worker],
          }),
        });
        const body = (await response.json()) as { data?: unknown };
        assertCustomer(body.data, 'bare fetch');
      },
    },
  ];
}

/**
 * A `fetch` that answers in this process, as the emulator would for a live token: isolates what each
 * client costs from the server and the network. It still reads the request, so a query that went out
 * without the right token gets `customer: null` (and fails the check) instead of a free answer.
 */
function stubFetch(accessToken: string): typeof fetch {
  const customer = {
    id: 'gid://shopify/Customer/1',
    email: 'customer@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    displayName: 'Ada Lovelace',
  };
  const responseHeaders = { 'Content-Type': 'application/json; charset=utf-8', 'X-Shopify-API-Version': VERSION };
  return async (_input, init) => {
    const sent = JSON.parse(String(init?.body)) as { variables?: { customerAccessToken?: string } };
    const data = { customer: sent.variables?.customerAccessToken === accessToken ? customer : null };
    return new Response(JSON.stringify({ data, extensions: { cost: { requestedQueryCost: 1 } } }), {
      status: 200,
      headers: responseHeaders,
    });
  };
}

/** One line-up measured under one load shape; `target` marks the modes the issue's 0.97 target is about. */
interface Mode {
  readonly label: string;
  readonly workers: number;
  readonly contenders: readonly Contender[];
  readonly target: boolean;
}

/** Per contender and mode, the slice of every round. */
type Samples = Map<string, Slice[]>;

/** Runs section 3a and returns its table and verdicts. */
export async function runRuntimeBench(
  rounds = envInt('BENCH_RUNTIME_ROUNDS', 10),
  sliceMs = envInt('BENCH_SLICE_MS', 500),
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const emulator = await startRemoteEmulator();
  try {
    const { accessToken, expiresAt } = await emulator.issue();
    const pkg = await compiledPackage();
    const documents = customerDocuments(pkg.CustomerDocument, CONCURRENCY);
    const base = {
      publicAccessToken: emulator.publicAccessToken,
      accessToken,
      expiresAt: formatExpiresAt(expiresAt),
      now: emulator.now,
    };
    const loopback = contenders(pkg, { ...base, url: emulator.url, fetch: globalThis.fetch }, documents);
    const stub = contenders(pkg, { ...base, url: 'http://127.0.0.1:9', fetch: stubFetch(accessToken) }, documents);
    const modes: Mode[] = [
      { label: 'loopback, sequential', workers: 1, contenders: loopback, target: true },
      { label: `loopback, ${CONCURRENCY} concurrent`, workers: CONCURRENCY, contenders: loopback, target: true },
      { label: 'stub fetch, sequential', workers: 1, contenders: stub, target: false },
      { label: `stub fetch, ${CONCURRENCY} concurrent`, workers: CONCURRENCY, contenders: stub, target: false },
    ];
    const samples: Samples = new Map();
    // Warm-up: connections, JIT, the emulator's document cache.
    for (const mode of modes)
      for (const c of mode.contenders) await drive(c.query, mode.workers, Math.min(300, sliceMs));
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        for (let i = 0; i < mode.contenders.length; i++) {
          const c = mode.contenders[(i + round) % mode.contenders.length]!;
          const key = `${mode.label}|${c.name}`;
          samples.set(key, [...(samples.get(key) ?? []), await drive(c.query, mode.workers, sliceMs)]);
        }
      }
    }
    return summarise(modes, samples, rounds, sliceMs);
  } finally {
    await emulator.close();
  }
}

function summarise(
  modes: readonly Mode[],
  samples: Samples,
  rounds: number,
  sliceMs: number,
): { tables: Table[]; verdicts: Verdict[] } {
  const of = (mode: string, name: string) => samples.get(`${mode}|${name}`)!.map((s) => s.perSecond);
  const cpuOf = (mode: string, name: string) => median(samples.get(`${mode}|${name}`)!.map((s) => s.cpuMicrosPerOp));
  const pairwise = (mode: string, a: string, b: string) => median(of(mode, a).map((x, i) => x / of(mode, b)[i]!));
  const rows: string[][] = [];
  const verdicts: Verdict[] = [];
  for (const { label, target, contenders: all } of modes) {
    for (const { name } of all) {
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
          `Loopback: the emulator (src/testing) in a child process. Stub fetch: an in-process ` +
            `\`fetch\` that answers at once (it still checks the token sent), isolating each client's ` +
            `own cost; the 0.97 target is about loopback.`,
          `Each query is the ${VERSION} Customer query; every answer is checked to carry the customer.`,
          `${CONCURRENCY} concurrent: ${CONCURRENCY} loops on one client, each with its own query ` +
            '(urql shares one request among identical queries in flight).',
          'Ratios are medians of the per-round ratios (slices measured back to back), not ratios of ' +
            'medians, so load from elsewhere on the machine hits both sides of a ratio alike.',
          'Client CPU/query: user + system CPU of the benchmark process per query (median over ' +
            "rounds); the emulator's CPU is not in it.",
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
