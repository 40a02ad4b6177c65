import { spawn, spawnSync } from 'node:child_process';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/tooling/atomicWrite.js';

const repo = resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scs-atomic-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The id of a process that has exited: nothing runs under it (until the system reuses it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('writeAtomically through symbolic links', () => {
  it('replaces the file a link points to, and keeps the link', async () => {
    await mkdir(join(dir, 'secrets'));
    await writeFile(join(dir, 'secrets/token.json'), 'old');
    await symlink('secrets/token.json', join(dir, 'token.json'));
    await writeAtomically(join(dir, 'token.json'), 'new', { mode: 0o600 });
    expect((await lstat(join(dir, 'token.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'token.json'))).toBe('secrets/token.json');
    expect(await readFile(join(dir, 'secrets/token.json'), 'utf8')).toBe('new');
    expect((await stat(join(dir, 'secrets/token.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['secrets', 'token.json']);
    expect(await readdir(join(dir, 'secrets'))).toEqual(['token.json']);
  });

  it('follows a chain of links, absolute and relative', async () => {
    await writeFile(join(dir, 'real'), 'old');
    await symlink(join(dir, 'real'), join(dir, 'middle'));
    await symlink('middle', join(dir, 'first'));
    await writeAtomically(join(dir, 'first'), 'new');
    expect(await readFile(join(dir, 'real'), 'utf8')).toBe('new');
    expect((await lstat(join(dir, 'middle'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dir, 'first'))).isSymbolicLink()).toBe(true);
  });

  it('refuses a loop of links with ELOOP, writing nothing', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(writeAtomically(join(dir, 'a'), 'new')).rejects.toMatchObject({ code: 'ELOOP' });
    expect((await readdir(dir)).sort()).toEqual(['a', 'b']);
  });
});

describe('writeAtomically and the temporary files of earlier writes', () => {
  it('removes those of a process that is gone, and of any writer after an hour, but not a live writer’s', async () => {
    await writeFile(join(dir, 'schema.graphql'), 'old');
    const dead = `.schema.graphql.${deadPid()}.0123456789ab.tmp`;
    const live = `.schema.graphql.${process.ppid}.0123456789ab.tmp`;
    const oldLive = `.schema.graphql.${process.ppid}.ba9876543210.tmp`;
    const otherFile = `.other.graphql.${deadPid()}.0123456789ab.tmp`;
    for (const name of [dead, live, oldLive, otherFile]) await writeFile(join(dir, name), 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(dir, oldLive), twoHoursAgo, twoHoursAgo);
    await writeAtomically(join(dir, 'schema.graphql'), 'new');
    expect((await readdir(dir)).sort()).toEqual([live, otherFile, 'schema.graphql'].sort());
    expect(await readFile(join(dir, 'schema.graphql'), 'utf8')).toBe('new');
  });

  it('leaves nothing behind across a run killed between writing and renaming', async () => {
    const target = join(dir, 'customer-token.json');
    await writeFile(target, 'old');
    // A writer whose rename never completes, killed with SIGKILL once its temporary file exists.
    const script = `
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      const fsp = createRequire(import.meta.url)('node:fs/promises');
      fsp.rename = () => new Promise(() => {});
      syncBuiltinESMExports();
      const { writeAtomically } = await import(${JSON.stringify(join(repo, 'src/tooling/atomicWrite.ts'))});
      await writeAtomically(${JSON.stringify(target)}, 'from the killed run');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repo,
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.once('exit', done));
    const temporaries = async () => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
    await expect.poll(temporaries, { timeout: 15_000, interval: 50 }).toHaveLength(1);
    child.kill('SIGKILL');
    await exited;
    expect(await temporaries()).toHaveLength(1);
    expect(await readFile(target, 'utf8')).toBe('old');

    await writeAtomically(target, 'new');
    expect(await readdir(dir)).toEqual(['customer-token.json']);
    expect(await readFile(target, 'utf8')).toBe('new');
  }, 30_000);
});
