import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The example app (examples/app) imports the package by name, as an app does: the names map to the sources.
    alias: [
      { find: /^storefront-customer-session\/codegen-runtime$/, replacement: here('./src/runtime/codegenRuntime.ts') },
      { find: /^storefront-customer-session\/(\d{4}-\d{2}|unstable)$/, replacement: here('./generated/$1/entry.ts') },
      {
        find: /^storefront-customer-session\/customer-account\/(\d{4}-\d{2}|unstable)$/,
        replacement: here('./generated/customer-account/$1/entry.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['./test/runDir.ts'],
    typecheck: {
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
