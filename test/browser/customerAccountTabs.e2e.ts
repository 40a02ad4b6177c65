import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerAccountTokenSet } from '../../src/customerAccount/index.js';
import type * as Testing from '../../src/testing/index.js';
import { launchChromium, openTabs, packedApp, serveSite, type PackedApp, type Tab } from './site.js';

// `npm run test:browser` (it packs, and so builds, the package itself): three tabs of one origin (pages of one
// browser context: one localStorage, one IndexedDB, one Web Locks manager) built from the packed package
// (scripts/consumers/customer-account-tabs/page.ts) share one customer's Customer Account token set (access token
// + rotating refresh token) and refresh it through the `customer-account/2026-04` exchange with
// webLocksCoordination, calling the emulator's token endpoint (127.0.0.1, another origin) from the browser as a
// public client. Refreshes are counted at the token endpoint; sign-outs from every tab's onSignInRequired and
// onTokenChange(null), its reads, and the shared record.

const CUSTOMER = 'Ada Lovelace <customer@example.com>';
const ROUNDS = 10;
/** The access token lifetime the emulator grants (its default, set again here because the rounds depend on it). */
const EXPIRES_IN_S = 3600;
/**
 * Each round moves every clock on by this: from one refresh to 2 minutes before the access token it issued
 * expires, inside the exchange's default 5-minute refresh window and outside its 30-second skew (still live).
 */
const ROUND_MS = (EXPIRES_IN_S - 120) * 1000;

let packed: PackedApp;
let emulator: Testing.Emulator;
let site: Server;
let siteUrl: string;
let browser: Browser;

type Stored = CustomerAccountTokenSet | { signedOut: true } | null;
type Observed = {
  signIns: string[];
  refreshesSent: number;
  handOversHeard: number;
  tokenChanges: number;
  tokenChangesToNull: number;
};
type Read = { ok: boolean; customer?: string; signal?: string; ms: number };
/** What scripts/consumers/customer-account-tabs/page.ts puts on `window` (evaluated in the page, so cast there). */
type TabWindow = {
  tab: {
    setClock(ms: number): void;
    startSignIn(): Promise<string>;
    completeSignIn(callback: string): Promise<string>;
    load(): Promise<Read>;
    observed(): Observed;
    stored(): Promise<Stored>;
  };
};

const refreshes = () => emulator.customerAccount.counters.refreshes();
const load = (tab: Page) => tab.evaluate(() => (window as unknown as TabWindow).tab.load());
const observed = (tab: Page): Promise<Observed> => tab.evaluate(() => (window as unknown as TabWindow).tab.observed());
const stored = (tab: Page): Promise<Stored> => tab.evaluate(() => (window as unknown as TabWindow).tab.stored());
const setClock = (tabs: Page[]) =>
  Promise.all(
    tabs.map((tab) => tab.evaluate((ms) => (window as unknown as TabWindow).tab.setClock(ms), emulator.clock.now())),
  );
const isTokenSet = (record: Stored): record is CustomerAccountTokenSet => record !== null && 'accessToken' in record;

/**
 * Signs the customer in from `tab`: the page starts the sign-in (PKCE), the customer approves at the emulator's
 * authorize endpoint (the one step taken here: its redirect to the callback), and the page exchanges the code at
 * the token endpoint and stores the token set.
 */
async function signIn(tab: Page): Promise<void> {
  const url = await tab.evaluate(() => (window as unknown as TabWindow).tab.startSignIn());
  const approved = await fetch(url, { redirect: 'manual' });
  expect(approved.status, 'the authorize endpoint redirects to the callback').toBe(302);
  const callback = approved.headers.get('location') ?? '';
  const done = await tab.evaluate((to) => (window as unknown as TabWindow).tab.completeSignIn(to), callback);
  expect(done).toBe('signed in');
}

