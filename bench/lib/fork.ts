import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Forks a TypeScript module of the bench as a child process: under tsx's loader when this process runs under it
 * (`npm run bench`), else with `--import tsx` added (a test runner that compiles TypeScript in-process passes no
 * loader on).
 */
export function forkTs(url: URL, args: readonly string[], options: ForkOptions = {}): ChildProcess {
  const underTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  return fork(fileURLToPath(url), [...args], {
    ...options,
    execArgv: underTsx ? process.execArgv : [...process.execArgv, '--import', 'tsx'],
  });
}
