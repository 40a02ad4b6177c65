import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { preset } from '@graphql-codegen/client-preset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharingLoadedSchema, storefrontCodegen } from '../../src/codegen/storefrontCodegen.js';
import { UNTRUSTED_SDL } from '../fixtures/schema/untrusted.js';

const repo = resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scs-codegen-untrusted-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('storefrontCodegen', () => {
  it('compiles operations against a schema graphql-js’s type-system validation rejects, still validating them', async () => {
    const schema = join(dir, 'untrusted.graphql');
    await writeFile(schema, UNTRUSTED_SDL);
    const configFor = (operations: string) => {
      const config = storefrontCodegen({ operations, out: join(dir, 'out'), versions: ['2026-04'], cwd: repo });
      for (const output of Object.values(config.generates)) {
        output.schema = schema;
        if (output.preset) Object.assign(output, { preset });
      }
      return { ...config, cwd: repo, silent: true };
    };
    const files = (await generate(configFor(join(repo, 'operations/Customer*.graphql')), false)) as {
      filename: string;
    }[];
    expect(files.map((f) => f.filename)).toContain(join(dir, 'out/2026-04/documents.ts'));

    await writeFile(join(dir, 'Bad.graphql'), 'query Bad { shop { nope } }');
    await expect(generate(configFor(join(dir, '*.graphql')), false)).rejects.toThrow(/Cannot query field "nope"/);
  }, 60_000);

  it('sharingLoadedSchema hands each planned file the loaded schema, keeping one the preset set itself', async () => {
    const [loaded, own] = [{ loaded: true }, { own: true }];
    const stub = {
      prepareDocuments: (path: string, documents: string[]) => [...documents, `!${path}`],
      buildGeneratesSection: (_options: { schemaAst?: unknown }) => [
        { filename: 'a.ts' },
        { filename: 'b.ts', schemaAst: own },
      ],
    };
    const shared = sharingLoadedSchema(stub);
    expect(await shared.buildGeneratesSection({ schemaAst: loaded })).toEqual([
      { filename: 'a.ts', schemaAst: loaded },
      { filename: 'b.ts', schemaAst: own },
    ]);
    expect(shared.prepareDocuments('out/', ['x'])).toEqual(['x', '!out/']);
  });

  it('writes the same files with sharingLoadedSchema(preset), which hands the preset the loaded schema', async () => {
    const configWith = (clientPreset: object) => {
      const config = storefrontCodegen({ operations: 'operations', out: 'out', versions: ['2026-04'], cwd: repo });
      for (const output of Object.values(config.generates))
        if (output.preset) Object.assign(output, { preset: clientPreset });
      return { ...config, cwd: repo, silent: true };
    };
    type File = { filename: string; content: string };
    const plain = (await generate(configWith(preset), false)) as File[];
    const shared = (await generate(configWith(sharingLoadedSchema(preset)), false)) as File[];
    expect(plain.map((f) => f.filename).sort()).toEqual(
      ['documents.ts', 'gql.ts', 'graphql.ts', 'index.ts'].map((f) => `out/2026-04/${f}`),
    );
    const byName = (files: File[]) => Object.fromEntries(files.map((f) => [f.filename, f.content]));
    expect(byName(shared)).toEqual(byName(plain));
  }, 60_000);
});
