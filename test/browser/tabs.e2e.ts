import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import { rotatingProxy } from './rotatingProxy.js';
import { launchChromium, openTabs as openTabsOf, packedApp, serveSite, type PackedApp, type Tab } from './site.js';

// `npm run test:browser` (after `npm run build`? no: it packs the package itself, which builds it): tabs of one
// origin (pages of one browser context: one localStorage, one IndexedDB, one Web Locks manager) built from the
// packed package (scripts/consumers/tabs/page.ts) share a token store and renew through webLocksCoordination,
// against the emulator on another origin (behind rotatingProxy.ts), over real HTTP, in headless Chromium.

const DAY = 24 * 3600_000;
const CUSTOMER = 'Ada Lovelace <customer@example.com>';
const LOCK = 'scs-e2e:renewal';
const KEY = 'scs-e2e:token';

let packed: PackedApp;
let emulator: Testing.Emulator;
let proxy: Server;
/** Whether the proxy rotates tokens (a renewal invalidates the token it renewed). */
let rotating = false;
let site: Server;
let siteUrl: string;
let browser: Browser;

type Stored = { accessToken: string; expiresAt: string } | { signedOut: true } | null;
type Observed = {
  signIns: string[];
  lockWaits: number[];
  lockHeld: boolean[];
  renewsSent: number;
  handOversHeard: number;
  customerNulls: number;
};
type Read = { ok: boolean; customer?: string; signal?: string; ms: number };
/** What scripts/consumers/tabs/page.ts puts on `window` (evaluated in the page, so cast there). */
type TabWindow = {
  tab: {
    setClock(ms: number): void;
    signIn(): Promise<string>;
    load(): Promise<Read>;
    observed(): Observed;
    stored(): Promise<Stored>;
  };
};

const renews = () => emulator.counters.count('CustomerAccessTokenRenew');
const load = (tab: Page) => tab.evaluate(() => (window as unknown as TabWindow).tab.load());
const observed = (tab: Page): Promise<Observed> => tab.evaluate(() => (window as unknown as TabWindow).tab.observed());
const stored = (tab: Page): Promise<Stored> => tab.evaluate(() => (window as unknown as TabWindow).tab.stored());
const setClock = (tabs: Page[]) =>
  Promise.all(
    tabs.map((tab) => tab.evaluate((ms) => (window as unknown as TabWindow).tab.setClock(ms), emulator.clock.now())),
  );

/**
 * Opens one tab per query string in one context (one origin's storage and locks), each with the emulator's clock;
 * `locks: false` removes `navigator.locks` before any script of the page runs (a browser without Web Locks).
 */
async function openTabs(queries: string[], { locks = true } = {}): Promise<{ context: BrowserContext; tabs: Tab[] }> {
  const opened = await openTabsOf(browser, siteUrl, queries, { locks });
  await setClock(opened.tabs);
  return opened;
}

/**
 * Signs in from the first tab, then moves every clock `ms` on (by default 36 days: inside the default 7-day
 * renewal window).
 */
