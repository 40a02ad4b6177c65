/**
 * Section 2, bundle: minified and gzipped bytes (esbuild, browser, ESM) of the same app job written with
 * this package, with urql + @urql/exchange-auth, with @shopify/storefront-api-client, and with bare
 * `fetch`; and what this package's own code adds on top of @urql/core + fetchExchange + the document.
 * The apps are in bench/apps (see its README). Run alone: `npx tsx bench/bundle.ts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSize, type BundleSize } from './lib/bundle-size.js';
import { isMain } from './lib/main.js';
import { bytes, ratio } from './lib/stats.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const APPS = join(dirname(fileURLToPath(import.meta.url)), 'apps');

/**
 * The one byte goal: what the README's app (both exchanges with default options, the memory store, one document)
 * may add on top of the baseline, gzipped. The budget test reads it from here; BENCHMARKS.md quotes this run.
 */
export const EXCHANGE_BUDGET_GZIP = 2000;

/** The apps compared, this package first; `baseline` is @urql/core + fetchExchange + the document. */
export const BUNDLE_APPS = {
  package: { file: join(APPS, 'package.ts'), label: 'this package (@urql/core + its exchanges)' },
  urqlAuth: { file: join(APPS, 'urql-auth.ts'), label: 'urql + @urql/exchange-auth, by hand' },
  storefrontClient: { file: join(APPS, 'storefront-client.ts'), label: '@shopify/storefront-api-client, by hand' },
  fetch: { file: join(APPS, 'fetch.ts'), label: 'bare fetch (the floor)' },
  baseline: { file: join(APPS, 'urql-baseline.ts'), label: '@urql/core + fetchExchange + the two documents' },
  customerAccount: {
    file: join(APPS, 'customer-account.ts'),
    label: 'Customer Account API: this package (exchange, memory store, CustomerDocument)',
  },
  customerAccountBaseline: {
    file: join(APPS, 'customer-account-baseline.ts'),
    label: 'Customer Account API: @urql/core + fetchExchange + the document',
  },
} as const;

/** What the package's exchanges (and token store) add on top of the baseline. */
export async function exchangeOverhead(): Promise<{
  package: BundleSize;
  baseline: BundleSize;
  added: { minified: number; gzipped: number };
}> {
  const [pkg, baseline] = await Promise.all([
    bundleSize(BUNDLE_APPS.package.file),
    bundleSize(BUNDLE_APPS.baseline.file),
  ]);
  return {
    package: pkg,
    baseline,
    added: { minified: pkg.minified - baseline.minified, gzipped: pkg.gzipped - baseline.gzipped },
  };
}

/** The modules behind the added bytes: minified bytes per file in the package app beyond the baseline's. */
function addedByModule(pkg: BundleSize, baseline: BundleSize): [string, number][] {
  return [...pkg.modules]
    .map(([path, size]) => [path, size - (baseline.modules.get(path) ?? 0)] as [string, number])
    .filter(([, size]) => size > 50)
    .sort((a, b) => b[1] - a[1]);
}

/** Runs section 2 and returns its tables and verdicts (bundle sizes are deterministic: one run). */
export async function runBundleBench(): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const entries = Object.entries(BUNDLE_APPS) as [
    keyof typeof BUNDLE_APPS,
    (typeof BUNDLE_APPS)[keyof typeof BUNDLE_APPS],
  ][];
  const sizes = new Map(
    await Promise.all(entries.map(async ([key, app]) => [key, await bundleSize(app.file)] as const)),
  );
  const ours = sizes.get('package')!;
  const baseline = sizes.get('baseline')!;
  const added = ours.gzipped - baseline.gzipped;
  const table: Table = {
    title: 'Bundle: the same job (keep the customer token renewed, 2026-04), esbuild browser ESM minified',
    head: ['app', 'minified', 'gzipped', 'gzipped vs this package'],
    rows: [
      ...entries.map(([key, app]) => {
        const size = sizes.get(key)!;
        return [app.label, bytes(size.minified), bytes(size.gzipped), ratio(size.gzipped, ours.gzipped)];
      }),
      ['this package − baseline: what the exchanges add', bytes(ours.minified - baseline.minified), bytes(added), '–'],
      [
        'Customer Account entry point − its baseline',
        bytes(sizes.get('customerAccount')!.minified - sizes.get('customerAccountBaseline')!.minified),
        bytes(sizes.get('customerAccount')!.gzipped - sizes.get('customerAccountBaseline')!.gzipped),
        '–',
      ],
    ],
    notes: [
      'Apps in bench/apps/: each one sets up its client for API 2026-04 with a public token and ' +
        'renews the customer token the way its users would write it.',
      'The urql + exchange-auth and storefront-api-client apps carry their own hand-written ' +
        'renewal policy (window, one renewal in flight, keep the token on transient failures); ' +
        'bare fetch only sends the mutation.',
      'gzip level 9; `process.env.NODE_ENV` = "production". Budget: what the exchanges add ≤ ' +
        `${EXCHANGE_BUDGET_GZIP} B gzipped (checked by test/budget.test.ts).`,
    ],
  };
  const verdicts: Verdict[] = [
    {
      target:
        `the README's app adds at most ${EXCHANGE_BUDGET_GZIP} B gzipped on top of @urql/core + fetchExchange + ` +
        'the same documents',
      met: added <= EXCHANGE_BUDGET_GZIP,
      figure: `${bytes(added)} gzipped (${bytes(ours.gzipped)} − ${bytes(baseline.gzipped)})`,
    },
  ];
  const breakdown: Table = {
    title: 'Bundle: where the added bytes come from (minified bytes in the package app beyond the baseline, > 50 B)',
    head: ['module', 'minified'],
    rows: addedByModule(ours, baseline).map(([path, size]) => [path, bytes(size)]),
  };
  return { tables: [table, breakdown], verdicts };
}

if (isMain(import.meta.url)) {
  const { tables, verdicts } = await runBundleBench();
  for (const table of tables) console.log(renderTable(table));
  console.log(renderVerdicts(verdicts));
}
