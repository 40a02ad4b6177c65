import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { preset } from '@graphql-codegen/client-preset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontCodegen } from '../../src/codegen/storefrontCodegen.js';
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
});
