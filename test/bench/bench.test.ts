import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCodegenBench } from '../../bench/codegen.js';
import { assertOwnProcesses, runRuntimeBench } from '../../bench/runtime.js';

// `npm run bench` works end to end (CI runs `npm run bench -- --quick`); these are its two sections that run other
// programs: the codegen tools in a scratch copy of the repo, and each runtime contender in a process of its own.

const repo = resolve(import.meta.dirname, '../..');

describe('npm run bench', () => {
  it('runs every codegen tool in its scratch copy of the repo, where their configs resolve their imports', async () => {
    const { tables, verdicts } = await runCodegenBench(1, undefined, ['2026-04']);
    const [codegen] = tables;
    expect(codegen!.title).toMatch(/^Codegen: 1 versions \(2026-04\) × \d+ operations, median of 1$/);
    expect(codegen!.rows.map((row) => row[0])).toEqual([
      'this package (npm run codegen)',
      'this package (app codegen command)',
      '@shopify/api-codegen-preset',
      'client-preset, default config',
    ]);
    for (const row of codegen!.rows) expect(row.at(-1)).toMatch(/^[1-9][\d ]* B$/);
    // The target of issue 17, for each of the package's commands: stated, met or not (timing is never asserted).
    expect(verdicts.map((v) => v.target)).toEqual([
      'npm run codegen: regenerating 2026-04 is no slower than @shopify/api-codegen-preset',
      'app codegen command: regenerating 2026-04 is no slower than @shopify/api-codegen-preset',
    ]);
  }, 240_000);

  it('measures each runtime contender in a child process of its own', async () => {
    const { tables, processes, overheadProcesses, verdicts } = await runRuntimeBench(1, 30);
    expect(Object.keys(processes).sort()).toEqual(['bare', 'ours', 'plain']);
    const pids = Object.values(processes);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
    expect(tables[0]!.rows).toHaveLength(12);
    // The overhead table: plain urql, authExchange and this package, each in production and in development, six
    // processes of their own; CPU µs and heap bytes per query in 4 modes × 3 contenders, with a verdict per target.
    const overheadPids = overheadProcesses.map((p) => p.pid);
    expect(new Set(overheadPids).size).toBe(6);
    expect(overheadPids).not.toContain(process.pid);
    expect(tables[1]!.rows).toHaveLength(12);
    expect(verdicts).toHaveLength(10);
    expect(() => assertOwnProcesses([{ key: 'a', pid: process.pid }])).toThrow(/share a process/);
    expect(() =>
      assertOwnProcesses([
        { key: 'a', pid: 7 },
        { key: 'b', pid: 7 },
      ]),
    ).toThrow(/share a process/);
  }, 120_000);

  it('takes --quick and refuses an unknown section, naming the sections and the flag', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(repo, 'bench/index.ts'), 'nope', '--quick'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'bench: unknown section "nope". Expected any of: codegen, bundle, runtime, storm; and the flag --quick.',
    );
  });
});
