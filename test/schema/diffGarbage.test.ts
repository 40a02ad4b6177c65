import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scs-diff-'));
  await copyFile(join(repo, 'schema/2026-04.graphql'), join(dir, '2026-04.graphql'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('schema diff with a snapshot that is not SDL', () => {
  it('names the broken snapshot and how to replace it, as schema check does', async () => {
    // e.g. an introspection JSON saved under the snapshot's name, or a merge conflict left in it.
    await writeFile(join(dir, '2026-07.graphql'), '{"data":{"__schema":{}}}\n');
    const run = await runCli(
      ['schema', 'diff', '2026-04', '2026-07', '--schema-dir', dir, '--operations', 'operations'],
      { cwd: repo },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('2026-07.graphql');
    expect(run.stderr).toContain('schema pull --version 2026-07');
  });
});
