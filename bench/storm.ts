/**
 * Section 3b, the renewal storm: N concurrent customer queries (N = 10, 100, 1000) on one client whose
 * token is inside the renewal window, against the same N with a fresh token. Reports the renew requests
 * the emulator received (must be 1) and the latency the renewal adds at p50 and p99.
 * Run alone: `npx tsx bench/storm.ts`.
 */
import { Client, fetchExchange } from '@urql/core';
import { formatExpiresAt } from '../src/testing/index.js';
import { assertCustomer, customerDocuments } from './lib/documents.js';
import { envInt, isMain, quickMode } from './lib/main.js';
import { compiledPackage, type PackageModule } from './lib/compiled.js';
import { BENCH_EPOCH, startRemoteEmulator, type RemoteEmulator } from './lib/remote-emulator.js';
import { median, ms, percentile, signedMs } from './lib/stats.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const SIZES = [10, 100, 1000] as const;
const RENEW = 'CustomerAccessTokenRenew';

/** One storm: every operation's latency (ms from the common start) and the renew requests it caused. */
interface Storm {
  readonly latencies: number[];
  readonly renewRequests: number;
}

/**
 * Fires `size` different customer queries at once on a fresh client and store. With `renewal`, the
 * clock first moves into the renewal window (half of it left), so the first operation starts the
 * renewal and every other one waits for it.
 */
async function storm(pkg: PackageModule, emulator: RemoteEmulator, size: number, renewal: boolean): Promise<Storm> {
  await emulator.set(BENCH_EPOCH);
  const { accessToken, expiresAt } = await emulator.issue();
  if (renewal) await emulator.set(expiresAt - pkg.DEFAULT_RENEW_WINDOW_MS / 2);
  await emulator.reset();
  const token = { accessToken, expiresAt: formatExpiresAt(expiresAt) };
  const client = new Client({
    url: emulator.url,
    exchanges: [
      ...pkg.packageExchanges({
        storeDomain: emulator.url,
        publicAccessToken: emulator.publicAccessToken,
        token,
        now: emulator.now,
      }),
      fetchExchange,
    ],
  });
  const documents = customerDocuments(pkg.CustomerDocument, size);
  const started = performance.now();
  const latencies = await Promise.all(
    documents.map(async (document) => {
      const result = await client.query(document, {} as never, { requestPolicy: 'network-only' }).toPromise();
      assertCustomer(result.data, `storm of ${size}`, result.error);
      return performance.now() - started;
    }),
  );
  return { latencies, renewRequests: await emulator.count(RENEW) };
}

interface StormRow {
  readonly size: number;
  readonly steady: Storm[];
  readonly renewing: Storm[];
}

/** Runs section 3b and returns its table and verdicts. */
export async function runStormBench(
  rounds = envInt('BENCH_STORM_ROUNDS', quickMode() ? 1 : 5),
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const pkg = await compiledPackage();
  const emulator = await startRemoteEmulator();
  try {
    // Warm-up: connections and the emulator's document cache for the largest storm (not in quick mode: smoke only).
    if (!quickMode()) await storm(pkg, emulator, SIZES.at(-1)!, false);
    const rows: StormRow[] = [];
    for (const size of SIZES) {
      const row: StormRow = { size, steady: [], renewing: [] };
      for (let round = 0; round < rounds; round++) {
        // Alternate which kind goes first, so drift on the shared machine hits both alike.
        for (const renewal of round % 2 === 0 ? [false, true] : [true, false])
          (renewal ? row.renewing : row.steady).push(await storm(pkg, emulator, size, renewal));
      }
      rows.push(row);
    }
    return { tables: [stormTable(rows, rounds)], verdicts: stormVerdicts(rows) };
  } finally {
    await emulator.close();
  }
}

const counts = (storms: readonly Storm[]) =>
  [...new Set(storms.map((s) => s.renewRequests))].sort((a, b) => a - b).join(', ');

/**
 * The median over rounds of a percentile of each storm, and of its paired difference (renewing − steady, same round).
 */
function figures(row: StormRow, p: number): { steady: number; renewing: number; added: number } {
  const steady = row.steady.map((s) => percentile(s.latencies, p));
  const renewing = row.renewing.map((s) => percentile(s.latencies, p));
  return { steady: median(steady), renewing: median(renewing), added: median(renewing.map((r, i) => r - steady[i]!)) };
}

function stormTable(rows: readonly StormRow[], rounds: number): Table {
  return {
    title: `Renewal storm: N concurrent customer queries on one client, median of ${rounds} rounds`,
    head: [
      'N',
      'renew requests',
      'p50 no renewal',
      'p50 renewing',
      'added p50',
      'p99 no renewal',
      'p99 renewing',
      'added p99',
    ],
    rows: rows.map((row) => {
      const [p50, p99] = [figures(row, 50), figures(row, 99)];
      return [
        String(row.size),
        `${counts(row.renewing)} (without: ${counts(row.steady)})`,
        ms(p50.steady),
        ms(p50.renewing),
        signedMs(p50.added),
        ms(p99.steady),
        ms(p99.renewing),
        signedMs(p99.added),
      ];
    }),
    notes: [
      'Renew requests: every value seen across the rounds, as counted by the emulator (requests ' +
        'named CustomerAccessTokenRenew).',
      'Latency: from firing all N to each result. "Renewing" sets the clock 3.5 days before ' +
        'expiry (inside the default 7-day window); "added" is the median of the per-round ' +
        'differences (each round runs both, alternating which goes first).',
      'Each storm uses a fresh client and memory store; the N queries are N different documents ' +
        '(urql would share one request among identical ones).',
    ],
  };
}

function stormVerdicts(rows: readonly StormRow[]): Verdict[] {
  const largest = rows.at(-1)!;
  const seen = largest.renewing.map((s) => s.renewRequests);
  return [
    {
      target: `a renewal storm of ${largest.size} makes exactly one renew request`,
      met: seen.every((n) => n === 1),
      figure: `renew requests per storm: ${seen.join(', ')}`,
    },
  ];
}

if (isMain(import.meta.url)) {
  const { tables, verdicts } = await runStormBench();
  for (const table of tables) console.log(renderTable(table));
  console.log(renderVerdicts(verdicts));
}
