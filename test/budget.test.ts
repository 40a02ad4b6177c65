import { describe, expect, it } from 'vitest';
import { EXCHANGE_BUDGET_GZIP, exchangeOverhead } from '../bench/bundle.js';

// The byte budget, deterministic so CI can hold it: bench/apps/package.ts (@urql/core + this
// package's exchanges and memory store) against bench/apps/urql-baseline.ts (@urql/core + fetchExchange +
// the same renew document), both bundled by esbuild for the browser, minified and gzipped.
describe('bundle budget', () => {
  it('keeps what the exchanges add on top of @urql/core, fetchExchange and the renew document within 1 KB gzipped', async () => {
    const { package: pkg, baseline, added } = await exchangeOverhead();
    // Both apps really bundle what they claim: urql's client, and on top of it the exchanges.
    expect(baseline.modules.has('node_modules/@urql/core/dist/urql-core.mjs')).toBe(true);
    expect(baseline.gzipped).toBeGreaterThan(4096);
    expect([...pkg.modules.keys()].filter((path) => path.startsWith('src/')).length).toBeGreaterThan(0);
    expect(pkg.minified).toBeGreaterThan(baseline.minified);
    expect(added.gzipped, `the exchanges add ${added.gzipped} B gzipped (${pkg.gzipped} − ${baseline.gzipped}); the budget is ${EXCHANGE_BUDGET_GZIP} B. Run \`npx tsx bench/bundle.ts\` for the per-module breakdown.`).toBeLessThanOrEqual(EXCHANGE_BUDGET_GZIP);
  });
});
