import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationEntries } from '../../src/codegen/entry.js';
import { filesUnder } from '../../src/tooling/filesUnder.js';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
let root: string;
let ops: string;

// operations/ with a link loop back to itself, a link to its parent, a second link to one file, a folder
// shared from outside by a link, and a dangling link.
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scs-walk-'));
  ops = join(root, 'operations');
  await mkdir(join(ops, 'nested'), { recursive: true });
  await mkdir(join(root, 'shared'));
  await writeFile(join(ops, 'Shop.graphql'), 'query Shop { shop { name } }\n');
  await writeFile(
    join(ops, 'nested/Me.graphql'),
    'query Me($customerAccessToken: String!) { customer(customerAccessToken: $customerAccessToken) { email } }\n',
  );
  await writeFile(join(root, 'shared/Brand.graphql'), 'query Brand { shop { description } }\n');
  await writeFile(join(ops, 'notes.txt'), 'not an operation');
  await symlink(ops, join(ops, 'nested/self'));
  await symlink('..', join(ops, 'nested/up'));
  await symlink('../Shop.graphql', join(ops, 'nested/AlsoShop.graphql'));
  await symlink('../shared', join(ops, 'shared'));
  await symlink('missing.graphql', join(ops, 'Dangling.graphql'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('filesUnder', () => {
  it('follows links, visits each real folder and file once, and skips dangling links', () => {
    const files = filesUnder(ops, (name) => name.endsWith('.graphql'));
    expect(files).toHaveLength(3);
    expect(files).toContain(join('nested', 'Me.graphql'));
    expect(files).toContain(join('shared', 'Brand.graphql'));
    expect(files.filter((f) => f.endsWith('Shop.graphql'))).toHaveLength(1);
  });

  it('throws for a missing folder, so the caller can name it', () => {
    expect(() => filesUnder(join(root, 'nope'), () => true)).toThrow(/ENOENT/);
  });
});

describe('walking an operations folder with a link loop', () => {
  it('schema check validates each operation once', async () => {
    const run = await runCli(['schema', 'check', '--operations', ops], { cwd: repo });
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/^schema check: 3 operation\(s\) valid against /);
  });

  it('the entry-point source lists each operation once', () => {
    expect(operationEntries(ops).map((e) => e.name)).toEqual(['Brand', 'Me', 'Shop']);
  });
});
