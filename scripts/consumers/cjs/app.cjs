// A CommonJS Node app: `require()` of the ESM-only package (require(esm), Node ^20.19 / >=22.12). Same
// flow as the ESM app: for each version on the command line, sign in, move the clock into the renewal
// window, read the customer through that version's exchanges (which renew first); prints a JSON report
// (never a token).
'use strict';
const { Client, fetchExchange } = require('@urql/core');
const latest = require('storefront-customer-session');
const { DEFAULT_CUSTOMER, startEmulator } = require('storefront-customer-session/testing');

const DAY = 24 * 3600_000;

async function main() {
  const versions = process.argv.slice(2);
  const emulator = await startEmulator();
  const now = emulator.clock.now;
  const report = { root: latest.apiVersion, versions: {}, renewCount: 0 };
  try {
    for (const version of versions) {
      const pkg = require(`storefront-customer-session/${version}`);
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
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
