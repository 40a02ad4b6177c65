import { defineConfig } from 'vitest/config';

/**
 * `npm run test:examples`: the recipes in examples/ built and run from the packed tarball (test/examples/). The
 * global setup packs once; each file installs its app into a temporary folder. Files run one at a time: builds
 * take the machine's cores.
 */
export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['test/examples/**/*.e2e.ts'],
    globalSetup: ['test/examples/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
