import { Client, fetchExchange } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerDocument,
  customerAccountExchange,
  memoryTokenStore,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
  type CustomerSessionSignal,
} from '../../generated/customer-account/2026-04/entry.js';
import type { Emulator } from '../../src/testing/index.js';
import { customerAccountWorld, signIn } from './customerAccountSignInFlow.js';
import type { RefreshRotation } from '../../src/testing/customerAccount/oauthSettings.js';

// 1,000 Customer Account operations at once, through one client's Customer Account exchange, against the
// emulator over HTTP, while the access token is inside the refresh window or already expired. The emulator
// rotates refresh tokens (single use, with reuse detection: a second refresh with a used token revokes the whole
// sign-in; or a grace window). Counted at the emulator's token endpoint, not in the client: exactly one refresh,
// every operation answered with the customer, no sign-out. Time moves on the emulator's clock only.

const NOW = Date.UTC(2026, 11, 7, 9);
const MINUTE = 60_000;
const OPERATIONS = 1_000;
const EMAIL = 'customer@example.com';
let em: Emulator;
let endpoints: CustomerAccountEndpoints;
let oauth: CustomerAccountClient;

beforeAll(async () => {
  ({ em, endpoints, oauth } = await customerAccountWorld(NOW));
});
afterEach(() => {
  em.customerAccount.settings.rotation = 'single-use';
  em.customerAccount.settings.reuseRevokesSignIn = false;
  em.clock.set(NOW);
});
afterAll(() => em.close());

/** A signed-in customer's client, and what its exchange told the app. */
async function session() {
  const first = await signIn(em, endpoints, oauth);
  const store = memoryTokenStore(first);
  const signals: CustomerSessionSignal[] = [];
  const signOuts: unknown[] = [];
  const tokenChanges: (CustomerAccountTokenSet | null)[] = [];
  const client = new Client({
    url: em.url,
    exchanges: [
      customerAccountExchange({
        shop: em.url,
        client: oauth,
        store,
        now: em.clock.now,
        onSignal: (signal) => signals.push(signal),
        onSignInRequired: (signal) => signOuts.push(signal),
        onTokenChange: (tokenSet) => tokenChanges.push(tokenSet),
      }),
      fetchExchange,
    ],
  });
  // urql shares one request among operations with the same key: a variable the document ignores makes each its own.
  const read = (n: number) =>
    client.query(CustomerDocument, { n } as never, { requestPolicy: 'network-only' }).toPromise();
  return { first, store, signals, signOuts, tokenChanges, read };
}

describe('1,000 concurrent Customer Account operations with a token due for refresh, over HTTP', () => {
  it.each([
    ['near expiry', 'single-use'],
    ['expired', 'single-use'],
    ['near expiry', 'grace'],
    ['expired', 'grace'],
  ] as const)(
    'refreshes exactly once when the access token is %s (rotation %s), and every operation succeeds',
    async (when, rotation: RefreshRotation) => {
      em.customerAccount.settings.rotation = rotation;
      // With single use, a second refresh with the used token would revoke the sign-in: a double refresh shows.
      em.customerAccount.settings.reuseRevokesSignIn = rotation === 'single-use';
      const { first, store, signals, signOuts, tokenChanges, read } = await session();
      // A warm client: discovery done, the token known; then the clock moves into the window, or past expiry.
      expect((await read(-1)).error).toBeUndefined();
      const expiresAt = Date.parse(first.expiresAt);
      em.clock.set(when === 'near expiry' ? expiresAt - 2 * MINUTE : expiresAt + 10 * MINUTE);
      em.customerAccount.counters.reset();
      em.customerAccount.graphqlCounters.reset();

      const results = await Promise.all(Array.from({ length: OPERATIONS }, (_, n) => read(n)));

      const refreshes = em.customerAccount.counters.refreshes();
      const sentSignOuts = signals.filter((s) => s.kind === 'sign-in-required').length;
      const succeeded = results.filter(
        (r) => r.error === undefined && r.data?.customer.emailAddress?.emailAddress === EMAIL,
      ).length;
      const graphql = em.customerAccount.graphqlCounters.requests();
      console.log(
        `customer account, ${OPERATIONS} concurrent operations, access token ${when}, rotation ${rotation}: ` +
          `refreshes ${refreshes}, sign-outs ${sentSignOuts}, succeeded ${succeeded}/${OPERATIONS}, ` +
          `GraphQL requests ${graphql}, token changes told ${tokenChanges.length}`,
      );
      expect(refreshes).toBe(1);
      expect(em.customerAccount.counters.refreshesOf(first.refreshToken)).toBe(1);
      expect(em.customerAccount.counters.codeExchanges()).toBe(0);
      expect(sentSignOuts).toBe(0);
      expect(signOuts).toHaveLength(0);
      expect(signals.map((s) => s.kind)).toEqual([]);
      expect(succeeded).toBe(OPERATIONS);
      // One request per operation: none went out with a token the endpoint refused and had to be sent again.
      expect(em.customerAccount.graphqlCounters.count('Customer')).toBe(OPERATIONS);
      expect(graphql).toBe(OPERATIONS);

      // The store holds the refreshed set: a new, working access token and the new, still unused refresh token.
      const now = (await store.get()) as CustomerAccountTokenSet;
      expect(now.accessToken === first.accessToken).toBe(false);
      expect(now.refreshToken === first.refreshToken).toBe(false);
      expect(Date.parse(now.expiresAt)).toBe(em.clock.now() + 3_600_000);
      expect(em.customerAccount.tokens.lookup(now.accessToken)?.email).toBe(EMAIL);
      expect(em.customerAccount.counters.refreshesOf(now.refreshToken)).toBe(0);
      // Told once, with that set.
      expect(tokenChanges).toHaveLength(1);
      expect(tokenChanges[0]?.accessToken === now.accessToken).toBe(true);
    },
    60_000,
  );
});
