import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm test` on a machine with only Node and npm: the Redis tests skip with one line saying how to install
// redis-server; with REQUIRE_REDIS=1 (what .ci/run exports) they fail instead. Each case runs vitest on the Redis
// test files with a PATH that has node and no redis-server.

const repo = resolve(import.meta.dirname, '../..');
let bin: string;

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'scs-no-redis-'));
  await symlink(process.execPath, join(bin, 'node'));
});
afterAll(() => rm(bin, { recursive: true, force: true }));

function vitest(files: string[], env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', ...files], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, REQUIRE_REDIS: '', ...env, PATH: bin, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the Redis tests without redis-server', () => {
  it('skip, saying once in one line that they were not run and how to install redis-server', () => {
    const run = vitest(['test/redis/store.test.ts', 'test/redis/lock.test.ts', 'test/redis/processes.test.ts'], {});
    expect(run.status, run.output).toBe(0);
    const notices = run.output.split('\n').filter((line) => line.includes('Redis tests not run'));
    expect(notices).toEqual([
      'Redis tests not run: redis-server is not installed. apt-get install redis-server (Debian/Ubuntu; ' +
        '`bash .ci/run` installs it when missing). Set REQUIRE_REDIS=1 to fail instead.',
    ]);
    expect(run.output).toMatch(/Test Files\s+3 skipped \(3\)/);
  }, 120_000);

  it('fail with REQUIRE_REDIS=1, naming the install', () => {
    const run = vitest(['test/redis/lock.test.ts'], { REQUIRE_REDIS: '1' });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('redis-server is not installed (REQUIRE_REDIS=1 requires it). apt-get install');
    expect(run.output).not.toContain('Redis tests not run');
  }, 120_000);
});
