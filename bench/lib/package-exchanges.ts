// The one place the benchmarks take this package from (compiled by compiled.ts): the public surface an app uses, i.e.
// the 2026-04
// entry point's version-bound exchanges and the root's memory token store.
import type { Exchange } from '@urql/core';
import { customerTokenExchange, storefrontExchange } from '../../generated/2026-04/entry.js';
import { memoryTokenStore, type Token } from '../../src/index.js';

export { CustomerDocument } from '../../generated/2026-04/entry.js';
export { DEFAULT_RENEW_WINDOW_MS } from '../../src/runtime/customerTokenOptions.js';

/** Options the benches vary. */
export interface PackageExchangeOptions {
  readonly storeDomain: string;
  readonly publicAccessToken: string;
  readonly token: Token;
  readonly now: () => number;
}

/** `customerTokenExchange` + `storefrontExchange` for 2026-04 over a fresh memory store holding `token`. */
export function packageExchanges(options: PackageExchangeOptions): Exchange[] {
  return [
    customerTokenExchange({ store: memoryTokenStore(options.token), now: options.now }),
    storefrontExchange({
      storeDomain: options.storeDomain,
      publicAccessToken: options.publicAccessToken,
      now: options.now,
    }),
  ];
}
