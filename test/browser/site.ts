import { createServer, type Server } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { bundlePage, createConsumerApp, type ConsumerApp } from '../../scripts/consumer-app.js';
import { packPackage } from '../../scripts/pack.js';
import type * as Testing from '../../src/testing/index.js';

/** Debian's Chromium, or the one `CHROMIUM_PATH` names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Serves a bundled page (`index.html`, `dist/page.js`) and its `/config.json` on 127.0.0.1. */
export async function serveSite(dir: string, config: object): Promise<Server> {
  const files: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/page.js': ['dist/page.js', 'text/javascript; charset=utf-8'],
  };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/config.json') {
      response
        .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
        .end(JSON.stringify(config));
      return;
    }
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    const file = files[path];
    if (!file) return void response.writeHead(404).end();
    response
      .writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' })
      .end(await readFile(join(dir, file[0])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Headless Chromium with the flags the browser tests use everywhere (no sandbox, GPU or background traffic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A throwaway app with the packed package installed, its page bundled, and the package's `/testing` entry. */
export interface PackedApp {
  app: ConsumerApp;
  /** `storefront-customer-session/testing` as the app resolves it (the emulator of the packed package). */
  testing: typeof Testing;
  /** Removes the app and the tarball. */
  remove(): Promise<void>;
}

/**
 * Packs the package (which builds it), installs the tarball into an app made from `scripts/consumers/<fixture>/`,
 * bundles its `page.ts` with esbuild, and imports the installed `/testing` entry through the app's exports map.
 */
export async function packedApp(fixture: string): Promise<PackedApp> {
  const packed = await packPackage();
  const removeTarball = () => rm(join(packed.tarball, '..'), { recursive: true, force: true });
  let app: ConsumerApp | undefined;
  try {
    app = await createConsumerApp({ tarball: packed.tarball, fixture, type: 'module' });
    await bundlePage(app.dir);
    const testingEntry = createRequire(join(app.dir, 'package.json')).resolve('storefront-customer-session/testing');
    const testing = (await import(pathToFileURL(testingEntry).href)) as typeof Testing;
    const installed = app;
    return { app, testing, remove: async () => void (await Promise.all([installed.remove(), removeTarball()])) };
  } catch (error) {
    await Promise.all([app?.remove(), removeTarball()]);
    throw error;
  }
}

/** A page of a browser context, with the page errors and console errors it showed. */
export type Tab = Page & { problems: string[] };

/**
 * Opens one tab per query string of `url` in one new context (one origin's storage and Web Locks), each once its
 * `#status` shows `ready`; `locks: false` removes `navigator.locks` before any script of the page runs (a browser
 * without Web Locks).
 */
export async function openTabs(
  browser: Browser,
  url: string,
  queries: string[],
  { locks = true } = {},
): Promise<{ context: BrowserContext; tabs: Tab[] }> {
  const context = await browser.newContext();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (!locks) await context.addInitScript(() => delete (Navigator.prototype as any).locks);
  const tabs: Tab[] = [];
  for (const query of queries) {
    const tab = Object.assign(await context.newPage(), { problems: [] as string[] });
    tab.on('pageerror', (error) => tab.problems.push(`pageerror: ${error.message}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') tab.problems.push(`console: ${message.text()}`);
    });
    await tab.goto(`${url}?${query}`);
    await tab.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    tabs.push(tab);
  }
  return { context, tabs };
}
