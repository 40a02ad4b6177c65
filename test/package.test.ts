import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The package manifest against the sources, without building: every exports target is the build output
// of a source that exists, every API version folder is reachable, and the declared dependencies are
// exactly what the shipped code imports. The packed tarball itself is tested by `npm run test:consumers`.

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  type: string;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  files: string[];
  sideEffects: boolean;
  engines: { node: string };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts: Record<string, string>;
};
const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
  compilerOptions: { rootDir: string; outDir: string; declaration: boolean; noEmit: boolean };
  include: string[];
};

/** The source a `./dist/...` target is built from (`./dist/src/x.js` and `./dist/src/x.d.ts` → `src/x.ts`). */
function sourceOf(target: string): string {
  const match = /^\.\/dist\/(.+)\.(js|d\.ts)$/.exec(target);
  if (!match) throw new Error(`${target} is not a build output under ./dist`);
  return `${match[1]}.ts`;
}

/** Every `.ts` file tsconfig.build.json compiles. */
function shippedSources(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      return statSync(join(root, path)).isDirectory()
        ? walk(path)
        : /\.ts$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name)
          ? [path]
          : [];
    });
  return build.include.flatMap(walk);
}

/** The package names a module source imports, type-only imports included (they are in the shipped `.d.ts`). */
function importedPackages(source: string): string[] {
  // TypeScript's own import scanner: it skips comments, strings and template literals that merely look like imports.
  const specifiers = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

/** The version folders of a generated folder (the Customer Account API's live in `generated/customer-account/`). */
const versionFolders = (dir: string) =>
  readdirSync(join(root, dir)).filter(
    (name) => /^(\d{4}-\d{2}|unstable)$/.test(name) && statSync(join(root, dir, name)).isDirectory(),
  );
const generatedVersions = versionFolders('generated');
const customerAccountVersions = versionFolders('generated/customer-account');

/** Every module `file` reaches through relative imports (itself included), as paths relative to the root. */
function reachedModules(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const { fileName } of ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = relative(root, join(root, file, '..', fileName.replace(/\.js$/, '.ts')));
    if (existsSync(join(root, target))) reachedModules(target, seen);
  }
  return seen;
}

