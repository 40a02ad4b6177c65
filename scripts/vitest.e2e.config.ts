import { defineConfig } from 'vitest/config';

/**
 * The package tests that run on the packed tarball (`npm run test:consumers`, `npm run test:browser`):
 * slow (npm pack, npm install into throwaway apps, a headless browser), so they are kept out of
 * `npm test` by their `.e2e.ts` suffix and run by `.ci/run` after it.
 */
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['test/consumers/**/*.e2e.ts', 'test/browser/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
