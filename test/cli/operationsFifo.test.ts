import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/schema/cli.js';

const exec = promisify(execFile);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scs-fifo-'));
  await mkdir(join(dir, 'ops'));
  await writeFile(join(dir, 'ops/Shop.graphql'), 'query Shop { shop { name } }\n');
  await exec('mkfifo', [join(dir, 'ops/Pipe.graphql')]); // a named pipe nobody writes to
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('an --operations folder holding a named pipe called *.graphql', () => {
  it('does not hang schema check (nor codegen, which reads the same files)', async () => {
    const run = await Promise.race([
      runCli(['schema', 'check', '--operations', 'ops', '--versions', '2026-04'], { cwd: dir }),
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000)),
    ]);
    expect(run, 'schema check was still reading the pipe after 10 s').not.toBe('hung');
    if (run === 'hung') return;
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toContain('1 operation(s) valid against 2026-04');
  }, 15_000);
});
