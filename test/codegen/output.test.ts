import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/tooling/atomicWrite.js';
import { syncGeneratedFiles } from '../../src/codegen/output.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scs-codegen-output-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('syncGeneratedFiles', () => {
  it('writes new and changed files, leaves identical ones untouched, and leaves no temporary file', async () => {
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out/same.ts'), 'same\n');
    await writeFile(join(dir, 'out/old.ts'), 'old\n');
    const sameBefore = (await stat(join(dir, 'out/same.ts'))).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));

    const result = await syncGeneratedFiles(dir, [
      { filename: 'out/same.ts', content: 'same\n' },
      { filename: 'out/old.ts', content: 'new\n' },
      { filename: 'out/deep/created.ts', content: 'created\n' },
    ]);

    expect(result).toEqual({ written: ['out/deep/created.ts', 'out/old.ts'], unchanged: ['out/same.ts'], stale: [] });
    expect(await readFile(join(dir, 'out/old.ts'), 'utf8')).toBe('new\n');
    expect(await readFile(join(dir, 'out/deep/created.ts'), 'utf8')).toBe('created\n');
    expect((await stat(join(dir, 'out/same.ts'))).mtimeMs).toBe(sameBefore);
    expect((await readdir(join(dir, 'out'), { recursive: true })).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with check, reports changed and missing files as stale and writes nothing', async () => {
    await writeFile(join(dir, 'a.ts'), 'a\n');
    await writeFile(join(dir, 'b.ts'), 'b\n');
    const result = await syncGeneratedFiles(
      dir,
      [
        { filename: 'b.ts', content: 'B\n' },
        { filename: 'a.ts', content: 'a\n' },
        { filename: 'c.ts', content: 'c\n' },
      ],
      { check: true },
    );
    expect(result).toEqual({ written: [], unchanged: ['a.ts'], stale: ['b.ts', 'c.ts'] });
    expect(await readFile(join(dir, 'b.ts'), 'utf8')).toBe('b\n');
    expect(await readdir(dir)).toEqual(['a.ts', 'b.ts']);
  });
});

describe('writeAtomically', () => {
  it('removes its temporary file and keeps what was there when the rename fails', async () => {
    await mkdir(join(dir, 'target'));
    await writeFile(join(dir, 'target/keep.ts'), 'keep\n');
    await expect(writeAtomically(join(dir, 'target'), 'content')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['target']);
    expect(await readFile(join(dir, 'target/keep.ts'), 'utf8')).toBe('keep\n');
  });
});
