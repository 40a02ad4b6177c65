import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** One line naming the machine a run came from: cores, CPU model, memory, load average, Node version and the date. */
export function machineLine(date = new Date()): string {
  const cores = cpus();
  const parallelism = availableParallelism();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return (
    `${parallelism} cores (${model}), ${memory} RAM, load ${loadavg()[0]!.toFixed(1)}, Node ${process.version}, ` +
    `${process.platform}/${process.arch}, ${date.toISOString().slice(0, 16).replace('T', ' ')} ` +
    'UTC'
  );
}

/**
 * The code measured: `git describe --always --dirty` of the working tree (so a run over uncommitted
 * changes says so), or `BENCH_COMMIT` when the tree is an export without .git.
 */
export function commitLine(cwd: string): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return process.env.BENCH_COMMIT ?? 'unknown (no git; set BENCH_COMMIT)';
  }
}