beforeAll(async () => {
  packed = await packedApp('customer-account-tabs');
  const { app, testing } = packed;
  emulator = await testing.startEmulator();
  site = await serveSite(app.dir, {
    shop: emulator.url,
    clientId: emulator.customerAccount.publicClientId,
    redirectUri: emulator.customerAccount.redirectUri,
  });
  // localhost (a secure context, so Web Locks exist), another origin than the emulator's 127.0.0.1.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await emulator?.close();
  await packed?.remove();
});

/** Refreshes per round and sign-outs, by scenario, for the summary line printed at the end. */
const table = new Map<string, { counts: number[]; signOuts: number }>();

afterAll(() => {
  const cells = [...table].map(
    ([scenario, { counts, signOuts }]) =>
      `${scenario}: ${counts.reduce((a, b) => a + b, 0)} (${counts.join(' ')}), sign-outs ${signOuts}`,
  );
  console.info(`[ca tabs] refreshes in ${ROUNDS} rounds of 3 tabs | ${cells.join(' | ')}`);
});

describe('three tabs sharing one Customer Account token set in headless Chromium, ten rounds of refresh', () => {
  const cases = [
    { store: 'idb', rotation: 'single-use' },
    { store: 'local', rotation: 'single-use' },
    { store: 'idb', rotation: 'grace' },
    { store: 'local', rotation: 'grace' },
  ] as const;
  for (const { store, rotation } of cases) {
    const scenario = `${store}/${rotation}/locks`;
    it(`${scenario}: exactly 1 refresh per round, every read answered, no tab signed out`, async () => {
      const settings = emulator.customerAccount.settings;
      settings.rotation = rotation;
      settings.expiresIn = EXPIRES_IN_S;
      const query = `store=${store}`;
      const { context, tabs } = await openTabs(browser, siteUrl, [query, query, query]);
      await setClock(tabs);
      await signIn(tabs[0]!);
      const counts: number[] = [];
      const result = { counts, signOuts: 0 };
      table.set(scenario, result);
      let seen: Observed[] = [];
      try {
        let previous = await stored(tabs[1]!);
        expect(isTokenSet(previous), 'every tab reads the signed-in token set').toBe(true);
        // Every tab reads once through its exchange before the rounds (the token is fresh: no refresh), so the
        // signed-in set is each tab's starting point. Without it, a tab whose first read of round 1 came after the
        // refresh took the refreshed set as its starting point and was told one change fewer.
        const beforeWarmUp = refreshes();
        const warmUps = await Promise.all(tabs.map(load));
        expect(
          warmUps.map((read) => read.customer ?? read.signal),
          'warm-up',
        ).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
        expect(refreshes() - beforeWarmUp, 'warm-up: no refresh').toBe(0);
        for (let round = 1; round <= ROUNDS; round++) {
          const label = `round ${round}`;
          emulator.clock.advance(ROUND_MS);
          await setClock(tabs);
          const before = refreshes();
          const reads = await Promise.all(tabs.map(load));
          // Let the refresh's tail end (the holder keeps the lock 50 ms and waits for its hand-over's delivery).
          await new Promise((resolve) => setTimeout(resolve, 400));
          counts.push(refreshes() - before);
          const records = await Promise.all(tabs.map(stored));
          expect(
            reads.map((read) => read.customer ?? read.signal),
            label,
          ).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
          expect(counts.at(-1), `${label}: refresh requests at the token endpoint`).toBe(1);
          expect(records.map(isTokenSet), label).toEqual([true, true, true]);
          expect(new Set(records.map((record) => JSON.stringify(record))).size, label).toBe(1);
          const record = records[0] as CustomerAccountTokenSet;
          const last = previous as CustomerAccountTokenSet;
          // Rotated: a new access and refresh token; the round's one refresh sent the previous refresh token.
          expect(record.accessToken !== last.accessToken, label).toBe(true);
          expect(record.refreshToken !== last.refreshToken, label).toBe(true);
          expect(record.refreshToken !== '' && record.idToken !== '', label).toBe(true);
          expect(emulator.customerAccount.counters.refreshesOf(last.refreshToken), label).toBe(1);
          previous = record;
        }
      } finally {
        // Printed whether the rounds passed or not: a failing case shows how far it got and what the tabs saw.
        seen = await Promise.all(tabs.map(observed));
        result.signOuts = seen.reduce((sum, s) => sum + s.signIns.length, 0);
        console.info(
          `[ca tabs] ${scenario}: refreshes per round ${counts.join(' ')}; sign-outs ${result.signOuts} ` +
            `(onSignInRequired by tab ${seen.map((s) => s.signIns.length).join('/')}, onTokenChange(null) ` +
            `${seen.map((s) => s.tokenChangesToNull).join('/')}); refreshes sent by tab ` +
            `${seen.map((s) => s.refreshesSent).join('/')}; hand-overs heard ${seen.map((s) => s.handOversHeard).join('/')}; ` +
            `onTokenChange by tab ${seen.map((s) => s.tokenChanges).join('/')}`,
        );
      }
      expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
      expect(seen.map((s) => s.tokenChangesToNull)).toEqual([0, 0, 0]);
      expect(counts).toEqual(Array(ROUNDS).fill(1));
      expect(seen.reduce((sum, s) => sum + s.refreshesSent, 0)).toBe(ROUNDS);
      // Told once per refresh in every tab (the signed-in set each tab first reads is its starting point).
      expect(seen.map((s) => s.tokenChanges)).toEqual([ROUNDS, ROUNDS, ROUNDS]);
      expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
      await context.close();
    });
  }
});

