import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import { buildSpa, emulatorOf, installExample, serveStatic, type ExampleApp } from '../../scripts/examples.js';
import { launchChromium } from '../browser/site.js';

// examples/react-spa from the packed tarball: `tsc --noEmit && vite build` (Vite 7, React 19, urql's Provider),
// served from localhost and run in headless Chromium against the emulator on 127.0.0.1 (another origin: CORS).

const DAY = 24 * 3600_000;

let app: ExampleApp;
let testing: typeof Testing;
let em: Testing.Emulator;
let site: Server;
let siteUrl: string;
let browser: Browser;

beforeAll(async () => {
  const started = Date.now();
  app = await installExample('react-spa', inject('tarball'));
  const installed = Date.now();
  testing = await emulatorOf(app);
  em = await testing.startEmulator();
  await buildSpa(app, em);
  const built = Date.now();
  const served = await serveStatic(join(app.dir, 'dist'));
  site = served.server;
  // localhost, not 127.0.0.1: another host as well as another port, so the emulator is cross-origin.
  siteUrl = `http://localhost:${served.port}/`;
  browser = await launchChromium();
  console.log(`react-spa: install ${installed - started} ms, tsc and vite build ${built - installed} ms`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (site ? site.close(done) : done(undefined)));
  await em?.close();
  await app?.remove();
});

async function visible(page: Page, selector: string): Promise<string> {
  const element = await page.waitForSelector(selector, { timeout: 15_000 });
  return (await element.textContent()) ?? '';
}

async function signIn(page: Page): Promise<void> {
  await page.fill('#sign-in input[name=email]', testing.DEFAULT_CUSTOMER.email);
  await page.fill('#sign-in input[name=password]', testing.DEFAULT_CUSTOMER.password);
  await page.click('#sign-in button[type=submit]');
}

describe('examples/react-spa (vite build) in headless Chromium', () => {
  it('signs in, reads the customer, and shows the sign-in form when the token expires on the emulator', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(siteUrl);

    // No stored token: the exchange answers sign-in-required ('missing') without a request.
    await visible(page, '#sign-in');
    expect(await page.$('#notice')).toBeNull();
    expect(em.counters.count('Customer')).toBe(0);

    await signIn(page);
    expect(await visible(page, '#customer')).toBe('Ada Lovelace <customer@example.com>');
    expect(em.counters.count('CustomerAccessTokenCreate')).toBe(1);
    expect(em.counters.count('Customer')).toBe(1);

    // A reload of the page finds the token in localStorage and reads the customer again.
    await page.reload();
    expect(await visible(page, '#customer')).toBe('Ada Lovelace <customer@example.com>');
    expect(em.counters.count('Customer')).toBe(2);

    // Expired on the emulator (the page's clock still finds it valid): customer null → onSignInRequired.
    em.clock.advance(43 * DAY);
    await page.click('#reload');
    expect(await visible(page, '#notice')).toBe('Your session ended: please sign in again.');
    expect(await page.$('#customer')).toBeNull();
    expect(em.counters.count('Customer')).toBe(3);
    expect(em.counters.count('CustomerAccessTokenRenew')).toBe(0);
    expect(await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)))).not.toContainEqual(
      expect.stringContaining('accessToken'),
    );

    // Signing in again starts a new session with a new client (no cached customer of the old one).
    await signIn(page);
    expect(await visible(page, '#customer')).toBe('Ada Lovelace <customer@example.com>');
    expect(em.counters.count('Customer')).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  });
});
