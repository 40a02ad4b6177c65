import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import { launchChromium, packedApp, serveSite, type PackedApp } from './site.js';

// `npm run test:browser`: a page bundled with esbuild from the packed package, served from one origin,
// talking to the emulator (started from the installed package's `/testing`) on another, in headless
// Chromium: sign in → clock into the renewal window → read the customer through the exchanges, which
// renew the token first, once.

const DAY = 24 * 3600_000;

let packed: PackedApp;
let emulator: Testing.Emulator;
let site: Server;
let siteUrl: string;
let browser: Browser;

/** Waits until `#status` shows `expected`; on timeout, fails with what it shows instead. */
async function status(page: Page, expected: string): Promise<void> {
  try {
    await page.waitForFunction((text) => document.getElementById('status')?.textContent === text, expected, {
      timeout: 15_000,
    });
  } catch {
    throw new Error(`#status is "${await page.textContent('#status')}", expected "${expected}"`);
  }
}

beforeAll(async () => {
  // The emulator comes from the installed package, resolved through its exports map like an app would.
  packed = await packedApp('browser');
  const { app, testing } = packed;
  emulator = await testing.startEmulator();
  site = await serveSite(app.dir, {
    storeDomain: emulator.storeDomain,
    publicAccessToken: emulator.publicAccessToken,
    email: testing.DEFAULT_CUSTOMER.email,
    password: testing.DEFAULT_CUSTOMER.password,
  });
  // localhost, not 127.0.0.1: another host as well as another port, so the emulator is cross-origin.
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await emulator?.close();
  await packed?.remove();
});

describe('the packed package in headless Chromium', () => {
  it('signs in, renews once inside the renewal window and reads the customer, across origins', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const storefrontCalls: string[] = [];
    page.on('requestfinished', (request) => {
      if (request.url().startsWith(emulator.url))
        storefrontCalls.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });

    await page.goto(siteUrl);
    await status(page, 'ready');
    expect(new URL(page.url()).origin).not.toBe(new URL(emulator.url).origin);

    await page.click('#sign-in');
    await status(page, 'signed in');
    const signedInExpiry = Date.parse((await page.textContent('#expires'))!);
    expect(signedInExpiry).toBeGreaterThan(emulator.clock.now());
    expect(emulator.counters.count('CustomerAccessTokenRenew')).toBe(0);

    // 36 of 42 days: inside the 7-day renewal window, on both clocks.
    emulator.clock.advance(36 * DAY);
    await page.evaluate((ms) => (window as unknown as { travel(ms: number): void }).travel(ms), 36 * DAY);

    await page.click('#load');
    await status(page, 'loaded');

    expect(await page.textContent('#customer')).toBe('Ada Lovelace <customer@example.com>');
    expect(await page.textContent('#version')).toMatch(/^\d{4}-\d{2}$/);
    expect(await page.textContent('#writes')).toBe('2');
    expect(Date.parse((await page.textContent('#expires'))!)).toBeGreaterThan(signedInExpiry);
    expect(emulator.counters.count('CustomerAccessTokenCreate')).toBe(1);
    expect(emulator.counters.count('CustomerAccessTokenRenew')).toBe(1);
    expect(emulator.counters.count('Customer')).toBe(1);
    const version = await page.textContent('#version');
    expect(storefrontCalls).toEqual(Array(3).fill(`POST /api/${version}/graphql.json`));
    expect(problems).toEqual([]);
    await page.close();
  });
});
