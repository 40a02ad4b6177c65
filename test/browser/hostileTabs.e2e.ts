import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import { rotatingProxy } from './rotatingProxy.js';
import { launchChromium, openTabs as openTabsOf, packedApp, serveSite, type PackedApp, type Tab } from './site.js';

// Tabs of one origin in headless Chromium (scripts/consumers/tabs/page.ts, as in tabs.e2e.ts) in hostile worlds: a
// record another writer left in the store, a message another script posted on the hand-over channel, a renewal
// whose write the browser refused (quota).

const DAY = 24 * 3600_000;
const CUSTOMER = 'Ada Lovelace <customer@example.com>';
const KEY = 'scs-e2e:token';
const LOCK = 'scs-e2e:renewal';

let packed: PackedApp;
let emulator: Testing.Emulator;
let proxy: Server;
let rotating = false;
let site: Server;
let siteUrl: string;
let browser: Browser;

type Stored = { accessToken: string; expiresAt: string } | { signedOut: true } | null;
type Observed = { signIns: string[]; renewsSent: number; handOversHeard: number; customerNulls: number };
type Read = { ok: boolean; customer?: string; signal?: string; ms: number };
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
const answers = (reads: Read[]) => reads.map((read) => read.customer ?? read.signal);

async function openTabs(queries: string[]): Promise<{ context: BrowserContext; tabs: Tab[] }> {
  const opened = await openTabsOf(browser, siteUrl, queries);
  await setClock(opened.tabs);
  return opened;
}

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
