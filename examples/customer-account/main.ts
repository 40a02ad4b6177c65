/*
 * `npm run start:customer-account`: the Customer Account API's life cycle on the local emulator, through the
 * package's own flow and exchange: sign-in with PKCE, reads, a refresh ahead of expiry, a transient failure of the
 * token endpoint that keeps the customer signed in, and sign-out. Nothing leaves 127.0.0.1.
 */
import { Client, fetchExchange } from '@urql/core';
import { CustomerDocument } from '../../generated/customer-account/2026-04/entry.js';
import {
  completeSignIn,
  createCustomerAccountExchange,
  createSignIn,
  discoverCustomerAccount,
  signOutUrl,
  type CustomerAccountTokenSet,
} from '../../src/customerAccount/index.js';
import { describeSignal, type CustomerSessionSignal } from '../../src/runtime/signals.js';
import { memoryTokenStore } from '../../src/runtime/tokenStore.js';
import { startEmulator } from '../../src/testing/index.js';

const say = (line: string) => console.log(line);

async function main(): Promise<number> {
  const em = await startEmulator();
  try {
    const ca = em.customerAccount;
    const endpoints = await discoverCustomerAccount(em.url);
    say(`1. Discovered the shop's Customer Account endpoints at ${em.url}/.well-known/openid-configuration.`);

    const request = await createSignIn({ endpoints, clientId: ca.publicClientId, redirectUri: ca.redirectUri });
    const authorized = await fetch(request.url, { redirect: 'manual' });
    const signedIn = await completeSignIn({
      endpoints,
      client: { clientId: ca.publicClientId, now: em.clock.now },
      redirectUri: ca.redirectUri,
      callback: authorized.headers.get('location') ?? '',
      expected: request,
    });
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.reason}`);
    say('2. Signed in with authorization code + PKCE (S256); state and the ID token nonce checked.');

    const store = memoryTokenStore(signedIn.tokenSet);
    const signals: CustomerSessionSignal[] = [];
    const client = new Client({
      url: em.url,
      exchanges: [
        createCustomerAccountExchange('2026-04', {
          shop: em.url,
          client: { clientId: ca.publicClientId, now: em.clock.now },
          store,
          now: em.clock.now,
          onSignal: (signal) => signals.push(signal),
          onTokenChange: (tokenSet) => say(`   (token changed: ${tokenSet ? 'a new access token' : 'signed out'})`),
        }),
        fetchExchange,
      ],
    });
    const read = async () => {
      const result = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      return result.data?.customer ?? null;
    };
    const first = await read();
    say(`3. Read the customer: ${first ? 'signed in' : 'no customer'}; refreshes so far ${ca.counters.refreshes()}.`);

    const expiresAt = Date.parse((store.get() as CustomerAccountTokenSet).expiresAt);
    em.clock.set(expiresAt - 2 * 60_000);
    await read();
    say(`4. Two minutes before expiry, a read refreshed first: refreshes ${ca.counters.refreshes()}.`);

    em.clock.set(Date.parse((store.get() as CustomerAccountTokenSet).expiresAt) - 60_000);
    ca.faults.inject({ kind: 'transient-401' }, { times: 10 });
    const during = await read();
    say(
      `5. The token endpoint answered a transient 401: the customer stays signed in (${during ? 'read ok' : 'read failed as data'}; ` +
        `${signals.filter((s) => s.kind === 'renewal-unavailable').length} renewal-unavailable signal(s)).`,
    );
    ca.faults.clear();

    const tokenSet = store.get() as CustomerAccountTokenSet;
    const out = await fetch(
      signOutUrl({ endpoints, idToken: tokenSet.idToken, postLogoutRedirectUri: ca.postLogoutRedirectUri }),
      { redirect: 'manual' },
    );
    say(`6. Signed out at the shop (HTTP ${out.status}${out.status === 400 ? ` ${await out.text()}` : ""} back to the app); the store is cleared by the app.`);
    await store.clear();
    const after = await client.query(CustomerDocument, {}).toPromise();
    const signal = signals.find((s) => s.kind === 'sign-in-required');
    say(
      `7. A read after sign-out: ${after.error ? describeSignal(signal ?? { kind: 'sign-in-required', reason: 'missing' }) : 'unexpected data'}`,
    );
    return 0;
  } finally {
    await em.close();
  }
}

process.exitCode = await main().catch((error: Error) => {
  console.error(error.message);
  return 1;
});
