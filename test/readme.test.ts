import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generatedVersions } from '../generated/versions.js';
import { generatedVersions as customerAccountVersions } from '../generated/customer-account/versions.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** `import { a, type B } from 'storefront-customer-session…'` in the README's code blocks: specifier → names. */
function readmeImports(): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  const blocks = [...readme.matchAll(/```(?:ts|tsx|js)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  for (const block of blocks) {
    for (const m of block.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(storefront-customer-session[^']*)'/g)) {
      const names = imports.get(m[2]!) ?? new Set<string>();
      for (const part of m[1]!.split(',')) {
        const name = part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!;
        if (name) names.add(name);
      }
      imports.set(m[2]!, names);
    }
  }
  return imports;
}

function exportedNames(file: string): Set<string> {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.getName()));
}

const versionEntries = new Map(generatedVersions.map((v) => [v, exportedNames(join(root, `generated/${v}/entry.ts`))]));

describe('the README', () => {
  const imports = readmeImports();

  it('imports from the package in its examples', () => {
    expect([...imports.keys()].length).toBeGreaterThan(0);
  });

  it('uses only names that every version entry exports, for the version and root imports', () => {
    const appNames = [...imports]
      .filter(
        ([specifier]) =>
          specifier === 'storefront-customer-session' ||
          /^storefront-customer-session\/(\d{4}-\d{2}|unstable)$/.test(specifier),
      )
      .flatMap(([, names]) => [...names]);
    expect(appNames.length).toBeGreaterThan(0);
    for (const [version, exported] of versionEntries) {
      expect({ version, missing: appNames.filter((n) => !exported.has(n)) }).toEqual({ version, missing: [] });
    }
  });

  it('uses only names that every Customer Account version entry exports, for those imports', () => {
    const names = [...imports]
      .filter(([specifier]) =>
        /^storefront-customer-session\/customer-account\/(\d{4}-\d{2}|unstable)$/.test(specifier),
      )
      .flatMap(([, found]) => [...found]);
    expect(names.length).toBeGreaterThan(0);
    for (const version of customerAccountVersions) {
      const exported = exportedNames(join(root, `generated/customer-account/${version}/entry.ts`));
      expect({ version, missing: names.filter((n) => !exported.has(n)) }).toEqual({ version, missing: [] });
    }
  });

  it('uses only names the testing entries export', () => {
    for (const [entry, file] of [
      ['testing', 'src/testing/index.ts'],
      ['testing/fetch', 'src/testing/fetch.ts'],
    ]) {
      const exported = exportedNames(join(root, file!));
      const names = [...(imports.get(`storefront-customer-session/${entry}`) ?? [])];
      expect({ entry, missing: names.filter((n) => !exported.has(n)) }).toEqual({ entry, missing: [] });
    }
  });
});

describe('every version entry', () => {
  const runtime = exportedNames(join(root, 'src/runtime/index.ts'));

  it('exports as many names as the README says', () => {
    const said = /Each version entry exports the same names \((\d+),/.exec(readme);
    for (const [version, exported] of versionEntries)
      expect({ version, count: exported.size }).toEqual({ version, count: Number(said?.[1]) });
  });

  it('exports the whole runtime, so one import line is enough', () => {
    for (const [version, exported] of versionEntries) {
      expect({ version, missing: [...runtime].filter((n) => !exported.has(n)) }).toEqual({ version, missing: [] });
    }
  });
});
