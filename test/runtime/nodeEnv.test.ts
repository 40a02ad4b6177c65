import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every read of `process` in code that ships to browsers and workers (the version entry points, the codegen
// runtime and the fetch-only emulator, with everything they import) must be the guarded development switch of
// src/runtime/warn.ts: a bare `process.env.NODE_ENV` throws `ReferenceError: process is not defined` in workerd
// without `nodejs_compat` when the bundler has no define. test/runtime/noProcess.workerd.test.ts runs it there.

const root = join(import.meta.dirname, '../..');
const GUARDS = [
  "typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false",
  "typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true",
];

/** The project's own files bundled into those entry points (packages left out). */
async function shippedFiles(): Promise<string[]> {
  // Each version folder's entry, the Storefront's (generated/<v>/) and the Customer Account API's.
  const versionEntries = (dir: string) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^(\d{4}-\d{2}|unstable)$/.test(d.name))
      .map((d) => join(root, dir, d.name, 'entry.ts'));
  const entries = [
    ...versionEntries('generated'),
    ...versionEntries('generated/customer-account'),
    join(root, 'src/runtime/codegenRuntime.ts'),
    join(root, 'src/testing/fetch.ts'),
  ];
  const result = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules'));
}

/** The code without comments (crudely: enough for this project's sources, which keep no `//` in strings here). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('reads of process in shipped code', () => {
  it('are all the guarded development switch', async () => {
    const files = await shippedFiles();
    expect(files).toContain('src/runtime/storefrontExchange.ts');
    expect(files).toContain('src/testing/emulator.ts');
    expect(files).toContain('src/customerAccount/customerAccountExchange.ts');
    const bare = files.flatMap((file) => {
      let text = code(readFileSync(join(root, file), 'utf8')).replace(/\s+/g, ' ');
      for (const guard of GUARDS) text = text.split(guard).join('');
      return /\bprocess\b/.test(text) ? [file] : [];
    });
    expect(bare).toEqual([]);
  });
});
