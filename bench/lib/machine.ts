import { availableParallelism, cpus, totalmem } from 'node:os';

/** One line naming the machine a run came from: cores, memory, CPU model, Node version and the date. */
export function machineLine(date = new Date()): string {
  const cores = cpus();
  const parallelism = availableParallelism();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return `${parallelism} cores (${model}), ${memory} RAM, Node ${process.version}, ${process.platform}/${process.arch}, ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
