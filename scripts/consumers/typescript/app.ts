// A TypeScript app: type-checked against the installed package under moduleResolution NodeNext and
// bundler (tsconfig.nodenext.json, tsconfig.bundler.json), then compiled (NodeNext) and run. It pins a
// version entry and uses the typed helpers: sign in, renew explicitly, then read the customer through the
// exchanges. The `@ts-expect-error` lines fail the type check if the package's types were lost.
import { Client, fetchExchange } from '@urql/core';
import * as latest from 'storefront-customer-session';
import { memoryTokenStore, signalOf, type RenewTokenResult, type Token } from 'storefront-customer-session';
import * as older from 'storefront-customer-session/2025-07';
import * as pinned from 'storefront-customer-session/2026-04';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from 'storefront-customer-session/testing';

const DAY = 24 * 3600_000;

// @ts-expect-error a version entry's apiVersion is its literal, not any string
const wrongVersion: typeof pinned.apiVersion = '2025-07';
void wrongVersion;

async function renewFlow(emulator: Emulator) {
  const now = emulator.clock.now;
  const store = memoryTokenStore();
  const client = new Client({
    url: emulator.url,
    exchanges: [
      pinned.customerTokenExchange({ store, now }),
      pinned.storefrontExchange({
        storeDomain: emulator.storeDomain,
        publicAccessToken: emulator.publicAccessToken,
        now,
      }),
      fetchExchange,
    ],
  });

  const signedIn = await pinned.createCustomerAccessToken(
    client,
    { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password },
    { now },
  );
  if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
  const first: Token = signedIn.token;
  await store.set(first);

  emulator.clock.advance(36 * DAY);
  const renewed: RenewTokenResult = await pinned.renewCustomerAccessToken(client, first, { now });
  if (!renewed.ok) {
    // The failure reasons are a closed union: an unknown one does not compile.
    const reason: 'expired' | 'invalid' | 'unavailable' = renewed.reason;
    throw new Error(`renew failed: ${reason}`);
  }
  await store.set(renewed.token);

  // With a customer signed in, a document generated for another version is refused by these exchanges, as data,
  // before any request.
  const other = await client.query(older.CustomerDocument, {}).toPromise();
  const refusedOtherVersion = signalOf(other)?.kind === 'wrong-version-document';

  // @ts-expect-error the renew mutation takes customerAccessToken, not input
  void client.mutation(pinned.CustomerAccessTokenRenewDocument, { input: { email: 'x', password: 'y' } });

  const customer = await client.query(pinned.CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  if (customer.error) throw customer.error;
  const email: string | null | undefined = customer.data?.customer?.email;
  // @ts-expect-error the Customer document selects no `phone`
  void customer.data?.customer?.phone;
  return {
    refusedOtherVersion,
    renewedLater: Date.parse(renewed.token.expiresAt) > Date.parse(first.expiresAt),
    email,
  };
}

const emulator = await startEmulator();
try {
  const flow = await renewFlow(emulator);
  console.log(
    JSON.stringify({
      root: latest.apiVersion,
      pinned: pinned.apiVersion,
      ...flow,
      renewCount: emulator.counters.count('CustomerAccessTokenRenew'),
    }),
  );
} finally {
  await emulator.close();
}