describe('package.json', () => {
  it('is ESM with types first in every export and every target built from a source that exists', () => {
    expect(pkg.type).toBe('module');
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (typeof value === 'string') continue;
      expect(Object.keys(value), key).toEqual(['types', 'default']);
      if (key.includes('*')) continue;
      expect(existsSync(join(root, sourceOf(value.types!))), `${key} types`).toBe(true);
      expect(sourceOf(value.types!), key).toBe(sourceOf(value.default!));
    }
    expect(sourceOf(pkg.exports['.'] && typeof pkg.exports['.'] === 'object' ? pkg.exports['.'].default! : '')).toBe(
      'src/index.ts',
    );
    expect(pkg.exports['./testing']).toEqual({
      types: './dist/src/testing/index.d.ts',
      default: './dist/src/testing/index.js',
    });
    expect(pkg.exports['./redis']).toEqual({
      types: './dist/src/redis/index.d.ts',
      default: './dist/src/redis/index.js',
    });
    expect(pkg.main).toBe('./dist/src/index.js');
    expect(pkg.types).toBe('./dist/src/index.d.ts');
    expect(pkg.exports['./package.json']).toBe('./package.json');
  });

  it('reaches every generated API version through the exports map, so a new version needs no manifest edit', () => {
    expect(generatedVersions.length).toBeGreaterThan(0);
    const patterns = Object.entries(pkg.exports).filter(([key]) => key.includes('*'));
    for (const version of generatedVersions) {
      const exact = pkg.exports[`./${version}`];
      const pattern = patterns.find(([key]) => `./${version}`.startsWith(key.split('*')[0]!));
      expect(
        exact ?? pattern,
        `./${version} is not exported: add "./${version}" (e.g. unstable) to "exports"`,
      ).toBeDefined();
      const targets = (exact ?? pattern![1]) as Record<string, string>;
      const star = exact ? '' : `./${version}`.slice(pattern![0].indexOf('*'));
      const resolved = { types: targets.types!.replace('*', star), default: targets.default!.replace('*', star) };
      expect(resolved).toEqual({
        types: `./dist/generated/${version}/entry.d.ts`,
        default: `./dist/generated/${version}/entry.js`,
      });
      expect(existsSync(join(root, sourceOf(resolved.default))), `generated/${version}/entry.ts`).toBe(true);
    }
  });

  it('reaches every generated Customer Account version as ./customer-account/<version>, with no manifest edit', () => {
    expect(customerAccountVersions.length).toBeGreaterThan(0);
    expect(pkg.exports['./customer-account/2*']).toEqual({
      types: './dist/generated/customer-account/2*/entry.d.ts',
      default: './dist/generated/customer-account/2*/entry.js',
    });
    for (const version of customerAccountVersions) {
      expect(version.startsWith('2'), version).toBe(true);
      expect(existsSync(join(root, `generated/customer-account/${version}/entry.ts`)), version).toBe(true);
    }
  });

  it('keeps the Storefront runtime out of the Customer Account entry points: documents and guard on the CA runtime', () => {
    const runtime = reachedModules('src/customerAccount/index.ts');
    for (const version of customerAccountVersions) {
      const entry = `generated/customer-account/${version}/entry.ts`;
      const own = [
        entry,
        `generated/customer-account/${version}/graphql.ts`,
        'src/runtime/customerAccountDocuments.ts',
        'src/runtime/documents.ts',
      ];
      expect(
        [...reachedModules(entry)].filter((file) => !runtime.has(file) && !own.includes(file)),
        version,
      ).toEqual([]);
    }
    for (const storefrontOnly of ['storefrontExchange', 'customerTokenExchange', 'helpers', 'versionEntry', 'index'])
      expect(runtime.has(`src/runtime/${storefrontOnly}.ts`), storefrontOnly).toBe(false);
  });

  it('points its bin at the build of src/cli/bin.ts, which starts with a node shebang', () => {
    const [target] = Object.values(pkg.bin);
    expect(Object.keys(pkg.bin)).toEqual(['storefront-customer-session']);
    expect(sourceOf(target!)).toBe('src/cli/bin.ts');
    expect(readFileSync(join(root, 'src', 'cli', 'bin.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it(
    'ships dist, the LICENSE and the CHANGELOG, marks itself side-effect free and states the ' +
      'Node lines with require(esm)',
    () => {
      expect(pkg.files).toEqual(['dist', 'LICENSE', 'CHANGELOG.md']);
      for (const file of ['LICENSE', 'CHANGELOG.md']) expect(existsSync(join(root, file)), file).toBe(true);
      expect(pkg.sideEffects).toBe(false);
      expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
      expect(pkg.scripts.prepack).toBe('npm run build');
    },
  );

  it('declares exactly the packages the shipped code imports, with @urql/core as a peer', () => {
    const imported = new Set(
      shippedSources().flatMap((file) => importedPackages(readFileSync(join(root, file), 'utf8'))),
    );
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    expect(
      [...imported].filter((name) => !declared.has(name)),
      'imported but not declared',
    ).toEqual([]);
    expect(
      [...declared].filter((name) => !imported.has(name)),
      'declared but never imported',
    ).toEqual([]);
    const optional = (name: string) => pkg.peerDependenciesMeta?.[name]?.optional === true;
    expect(
      Object.keys(pkg.peerDependencies).filter((name) => !optional(name)),
      'required peers',
    ).toEqual(['@urql/core']);
    expect(pkg.dependencies).not.toHaveProperty('@urql/core');
  });

  it("declares no peer that can clash with an app's codegen or bundler; graphql and redis are optional peers", () => {
    expect(pkg.peerDependencies).toEqual({
      '@urql/core': '^6.0.0',
      graphql: '^16.8.0 || ^17.0.0',
      redis: '^5.0.0 || ^6.0.0',
    });
    expect(pkg.peerDependenciesMeta).toEqual({ graphql: { optional: true }, redis: { optional: true } });
    expect(Object.keys(pkg.dependencies).filter((name) => /codegen|esbuild|^graphql$/.test(name))).toEqual([]);
  });

  it('loads graphql (an optional peer) only in the emulator, the CLI and the tooling, never in the runtime', () => {
    // The JavaScript each source compiles to: type-only imports (the .d.ts files name graphql's types) are gone.
    const javascript = (file: string) =>
      ts.transpileModule(readFileSync(join(root, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
    const importers = shippedSources().filter((file) => importedPackages(javascript(file)).includes('graphql'));
    expect(importers.length).toBeGreaterThan(0);
    expect(
      importers.filter((file) => !/^src\/(testing|cli|schema|codegen|tooling)\//.test(file)),
      'graphql imported by the runtime or the generated entry points',
    ).toEqual([]);
  });

  it('imports redis (an optional peer) only in src/redis, the ./redis entry point', () => {
    const importers = shippedSources().filter((file) =>
      importedPackages(readFileSync(join(root, file), 'utf8')).includes('redis'),
    );
    expect(importers.length).toBeGreaterThan(0);
    expect(
      importers.filter((file) => !file.startsWith(join('src', 'redis'))),
      'redis imported outside src/redis',
    ).toEqual([]);
  });

  it('keeps src/redis out of every module the root, version and testing entry points reach', () => {
    const entries = [
      'src/index.ts',
      'src/testing/index.ts',
      ...generatedVersions.map((v) => `generated/${v}/entry.ts`),
      ...customerAccountVersions.map((v) => `generated/customer-account/${v}/entry.ts`),
    ];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { fileName } of ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles) {
        if (fileName === 'redis' || fileName.startsWith('redis/')) seen.add(`redis (the package, from ${file})`);
        if (!fileName.startsWith('.')) continue;
        const target = relative(root, join(root, file, '..', fileName.replace(/\.js$/, '.ts')));
        if (existsSync(join(root, target))) visit(target);
      }
    };
    entries.forEach(visit);
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter((file) => file.startsWith(join('src', 'redis')) || file.startsWith('redis'))).toEqual([]);
  });
});

describe('tsconfig.build.json', () => {
  it('emits JavaScript and declarations for src and generated into dist, keeping their layout', () => {
    expect(build.compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist', declaration: true, noEmit: false });
    expect(build.include).toEqual(['src', 'generated']);
    const shipped = shippedSources();
    expect(shipped).toEqual(
      expect.arrayContaining([
        'src/index.ts',
        'src/cli/bin.ts',
        'src/testing/index.ts',
        'src/redis/index.ts',
        ...generatedVersions.map((v) => `generated/${v}/entry.ts`),
        ...customerAccountVersions.map((v) => `generated/customer-account/${v}/entry.ts`),
      ]),
    );
    expect(
      shipped.filter((f) => relative('src', f).startsWith('..') && relative('generated', f).startsWith('..')),
    ).toEqual([]);
  });
});

describe('importedPackages', () => {
  it('finds value, type-only, side-effect and dynamic imports, and skips relative paths and Node built-ins', () => {
    const source =
      `// import x from 'commented';\nconst t = \`import y from 'templated'\`;\nimport { a } ` +
      `from '@scope/pkg/sub';\nimport type { B } from "plain";\nimport 'side';\nawait ` +
      `import('dyn/x');\nimport { c } from './local.js';\nimport { d } from 'node:fs';\nimport ` +
      `e from 'path';\nexport * from 'reexported';`;
    expect(importedPackages(source)).toEqual(['@scope/pkg', 'plain', 'side', 'dyn', 'reexported']);
  });
});
