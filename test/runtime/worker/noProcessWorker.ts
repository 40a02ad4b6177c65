// A Cloudflare Worker built the way a Worker without `nodejs_compat` and without a bundler define runs: no
// `process` global, and `process.env.NODE_ENV` left as written. Bundled by test/runtime/noProcess.workerd.test.ts.
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  customerTokenExchange,
  memoryTokenStore,
  signalOf,
  storefrontExchange,
} from '../../../generated/2026-04/entry.js';
import { createEmulator, DEFAULT_CUSTOMER, formatExpiresAt, type FetchEmulator } from '../../../src/testing/fetch.js';

interface Env {
  SCHEMAS: Record<string, string>;
  NOW: number;
}

let emulator: FetchEmulator | undefined;

/** A client through the exchanges to the emulator's fetch handler, signed in (a token in its store) or not. */
function client(em: FetchEmulator, signedIn: boolean) {
  const issued = signedIn ? em.customers.issue(DEFAULT_CUSTOMER.email) : undefined;
  const store = memoryTokenStore(
    issued ? { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) } : null,
  );
  return new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        fetch: em.fetch,
        now: em.clock.now,
      }),
      fetchExchange,
    ],
  });
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const processType = typeof (globalThis as { process?: unknown }).process;
    try {
      emulator ??= createEmulator({ schemas: env.SCHEMAS, now: env.NOW });
      const read = await client(emulator, true).query(CustomerDocument, {}).toPromise();
      // Signed out: the operation fails with a signal, whose error message is built on the dev/production switch.
      const signedOut = await client(emulator, false).query(CustomerDocument, {}).toPromise();
      return Response.json({
        processType,
        email: read.data?.customer?.email ?? null,
        readError: read.error?.message ?? null,
        signedOut: signalOf(signedOut)?.kind ?? null,
        signedOutMessage: signedOut.error?.message ?? null,
      });
    } catch (error) {
      return Response.json({ processType, thrown: String(error) });
    }
  },
};
