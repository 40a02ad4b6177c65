import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The private-token guard refuses browser workers (dedicated, shared, service), whose globals workerd partly
// shares: its global object is a ServiceWorkerGlobalScope. A Worker is a server, so the guard must let it be.

let mf: Miniflare | undefined;

beforeAll(async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker/privateTokenWorker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    // What wrangler does for a Worker without nodejs_compat: workerd has no `process`.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  mf = new Miniflare({ modules: true, script: result.outputFiles[0]!.text, compatibilityDate: '2026-04-01' });
}, 30_000);
afterAll(() => mf?.dispose());

describe('a private token inside workerd (miniflare)', () => {
  it('builds the storefront exchange: a Worker is a server, though its global is a ServiceWorkerGlobalScope', async () => {
    const response = await mf!.dispatchFetch('http://worker.test/');
    expect(await response.json()).toEqual({
      userAgent: 'Cloudflare-Workers',
      serviceWorkerGlobal: 'function',
      built: true,
    });
  });
});
