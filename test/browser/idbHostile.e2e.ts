import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import { rotatingProxy } from './rotatingProxy.js';
import { launchChromium, openTabs as openTabsOf, packedApp, serveSite, type PackedApp, type Tab } from './site.js';

// `npm run test:browser`: tabs of one origin on `indexedDbTokenStore` (scripts/consumers/tabs/page.ts, `?store=idb`,
// built from the packed package) in hostile IndexedDB worlds the other browser tests do not play: another script or
// release of the app that upgraded the database without the package's object store, in real headless Chromium.

const DAY = 24 * 3600_000;
const CUSTOMER = 'Ada Lovelace <customer@example.com>';
/** The database the tabs page names (`indexedDbTokenStore(KEY)`). */
const DATABASE = 'scs-e2e:token';

let packed: PackedApp;
let emulator: Testing.Emulator;
let proxy: Server;
/** Whether the proxy rotates tokens (a renewal invalidates the token it renewed). */
let rotating = false;
let site: Server;
let siteUrl: string;
let browser: Browser;

type Stored = { accessToken: string; expiresAt: string } | { signedOut: true } | null;
type Read = { ok: boolean; customer?: string; signal?: string; ms: number };
/** What scripts/consumers/tabs/page.ts puts on `window` (evaluated in the page, so cast there). */
type TabWindow = {
  tab: {
    setClock(ms: number): void;
    signIn(): Promise<string>;
    load(): Promise<Read>;
    observed(): { signIns: string[]; renewsSent: number };
    stored(): Promise<Stored>;
  };
};

const renews = () => emulator.counters.count('CustomerAccessTokenRenew');
const load = (tab: Page) => tab.evaluate(() => (window as unknown as TabWindow).tab.load());
const answers = (reads: Read[]) => reads.map((read) => read.customer ?? read.signal);
/** The store's own read of the record, or the message it failed with (a store call must answer, so 5 s at most). */
const stored = (tab: Page): Promise<Stored | string> =>
  tab.evaluate(() =>
    Promise.race([
      (window as unknown as TabWindow).tab.stored(),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 5 s'), 5_000)),
    ]).catch((error: Error) => error.message),
  );
const setClock = (tabs: Page[]) =>
  Promise.all(
    tabs.map((tab) => tab.evaluate((ms) => (window as unknown as TabWindow).tab.setClock(ms), emulator.clock.now())),
  );

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
    const during = await bystander.evaluate(() => (window as unknown as TabWindow).tab.observed());
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
    const seen = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => (window as unknown as TabWindow).tab.observed())),
    );
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
    console.info(`[idb reload] store after: ${JSON.stringify(await stored(bystander)).slice(0, 40)}`);
    const reads = [await load(bystander), await load(renewer), await load(bystander)];
    console.info(`[idb reload] reads: ${reads.map((read) => `${read.customer ?? read.signal} ${read.ms} ms`)}`);
    expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER, CUSTOMER]);
    expect(renews() - before).toBe(1);
    const seen = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => (window as unknown as TabWindow).tab.observed())),
    );
    expect(seen.map((s) => s.signIns)).toEqual([[], []]);
    await context.close();
  });

  it('answer within the bound while an upgrade blocked by a connection that never closes holds every open up', async () => {
    rotating = false;
    emulator.settings.renewReturns = 'same-token';
    const { context, tabs } = await openTabs(['store=idb', 'store=idb']);
    expect(await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
    emulator.clock.advance(DAY);
    await setClock(tabs);
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    const current = await stored(tabs[0]!);
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
      DATABASE,
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
    expect(await stored(tabs[0]!)).toEqual(current);
    expect(renews() - before).toBe(0);
    const seen = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => (window as unknown as TabWindow).tab.observed())),
    );
    expect(seen.map((s) => s.signIns)).toEqual([[], []]);
    await context.close();
  });

  it('recover the record when another script upgraded the database without the object store', async () => {
    rotating = false;
    emulator.settings.renewReturns = 'same-token';
    const { context, tabs } = await openTabs(['store=idb', 'store=idb']);
    expect(await tabs[0]!.evaluate(() => (window as unknown as TabWindow).tab.signIn())).toBe('signed in');
    emulator.clock.advance(DAY);
    await setClock(tabs);
    expect(answers(await Promise.all(tabs.map(load)))).toEqual([CUSTOMER, CUSTOMER]);
    const current = await stored(tabs[0]!);
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
      DATABASE,
    );

    // Every tab still answers with the token it knows, and the record is lost data, written back.
    const before = renews();
    const reads = await Promise.all(tabs.map(load));
    console.info(`[idb no object store] reads ms: ${reads.map((read) => read.ms)}`);
    expect(answers(reads)).toEqual([CUSTOMER, CUSTOMER]);
    for (const read of reads) expect(read.ms).toBeLessThan(1_000);
    expect(await stored(tabs[0]!)).toEqual(current);
    expect(await stored(tabs[1]!)).toEqual(current);
    // A tab opened now (a reload) finds the customer signed in.
    const late = await openTab(context, 'store=idb');
    expect(answers([await load(late)])).toEqual([CUSTOMER]);
    expect(renews() - before).toBe(0);
    const seen = await Promise.all(
      [...tabs, late].map((tab) => tab.evaluate(() => (window as unknown as TabWindow).tab.observed())),
    );
    expect(seen.map((s) => s.signIns)).toEqual([[], [], []]);
    expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
    await context.close();
  });
});
