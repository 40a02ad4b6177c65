import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CUSTOMER, readSchemas } from '../../src/testing/index.js';

// workerd without `nodejs_compat` has no `process` global, and a Worker bundled without a define keeps
// `process.env.NODE_ENV` as written: every read of it must be guarded, or each request fails with
// `ReferenceError: process is not defined`.
//
// @urql/core's own dist reads `process.env.NODE_ENV` bare (the Client constructor, debug events), so an urql app
// in such a Worker needs a define whatever this package does. This plugin applies one to @urql/core's files only:
// this package's code (src/, generated/) and every other dependency stay as written.
const defineForUrqlOnly: Plugin = {
  name: 'define-for-urql-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]@urql[\\/]core[\\/]dist[\\/].*\.mjs$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('process.env.NODE_ENV', '"development"'),
      loader: 'js',
    }));
  },
};

let mf: Miniflare | undefined;
let bundle = '';

beforeAll(async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker/noProcessWorker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    // `neutral`, not `browser`: esbuild defines process.env.NODE_ENV on its own for the browser platform.
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [defineForUrqlOnly],
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
  mf = new Miniflare({
    modules: true,
    script: bundle,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: [],
    bindings: { SCHEMAS: { '2026-04': readSchemas()['2026-04']! }, NOW: Date.UTC(2026, 5, 15) },
  });
}, 30_000);
afterAll(() => mf?.dispose());

describe('the exchanges inside workerd without nodejs_compat and without a define (miniflare)', () => {
  it('is really bundled without a define: the expression is still in the code', () => {
    expect(bundle).toContain('typeof process !== "undefined" ? process.env.NODE_ENV !== "production" : false');
  });

  it('sends a real operation through the exchanges, and fails a signed-out one with its signal', async () => {
    const response = await mf!.dispatchFetch('http://worker.test/');
    expect(await response.json()).toEqual({
      processType: 'undefined',
      email: DEFAULT_CUSTOMER.email,
      readError: null,
      signedOut: 'sign-in-required',
      // No `process`: treated as production, the short message.
      signedOutMessage: '[Network] storefront-customer-session: sign-in-required',
    });
  });
});
