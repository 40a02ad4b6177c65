import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