// Hostile worlds, three tabs on one token set each: a lock holder frozen (the debugger) or closed with its refresh
// out, a token endpoint failing the first refresh, and refresh tokens that live less than the refresh window.
describe('three tabs sharing one Customer Account token set in hostile worlds, in headless Chromium', () => {
  /** An operation's bound (README, "Bounds": renewWaitMs + storeTimeoutMs), plus room for the GraphQL round trip. */
  const READ_BOUND_MS = 6_000 + 500;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const answers = (reads: Read[]) => reads.map((read) => read.customer ?? read.signal);
  const untilRefreshes = async (count: number) => {
    for (let waited = 0; refreshes() < count; waited += 10) {
      if (waited > 5_000) throw new Error(`no refresh request reached the token endpoint (${refreshes()})`);
      await sleep(10);
    }
  };
  const due = async (tabs: Page[]) => {
    emulator.clock.advance(ROUND_MS);
    await setClock(tabs);
  };
  /** Opens three tabs on `store`, signs in from the first, and lets every tab read once (no refresh). */
  async function signedIn(store: 'local' | 'idb', reuseRevokesSignIn = false) {
    const settings = emulator.customerAccount.settings;
    settings.rotation = 'single-use';
    settings.expiresIn = EXPIRES_IN_S;
    settings.reuseRevokesSignIn = reuseRevokesSignIn;
    const query = `store=${store}`;
    const { context, tabs } = await openTabs(browser, siteUrl, [query, query, query]);
    await setClock(tabs);
    await signIn(tabs[0]!);
    expect(answers(await Promise.all(tabs.map(load))), 'warm-up').toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
    return { context, tabs };
  }
  /** Prints and answers what the open tabs saw. */
  async function seenBy(world: string, tabs: Page[], line: string) {
    const seen = await Promise.all(tabs.filter((tab) => !tab.isClosed()).map(observed));
    console.info(
      `[ca hostile] ${world}: ${line}; onSignInRequired by tab ${seen.map((s) => JSON.stringify(s.signIns)).join('/')}` +
        `; refreshes sent by tab ${seen.map((s) => s.refreshesSent).join('/')}`,
    );
    return seen;
  }

  /**
   * After a world's first reads: the refreshes since `before` and what `live` tabs store, then one more round
   * in those tabs (due again, one read each); prints what the tabs saw.
   */
  async function thenNextRound(world: string, tabs: Page[], live: Page[], reads: Read[], before: number) {
    const first = refreshes() - before;
    const records = await Promise.all(live.map(stored));
    await due(live);
    const beforeNext = refreshes();
    const next = await Promise.all(live.map(load));
    await sleep(400);
    const second = refreshes() - beforeNext;
    const seen = await seenBy(
      world,
      tabs,
      `refreshes ${first} then ${second}; reads ${reads.map((r) => `${r.customer ?? r.signal} ${r.ms} ms`)}; ` +
        `next round ${answers(next)}`,
    );
    return { first, second, records, next, seen };
  }

  afterEach(() => {
    emulator.customerAccount.faults.clear();
    emulator.customerAccount.settings.reuseRevokesSignIn = false;
  });

  for (const store of ['local', 'idb'] as const) {
    it(`${store}: a lock holder frozen with its refresh out (single-use, reuse detection) signs no tab out`, async () => {
      const world = `${store} frozen holder`;
      const { context, tabs } = await signedIn(store, true);
      const [frozen, ...others] = tabs as [Tab, Tab, Tab];
      const cdp = await context.newCDPSession(frozen);
      try {
        // The holder's refresh is answered 1 s late; the tab is paused (a frozen tab runs nothing) before it is.
        emulator.customerAccount.faults.inject({ kind: 'latency', ms: 1_000 }, { grantType: 'refresh_token' });
        await due(tabs);
        const before = refreshes();
        const held = load(frozen);
        held.catch(() => undefined);
        await untilRefreshes(before + 1);
        await cdp.send('Debugger.enable');
        await cdp.send('Debugger.pause');
        const started = Date.now();
        const reads = await Promise.all(others.map(load));
        // The others give up on the lock after 10 s and take it over; then 2 s of grace on an "invalid" answer.
        await sleep(16_000 - (Date.now() - started));
        const whileFrozen = refreshes() - before;
        const record = await stored(others[0]);
        await cdp.send('Debugger.resume');
        await cdp.send('Debugger.disable');
        const resumed = await held;
        await sleep(400);
        const after = await Promise.all(tabs.map(load));
        const seen = await seenBy(
          world,
          tabs,
          `refreshes while frozen ${whileFrozen}, in all ${refreshes() - before}; reads while frozen ` +
            `${reads.map((r) => `${r.customer ?? r.signal} ${r.ms} ms`)}; record while frozen ` +
            `${isTokenSet(record) ? 'token set' : JSON.stringify(record)}; frozen tab's read ${resumed.customer ?? resumed.signal}` +
            ` ${resumed.ms} ms; reads after ${answers(after)}`,
        );
        expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER]);
        for (const read of reads) expect(read.ms).toBeLessThanOrEqual(READ_BOUND_MS);
        expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
        expect(answers(after)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
        expect(refreshes() - before).toBeLessThanOrEqual(2);
      } finally {
        await context.close();
      }
    });

    it(`${store}: a lock holder closed with its refresh out (single-use) holds nobody up, signs no tab out`, async () => {
      const world = `${store} closed holder`;
      const { context, tabs } = await signedIn(store);
      const [closing, ...others] = tabs as [Tab, Tab, Tab];
      try {
        // The holder's refresh reaches the token endpoint, which answers it 1.5 s late (rotating the refresh
        // token there), after the tab was closed: its answer is lost.
        emulator.customerAccount.faults.inject({ kind: 'latency', ms: 1_500 }, { grantType: 'refresh_token' });
        await due(tabs);
        const before = refreshes();
        void load(closing).catch(() => undefined);
        await untilRefreshes(before + 1);
        await closing.close();
        const reads = await Promise.all(others.map(load));
        await sleep(2_000);
        const { first, second, records, next, seen } = await thenNextRound(world, tabs, others, reads, before);
        expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER]);
        // The lock is released at once: no wait for its timeout.
        for (const read of reads) expect(read.ms).toBeLessThanOrEqual(2_000);
        expect(records.map(isTokenSet)).toEqual([true, true]);
        expect(JSON.stringify(records[0])).toBe(JSON.stringify(records[1]));
        expect(answers(next)).toEqual([CUSTOMER, CUSTOMER]);
        expect(seen.map((s) => s.signIns)).toEqual([[], []]);
        expect([first, second]).toEqual([2, 1]);
      } finally {
        await context.close();
      }
    });

    const faults = [
      { name: 'a transient 401', fault: { kind: 'transient-401' } },
      { name: 'a 503', fault: { kind: 'status', status: 503 } },
      { name: 'a hang', fault: { kind: 'hang' } },
    ] as const;
    for (const { name, fault } of faults) {
      it(`${store}: ${name} for the first refresh, three tabs due at once: one more refresh, no sign-out`, async () => {
        const world = `${store} ${name}`;
        const { context, tabs } = await signedIn(store);
        try {
          const previous = await stored(tabs[0]!);
          emulator.customerAccount.faults.inject(fault, { grantType: 'refresh_token' });
          await due(tabs);
          const before = refreshes();
          const started = Date.now();
          const reads = await Promise.all(tabs.map(load));
          // A hang holds the lock until the request's timeout (10 s), or the others take the lock over (10 s).
          await sleep((fault.kind === 'hang' ? 13_000 : 1_000) - (Date.now() - started));
          const { first, second, records, next, seen } = await thenNextRound(world, tabs, tabs, reads, before);
          expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
          for (const read of reads) expect(read.ms).toBeLessThanOrEqual(READ_BOUND_MS);
          expect(records.map(isTokenSet)).toEqual([true, true, true]);
          expect(new Set(records.map((record) => JSON.stringify(record))).size).toBe(1);
          // A tab that takes the lock over from one whose request hangs does not race it while the token is live
          // (it may have spent the refresh token): the set is refreshed later. The others: the failed request, then
          // one refresh between the three tabs. Then one per round again.
          const hang = fault.kind === 'hang';
          expect(JSON.stringify(records[0]) === JSON.stringify(previous)).toBe(hang);
          expect(answers(next)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
          expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
          expect([first, second]).toEqual(hang ? [1, 1] : [2, 1]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('local: tokens that live less than the refresh window, tabs reading one after another', async () => {
    const world = 'local short-lived';
    const { context, tabs } = await signedIn('local');
    const settings = emulator.customerAccount.settings;
    try {
      // 4 minutes: every token is inside the 5-minute refresh window from the moment it is issued.
      settings.expiresIn = 240;
      await due(tabs); // refreshed once by the three tabs together; every tab's cooldown starts
      await Promise.all(tabs.map(load));
      await sleep(400);
      const counts: number[] = [];
      for (let round = 0; round < 3; round++) {
        // Past every tab's one-minute cooldown, the tabs read one after another, 2 s apart (the user switches tabs).
        emulator.clock.advance(61_000);
        await setClock(tabs);
        const before = refreshes();
        for (const tab of tabs) {
          expect((await load(tab)).customer).toBe(CUSTOMER);
          await sleep(200);
          // Two seconds pass at the token endpoint too, so a later refresh's token expires later.
          emulator.clock.advance(2_000);
          await setClock(tabs);
        }
        counts.push(refreshes() - before);
      }
      const seen = await seenBy(world, tabs, `refreshes per minute ${counts.join(' ')}`);
      expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
      // One tab alone would refresh once a minute (its cooldown); three tabs together should not do more.
      expect(counts).toEqual([1, 1, 1]);
    } finally {
      settings.expiresIn = EXPIRES_IN_S;
      await context.close();
    }
  });
});