async function signInAndEnterWindow(tabs: Page[], ms = 36 * DAY): Promise<string> {
  expect(await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
  const signedIn = ((await stored(tabs[1]!)) as { expiresAt: string }).expiresAt;
  emulator.clock.advance(ms);
  await setClock(tabs);
  return signedIn;
}

/** Polls until some tab of the origin holds the renewal lock. */
async function untilLockHeld(tab: Page): Promise<void> {
  await expect
    .poll(() => tab.evaluate(async (name) => (await navigator.locks.query()).held?.some((l) => l.name === name), LOCK))
    .toBe(true);
}

beforeAll(async () => {
  packed = await packedApp('tabs');
  const { app, testing } = packed;
  emulator = await testing.startEmulator();
  proxy = await rotatingProxy(emulator.url, () => rotating);
  site = await serveSite(app.dir, {
    storeDomain: `127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    publicAccessToken: emulator.publicAccessToken,
    email: testing.DEFAULT_CUSTOMER.email,
    password: testing.DEFAULT_CUSTOMER.password,
  });
  // localhost (a secure context, so Web Locks exist), another origin than the emulator's 127.0.0.1.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await emulator?.close();
  await packed?.remove();
});

describe('three tabs of one origin in headless Chromium', () => {
  for (const store of ['local', 'idb'] as const) {
    it(`renew once between them when they enter the window together (${store} shared store)`, async () => {
      const { context, tabs } = await openTabs([`store=${store}`, `store=${store}`, `store=${store}`]);
      const signedIn = await signInAndEnterWindow(tabs);
      const before = renews();

      const reads = await Promise.all(tabs.map(load));
      const renewed = renews() - before;
      const seen = await Promise.all(tabs.map(observed));
      console.info(`[tabs ${store}] renew requests: ${renewed}; reads ms: ${reads.map((r) => r.ms)}`);
      const waits = seen.map((s) => s.lockWaits.join('/'));
      console.info(`[tabs ${store}] lock waits ms: ${waits}; sent by tab: ${seen.map((s) => s.renewsSent)}`);

      expect(reads.map((read) => read.customer ?? read.signal)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
      expect(renewed, 'renew requests while the three tabs read together').toBe(1);
      for (const { signIns, lockWaits } of seen) {
        expect(signIns).toEqual([]);
        expect(lockWaits).toHaveLength(1);
      }
      expect(seen.map((s) => s.renewsSent).sort()).toEqual([0, 0, 1]);
      // No session lost: every tab sees one renewed token, and reads with it again without renewing.
      const tokens = await Promise.all(tabs.map(stored));
      expect(new Set(tokens.map((token) => JSON.stringify(token))).size).toBe(1);
      expect(Date.parse((tokens[0] as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.parse(signedIn));
      const again = await Promise.all(tabs.map(load));
      expect(again.map((read) => read.customer ?? read.signal)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
      expect(renews() - before, 'renew requests after a second read in every tab').toBe(1);
      expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
      await context.close();
    });
  }

  it('are held up by a frozen tab holding the lock no longer than the timeout, and do not race its renewal', async () => {
    const timeout = 2_000;
    const { context, tabs } = await openTabs([`hang=1&timeout=${timeout}`, `timeout=${timeout}`, `timeout=${timeout}`]);
    const [frozen, ...live] = tabs as [Tab, Tab, Tab];
    await signInAndEnterWindow(tabs);
    const before = renews();
    // The first tab takes the lock and its renewal never returns; then the page is frozen outright.
    void frozen.evaluate(() => void (window as unknown as TabWindow).tab.load());
    await untilLockHeld(live[0]);
    const cdp = await context.newCDPSession(frozen);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });

    const reads = await Promise.all(live.map(load));
    const seen = await Promise.all(live.map(observed));
    const waits = seen.map((s) => s.lockWaits[0]!);
    const ms = reads.map((read) => read.ms);
    console.info(`[tabs frozen] renew requests: ${renews() - before}; lock waits ms: ${waits}; reads ms: ${ms}`);
    console.info(`[tabs frozen] sent by tab: ${seen.map((s) => s.renewsSent)}`);

    expect(reads.map((read) => read.customer ?? read.signal)).toEqual([CUSTOMER, CUSTOMER]);
    // The frozen tab may be renewing still (its request out, a rotating token spent): a tab that took the lock over
    // does not race it while the token is live. It renews later, holding the lock as usual.
    expect(renews() - before).toBe(0);
    // Each live tab gave up on the frozen one after the timeout, then took the lock over in turn.
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(timeout - 50);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(timeout + 1_000);
    for (const { signIns } of seen) expect(signIns).toEqual([]);
    expect(new Set((await Promise.all(live.map(stored))).map((t) => JSON.stringify(t))).size).toBe(1);
    expect(live.flatMap((tab) => tab.problems)).toEqual([]);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await context.close();
  });

  it('are released at once when the tab holding the lock closes', async () => {
    const timeout = 5_000;
    const { context, tabs } = await openTabs([`hang=1&timeout=${timeout}`, `timeout=${timeout}`, `timeout=${timeout}`]);
    const [closing, ...live] = tabs as [Tab, Tab, Tab];
    await signInAndEnterWindow(tabs);
    const before = renews();
    void closing.evaluate(() => void (window as unknown as TabWindow).tab.load());
    await untilLockHeld(live[0]);

    const reads = Promise.all(live.map(load));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closing.close();
    const done = await reads;
    const seen = await Promise.all(live.map(observed));
    const waits = seen.map((s) => s.lockWaits[0]!);
    console.info(`[tabs closed] renew requests: ${renews() - before}; lock waits ms: ${waits}`);

    expect(done.map((read) => read.customer ?? read.signal)).toEqual([CUSTOMER, CUSTOMER]);
    expect(renews() - before).toBe(1);
    for (const wait of waits) expect(wait).toBeLessThan(timeout / 2);
    for (const { signIns } of seen) expect(signIns).toEqual([]);
    expect(live.flatMap((tab) => tab.problems)).toEqual([]);
    await context.close();
  });
});

/** Renew requests per round, by scenario, for the one-line table printed at the end. */
const table = new Map<string, number[]>();

afterAll(() => {
  const cells = [...table].map(
    ([scenario, counts]) => `${scenario}: ${counts.reduce((a, b) => a + b, 0)} (${counts.join(' ')})`,
  );
  console.info(`[tabs rounds] renew requests in ${ROUNDS} rounds of 3 tabs | ${cells.join(' | ')}`);
});

const ROUNDS = 10;
/** renewWindowMs in the tabs: 41 of the token's 42 days, so a round needs to move the clocks only 1.5 days. */
const WINDOW_MS = 41 * DAY;
const ROUND_MS = 1.5 * DAY;

describe('three tabs of one origin, ten rounds of renewal each', () => {
  for (const store of ['local', 'idb'] as const) {
    for (const renewal of ['rotating', 'extending'] as const) {
      for (const locks of [true, false]) {
        const scenario = `${store}/${renewal}/${locks ? 'locks' : 'no locks'}`;
        const expected = locks ? 'exactly 1 renewal per round' : 'at least 1 renewal per round';
        it(`${scenario}: ${expected}, every read answered, no tab signed out`, async () => {
          // rotating: each renewal issues a new token and invalidates the old one (the proxy deletes it);
          // extending: the same token string comes back with a later expiresAt.
          rotating = renewal === 'rotating';
          emulator.settings.renewReturns = rotating ? 'new-token' : 'same-token';
          const query = `store=${store}&window=${WINDOW_MS}`;
          const { context, tabs } = await openTabs([query, query, query], { locks });
          const hasLocks = await tabs[0]!.evaluate(() => 'locks' in navigator);
          expect(hasLocks).toBe(locks);
          await signInAndEnterWindow(tabs, ROUND_MS);
          const counts: number[] = [];
          const slowest: number[] = [];
          table.set(scenario, counts);
          for (let round = 1; round <= ROUNDS; round++) {
            if (round > 1) {
              emulator.clock.advance(ROUND_MS);
              await setClock(tabs);
            }
            const before = renews();
            const reads = await Promise.all(tabs.map(load));
            // Let the renewals' tails end (the holder keeps the lock 50 ms; unlocked tabs wait for hand-overs).
            await new Promise((resolve) => setTimeout(resolve, 400));
            counts.push(renews() - before);
            slowest.push(Math.max(...reads.map((read) => read.ms)));
            const records = await Promise.all(tabs.map(stored));
            const round_ = `round ${round}`;
            expect(
              reads.map((read) => read.customer ?? read.signal),
              round_,
            ).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
            expect(
              records.map((record) => record && 'accessToken' in record),
              round_,
            ).toEqual([true, true, true]);
            expect(new Set(records.map((record) => JSON.stringify(record))).size, round_).toBe(1);
          }
          const seen = await Promise.all(tabs.map(observed));
          console.info(
            `[tabs rounds] ${scenario}: renew requests per round ${counts.join(' ')}; slowest read ms ` +
              `${slowest.join(' ')}; sent by tab ` +
              `${seen.map((s) => s.renewsSent).join('/')}; hand-overs heard ${seen.map((s) => s.handOversHeard).join('/')}`,
          );
          expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
          if (locks) expect(counts).toEqual(Array(ROUNDS).fill(1));
          else for (const count of counts) expect(count).toBeGreaterThanOrEqual(1);
          if (!locks) for (const { lockHeld } of seen) expect(lockHeld.every((held) => !held)).toBe(true);
          expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
          await context.close();
        });
      }
    }
  }
});

describe('three tabs of one origin, one renewing rotating tokens while the other two keep reading', () => {
  for (const store of ['local', 'idb'] as const) {
    for (const locks of [true, false]) {
      const scenario = `${store}/rotating/${locks ? 'locks' : 'no locks'}/bystanders`;
      it(`${scenario}: 1 renewal per round, every read answered, no tab signed out`, async () => {
        // Only the first tab's window (41 days) is entered; the others (7 days) keep sending the token they know,
        // and some of their reads go out with the token the renewal has just invalidated: answered
        // `customer: null`, they must find the new token, not sign every tab out.
        rotating = true;
        emulator.settings.renewReturns = 'new-token';
        const queries = [`store=${store}&window=${WINDOW_MS}`, `store=${store}`, `store=${store}`];
        const { context, tabs } = await openTabs(queries, { locks });
        await signInAndEnterWindow(tabs, ROUND_MS);
        const counts: number[] = [];
        table.set(scenario, counts);
        const readInARow = async (tab: Page) => {
          const reads: Read[] = [];
          for (let i = 0; i < 12; i++) reads.push(await load(tab));
          return reads;
        };
        for (let round = 1; round <= ROUNDS; round++) {
          if (round > 1) {
            emulator.clock.advance(ROUND_MS);
            await setClock(tabs);
          }
          const before = renews();
          const reads = await Promise.all([load(tabs[0]!).then((read) => [read]), ...tabs.slice(1).map(readInARow)]);
          await new Promise((resolve) => setTimeout(resolve, 400));
          counts.push(renews() - before);
          const answers = new Set(reads.flat().map((read) => read.customer ?? read.signal));
          expect([...answers], `round ${round}`).toEqual([CUSTOMER]);
        }
        const seen = await Promise.all(tabs.map(observed));
        const nulls = seen.map((s) => s.customerNulls).join('/');
        console.info(
          `[tabs rounds] ${scenario}: renew requests per round ${counts.join(' ')}; customer: null ${nulls}`,
        );
        expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
        expect(counts).toEqual(Array(ROUNDS).fill(1));
        const records = await Promise.all(tabs.map(stored));
        expect(records.map((record) => record && 'accessToken' in record)).toEqual([true, true, true]);
        expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
        await context.close();
      });
    }
  }
});

// Hostile worlds: a record another writer left in the store, a message another script posted on the hand-over
// channel, a renewal whose write the browser refused (quota).

const answers = (reads: Read[]) => reads.map((read) => read.customer ?? read.signal);

async function openTab(context: BrowserContext, query: string): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(`${siteUrl}?${query}`);
  await tab.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  await setClock([tab]);
  return tab;
}

async function signIn(tabs: Page[], ms: number): Promise<void> {
  expect(await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
  emulator.clock.advance(ms);
  await setClock(tabs);
}

describe('tabs of one origin in hostile worlds, in headless Chromium', () => {
  for (const store of ['local', 'idb'] as const) {
    it(`read a stored token whose expiresAt is no date as nothing, and write theirs back (${store})`, async () => {
      rotating = false;
      emulator.settings.renewReturns = 'same-token';
      const { context, tabs } = await openTabs([`store=${store}`, `store=${store}`]);
      await signIn(tabs, DAY);
      expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
      const current = (await stored(tabs[0]!)) as { accessToken: string; expiresAt: string };
      // Another release or app on the origin writes the record with expiresAt as epoch milliseconds.
      const garbage = { accessToken: current.accessToken, expiresAt: String(Date.parse(current.expiresAt)) };
      await tabs[1]!.evaluate(
        async ({ store, key, garbage }) => {
          if (store === 'local') return localStorage.setItem(key, JSON.stringify(garbage));
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(key);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          await new Promise((resolve, reject) => {
            const tx = db.transaction('customer-token', 'readwrite');
            tx.objectStore('customer-token').put(garbage, 'record');
            tx.oncomplete = resolve;
            tx.onerror = reject;
          });
          db.close();
        },
        { store, key: KEY, garbage },
      );

      expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
      expect((await Promise.all(tabs.map(observed))).map((seen) => seen.signIns)).toEqual([[], []]);
      expect(await stored(tabs[0]!)).toEqual(current);
      await context.close();
    });
  }

  it('take no hand-over whose token is no date', async () => {
    rotating = false;
    emulator.settings.renewReturns = 'same-token';
    const { context, tabs } = await openTabs(['store=idb', 'store=idb']);
    await signIn(tabs, DAY);
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    const current = (await stored(tabs[0]!)) as { accessToken: string; expiresAt: string };
    // Another script (another release of the app) posts on the package's channel.
    await tabs[1]!.evaluate(
      ({ name, current }) => {
        const channel = new BroadcastChannel(name);
        channel.postMessage({ from: current, to: { accessToken: current.accessToken, expiresAt: 'soon' } });
        channel.close();
      },
      { name: `${LOCK}:handover`, current },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    expect((await Promise.all(tabs.map(observed))).map((seen) => seen.signIns)).toEqual([[], []]);
    await context.close();
  });

  it('keep the customer signed in when the renewing tab could not store its rotated token, then closed', async () => {
    rotating = true;
    emulator.settings.renewReturns = 'new-token';
    // The first tab is in its renewal window (41 days), the other reads with the token it knows (7 days).
    const { context, tabs } = await openTabs([`store=local&window=${41 * DAY}`, 'store=local']);
    const [renewer, bystander] = tabs as [Tab, Tab];
    await signIn(tabs, 1.5 * DAY);
    const before = renews();
    await renewer.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function () {
        Storage.prototype.setItem = setItem; // the next write only: the storage was full for a moment
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    expect(answers(await Promise.all([load(renewer), load(bystander)]))).toEqual([CUSTOMER, CUSTOMER]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(answers([await load(bystander)])).toEqual([CUSTOMER]);
    await renewer.close();
    const late = await openTab(context, 'store=local');

    expect(answers([await load(late), await load(bystander)])).toEqual([CUSTOMER, CUSTOMER]);
    expect(renews() - before).toBe(1);
    expect((await Promise.all([bystander, late].map(observed))).map((seen) => seen.signIns)).toEqual([[], []]);
    expect(await stored(late)).toHaveProperty('accessToken');
    expect([bystander, late].flatMap((tab) => (tab as Tab).problems ?? [])).toEqual([]);
    await context.close();
  });
});

/** The store's own read of the record, or the message it failed with (a store call must answer, so 5 s at most). */
const storedWithin = (tab: Page): Promise<Stored | string> =>
  tab.evaluate(() =>
    Promise.race([
      (window as unknown as TabWindow).tab.stored(),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 5 s'), 5_000)),
    ]).catch((error: Error) => error.message),
  );

// Tabs on indexedDbTokenStore (`?store=idb`) in hostile IndexedDB worlds: a tab frozen or reloaded inside its write
// of a rotated token, an upgrade blocked by a connection that never closes, another script or release of the app
// that upgraded the database without the package's object store. Last in the file: they change the proxy's rotation
// and the emulator's renew answers.

describe('tabs on indexedDbTokenStore in hostile IndexedDB worlds, in headless Chromium', () => {
  it('sign no tab out while the renewing tab is frozen inside its write of a rotated token', async () => {
    rotating = true;
    emulator.settings.renewReturns = 'new-token';
    // The first tab is in its renewal window (41 days), the other reads with the token it knows (7 days).
    const { context, tabs } = await openTabs([`store=idb&window=${41 * DAY}`, 'store=idb']);
    const [renewer, bystander] = tabs as [Tab, Tab];
    expect(await renewer.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]); // both know the token
    emulator.clock.advance(1.5 * DAY);
    await setClock(tabs);
    const before = renews();
    // The renewer is paused (the debugger: a frozen tab runs nothing) inside its compare-and-set's transaction,
    // holding the renewal lock, the rotated token in memory only; the server already deleted the old one.
    const cdp = await context.newCDPSession(renewer);
    await cdp.send('Debugger.enable');
    const paused = new Promise((resolve) => cdp.once('Debugger.paused', resolve));
    await renewer.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
        if ((args[0] as { accessToken?: string } | null)?.accessToken) {
          IDBObjectStore.prototype.put = put;
          // eslint-disable-next-line no-debugger
          debugger;
        }
        return put.apply(this, args);
      };
    });
    const renewed = load(renewer);
    renewed.catch(() => undefined); // the page is closed paused if an expectation below fails
    await paused;
    const reads: Read[] = [];
    for (let i = 0; i < 3; i++) reads.push(await load(bystander));
    console.info(
      `[idb frozen writer] bystander: ${reads.map((read) => `${read.customer ?? read.signal} ${read.ms} ms`)}`,
    );
    const during = await observed(bystander);
    // Refused with the old token, and the store unreadable: the session cannot judge the refusal, so it signs no one
    // out, and must not tell the app to sign in either (the customer is signed in: the next read proves it).
    expect(during.signIns).toEqual([]);
    expect(answers(reads)).toEqual(['store-failure', 'store-failure', 'store-failure']);
    // Each phase (before it is sent, after it was refused) within the bound of 6 s.
    for (const read of reads) expect(read.ms).toBeLessThanOrEqual(2 * 6_000 + 1_000);
    await cdp.send('Debugger.resume');
    await cdp.send('Debugger.disable');
    expect(answers([await renewed])).toEqual([CUSTOMER]);
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    expect(renews() - before).toBe(1);
    const seen = await Promise.all(tabs.map(observed));
    expect(seen.map((s) => s.signIns)).toEqual([[], []]);
    const records = await Promise.all(tabs.map(stored));
    expect(records[0]).toHaveProperty('accessToken');
    expect(records[1]).toEqual(records[0]);
    await context.close();
  });

  it('keep the customer signed in when the renewing tab reloads during its write of a rotated token', async () => {
    rotating = true;
    emulator.settings.renewReturns = 'new-token';
    const { context, tabs } = await openTabs([`store=idb&window=${41 * DAY}`, 'store=idb']);
    const [renewer, bystander] = tabs as [Tab, Tab];
    expect(await renewer.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    emulator.clock.advance(1.5 * DAY);
    await setClock(tabs);
    const before = renews();
    // The renewer's page navigates away (a reload) the moment it asked IndexedDB to write the rotated token.
    await renewer.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
        const request = put.apply(this, args);
        if ((args[0] as { accessToken?: string } | null)?.accessToken) location.reload();
        return request;
      };
    });
    const renewing = load(renewer).catch((error: Error) => error.message);
    await renewer.waitForEvent('load');
    console.info(`[idb reload] renewer: ${JSON.stringify(await renewing).slice(0, 80)}`);
    await renewer.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    await setClock([renewer]);
    console.info(`[idb reload] store after: ${JSON.stringify(await storedWithin(bystander)).slice(0, 40)}`);
    const reads = [await load(bystander), await load(renewer), await load(bystander)];
    console.info(`[idb reload] reads: ${reads.map((read) => `${read.customer ?? read.signal} ${read.ms} ms`)}`);
    expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
    expect(renews() - before).toBe(1);
    const seen = await Promise.all(tabs.map(observed));
    expect(seen.map((s) => s.signIns)).toEqual([[], []]);
    await context.close();
  });

  it('answer within the bound while an upgrade blocked by a connection that never closes holds every open up', async () => {
    rotating = false;
    emulator.settings.renewReturns = 'same-token';
    const { context, tabs } = await openTabs(['store=idb', 'store=idb']);
    await signIn(tabs, DAY);
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    const current = await storedWithin(tabs[0]!);
    // Another script holds a connection and never answers versionchange; yet another asks for an upgrade, which
    // waits for it (blocked), and every open after it (the tabs' reopens) waits behind the upgrade.
    await tabs[1]!.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const held = indexedDB.open(name);
          held.onerror = () => reject(held.error);
          held.onsuccess = () => {
            (window as unknown as { held: IDBDatabase }).held = held.result;
            const upgrade = indexedDB.open(name, held.result.version + 1);
            (window as unknown as { upgrade: IDBOpenDBRequest }).upgrade = upgrade;
            upgrade.onblocked = () => resolve();
          };
        }),
      KEY,
    );
    const before = renews();
    const reads = [...(await Promise.all(tabs.map(load))), ...(await Promise.all(tabs.map(load)))];
    console.info(
      `[idb blocked upgrade] reads: ${reads.map((read) => `${read.customer ?? read.signal} ${read.ms} ms`)}`,
    );
    expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER, CUSTOMER]);
    for (const read of reads) expect(read.ms).toBeLessThanOrEqual(6_000);
    // The blocking connection closes: the upgrade, then every tab's open, goes through; nothing was lost.
    const upgraded = await tabs[1]!.evaluate(() =>
      Promise.race([
        new Promise<string>((resolve) => {
          const { held, upgrade } = window as unknown as { held: IDBDatabase; upgrade: IDBOpenDBRequest };
          upgrade.onsuccess = () => (upgrade.result.close(), resolve('upgraded'));
          upgrade.onerror = () => resolve(`upgrade failed: ${upgrade.error?.name}`);
          upgrade.onblocked = () => resolve('still blocked');
          held.close();
        }),
        new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 5 s'), 5_000)),
      ]),
    );
    expect(upgraded).toBe('upgraded');
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    expect(await storedWithin(tabs[0]!)).toEqual(current);
    expect(renews() - before).toBe(0);
    const seen = await Promise.all(tabs.map(observed));
    expect(seen.map((s) => s.signIns)).toEqual([[], []]);
    await context.close();
  });

  it('recover the record when another script upgraded the database without the object store', async () => {
    rotating = false;
    emulator.settings.renewReturns = 'same-token';
    const { context, tabs } = await openTabs(['store=idb', 'store=idb']);
    await signIn(tabs, DAY);
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    const current = await storedWithin(tabs[0]!);
    expect(current).toHaveProperty('accessToken');
    // Another release of the app (or another library given the same name) upgrades the database and drops the
    // package's object store; the tabs' connections get a versionchange and close, as they should.
    await tabs[1]!.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open(name, 7);
          request.onupgradeneeded = () => {
            for (const store of [...request.result.objectStoreNames]) request.result.deleteObjectStore(store);
            request.result.createObjectStore('something-else');
          };
          request.onsuccess = () => (request.result.close(), resolve());
          request.onerror = () => reject(request.error);
          request.onblocked = () => reject(new Error('blocked: a tab did not close its connection'));
        }),
      KEY,
    );

    // Every tab still answers with the token it knows, and the record is lost data, written back.
    const before = renews();
    const reads = await Promise.all(tabs.map(load));
    console.info(`[idb no object store] reads ms: ${reads.map((read) => read.ms)}`);
    expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER]);
    for (const read of reads) expect(read.ms).toBeLessThan(1_000);
    expect(await storedWithin(tabs[0]!)).toEqual(current);
    expect(await storedWithin(tabs[1]!)).toEqual(current);
    // A tab opened now (a reload) finds the customer signed in.
    const late = await openTab(context, 'store=idb');
    expect(answers([await load(late)])).toEqual([CUSTOMER]);
    expect(renews() - before).toBe(0);
    const seen = await Promise.all([...tabs, late].map(observed));
    expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
    expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
    await context.close();
  });
});
