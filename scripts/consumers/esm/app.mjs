// An ESM Node app using the installed package: the root entry, every version entry named on the command
// line, and the emulator from `/testing`. For each version it signs in, moves the clock into the renewal
// window, and reads the customer through that version's exchanges, which renew the token first. It
// prints a JSON report (never a token) and exits non-zero on any failure.
import { Client, fetchExchange } from '@urql/core';
import * as latest from 'storefront-customer-session';
import { DEFAULT_CUSTOMER, startEmulator } from 'storefront-customer-session/testing';

const DAY = 24 * 3600_000;
const versions = process.argv.slice(2);
const emulator = await startEmulator();
const now = emulator.clock.now;
const report = { root: latest.apiVersion, versions: {}, renewCount: 0 };
try {
  for (const version of versions) {
    const pkg = await import(`storefront-customer-session/${version}`);
    const store = latest.memoryTokenStore();
    const client = new Client({
      url: emulator.url,
      exchanges: [
        pkg.customerTokenExchange({ store, now }),
        pkg.storefrontExchange({
          storeDomain: emulator.storeDomain,
          publicAccessToken: emulator.publicAccessToken,
          now,
        }),
        fetchExchange,
      ],
    });
    const signedIn = await pkg.createCustomerAccessToken(
      client,
      { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password },
      { now },
    );
    if (!signedIn.ok) throw new Error(`sign-in failed on ${version}: ${signedIn.reason}`);
    await store.set(signedIn.token);
    emulator.clock.advance(36 * DAY); // 6 of 42 days left: inside the 7-day renewal window
    const customer = await client.query(pkg.CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    if (customer.error) throw customer.error;
    const renewed = await store.get();
    report.versions[version] = {
      apiVersion: pkg.apiVersion,
      renewedLater: Date.parse(renewed.expiresAt) > Date.parse(signedIn.token.expiresAt),
      email: customer.data.customer.email,
    };
  }
  report.renewCount = emulator.counters.count('CustomerAccessTokenRenew');
  console.log(JSON.stringify(report));
} finally {
  await emulator.close();
}
