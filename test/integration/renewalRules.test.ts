import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CustomerDocument, customerTokenExchange, storefrontExchange } from '../../generated/2026-04/entry.js';
import {
  memoryTokenStore,
  signalOf,
  type CustomerSessionSignal,
  type Token,
  type TokenStore,
} from '../../src/index.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  em.faults.clear();
  em.counters.reset();
  em.settings.renewReturns = 'new-token';
});

function issue(): Token {
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
}

/** An app's client over real HTTP; `sleep` waits for real when `realSleep`, else returns at once. */
function session(
  store: TokenStore,
  options: { renewWaitMs?: number; renewWindowMs?: number; realSleep?: boolean } = {},
) {
  const signals: CustomerSessionSignal[] = [];
  const signIns: string[] = [];
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({
        store,
        now: em.clock.now,
        renewWaitMs: options.renewWaitMs,
        renewWindowMs: options.renewWindowMs,
        onSignal: (s) => signals.push(s),
        onSignInRequired: (s) => signIns.push(s.reason),
      }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: em.publicAccessToken,
        now: em.clock.now,
        retry: options.realSleep ? undefined : { sleep: async () => {}, random: () => 0 },
      }),
      fetchExchange,
    ],
  });
  const read = () => client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  return { client, read, signals, signIns };
}
const renews = () => em.counters.byOperation()['CustomerAccessTokenRenew'] ?? 0;

describe('over HTTP: renewal that never hurts', () => {
  it('answers a read within renewWaitMs while renew meets 503 Retry-After: 30 on every attempt', async () => {
    const token = issue();
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
    em.faults.inject(
      { kind: 'status', status: 503, retryAfter: 30 },
      { times: Infinity, operationName: 'CustomerAccessTokenRenew' },
    );
    const { read } = session(memoryTokenStore(token), { renewWaitMs: 500, realSleep: true });
    const started = performance.now();
    const result = await read();
    const waited = performance.now() - started;
    console.log(`bounded wait: the read came back after ${Math.round(waited)} ms (renewWaitMs 500)`);
    expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(waited).toBeLessThan(5_000);
  });

  it('bounds renew requests when renew never moves expiresAt: at most 28 over the 7-day window', async () => {
    em.settings.renewReturns = 'not-extending';
    const token = issue();
    const store = memoryTokenStore(token);
    const { read, signals } = session(store);
    const start = Date.parse(token.expiresAt) - 7 * DAY;
    for (let t = start; t < Date.parse(token.expiresAt) - 10 * MINUTE; t += 30 * MINUTE) {
      em.clock.set(t);
      expect((await read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    }
    console.log(`bounded renewals: ${renews()} renew requests over 7 days of reads every 30 minutes`);
    expect(renews()).toBeGreaterThan(0);
    expect(renews()).toBeLessThanOrEqual(28);
    expect(signals.some((s) => s.kind === 'renewal-not-extending')).toBe(true);
  });

  it('keeps a rotated token with the same expiresAt when the server drops the old one', async () => {
    em.settings.renewReturns = 'rotate-same-expiry';
    const token = issue();
    const store = memoryTokenStore(token);
    const { read, signIns } = session(store);
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
    expect((await read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    const stored = (await store.get())!;
    expect(stored.accessToken).not.toBe(token.accessToken);
    expect(stored.expiresAt).toBe(token.expiresAt);
    expect((await read()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(signIns).toEqual([]);
  });

  it('does not sign out a tab whose renewal lost the race to another tab sharing the store', async () => {
    em.settings.renewReturns = 'rotate-same-expiry';
    const token = issue();
    const shared = memoryTokenStore(token);
    const a = session(shared);
    const b = session(shared);
    em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
    const [ra, rb] = await Promise.all([a.read(), b.read()]);
    expect([ra.data?.customer?.email, rb.data?.customer?.email]).toEqual([
      DEFAULT_CUSTOMER.email,
      DEFAULT_CUSTOMER.email,
    ]);
    expect(await shared.get()).not.toBeNull();
    expect([...a.signIns, ...b.signIns]).toEqual([]);
  });

  it('sends a read answered customer: null once more with the token the store holds now', async () => {
    em.settings.renewReturns = 'rotate-same-expiry'; // the renewal drops the old token
    const token = issue();
    const store = memoryTokenStore(token);
    const reader = session(store); // outside its 7-day window: it does not renew
    const renewer = session(store, { renewWindowMs: 14 * DAY });
    em.clock.set(Date.parse(token.expiresAt) - 10 * DAY);
    em.faults.inject({ kind: 'latency', ms: 200 }, { operationName: 'Customer' });
    const reading = reader.read(); // held by the latency while the other client renews
    await new Promise((resolve) => setTimeout(resolve, 50));
    await renewer.read(); // renews: the store now holds a new token, the old one is gone
    const result = await reading;
    expect(result.data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);
    expect(signalOf(result)).toBeUndefined();
    expect(em.counters.byOperation()['Customer']).toBe(3); // the held read, its re-send, the renewer's read
    expect([...reader.signIns, ...renewer.signIns]).toEqual([]);
    expect((await store.get())?.accessToken).not.toBe(token.accessToken);
  });

  it('tells the app once per sign-out: expired, then later reads fail with the same signal, silently', async () => {
    const token = issue();
    const { read, signIns } = session(memoryTokenStore(token));
    em.clock.set(Date.parse(token.expiresAt) + MINUTE);
    expect(signalOf(await read())).toMatchObject({ kind: 'sign-in-required', reason: 'expired' });
    expect(signalOf(await read())).toMatchObject({ kind: 'sign-in-required' });
    expect(signIns).toEqual(['expired']);
    expect(renews()).toBe(0);
  });
});
