import type { ChildProcess } from 'node:child_process';
import type { ChildMessage, Setup, SliceCommand } from './contender-protocol.js';
import type { ContenderKey } from './contenders.js';
import type { Slice } from './drive.js';
import { forkTs } from './fork.js';

/** A runtime contender running in its own child process; only one is driven at a time, the others wait idle. */
export interface RemoteContender {
  readonly key: ContenderKey;
  /** The child's `NODE_ENV` (`undefined`: inherited). */
  readonly nodeEnv: Setup['nodeEnv'];
  /** The child's process id (never this process's). */
  readonly pid: number;
  /** Runs `workers` loops of its query for `ms` against `target`, in the child, and returns what it measured. */
  slice(target: SliceCommand['target'], workers: number, ms: number): Promise<Slice>;
  close(): Promise<void>;
}

/** Forks the contender child (under the same loader as this process, i.e. tsx) and waits until it is set up. */
export async function startContender(setup: Setup): Promise<RemoteContender> {
  const child: ChildProcess = forkTs(new URL('./contender-child.ts', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: setup.nodeEnv ? { ...process.env, NODE_ENV: setup.nodeEnv } : process.env,
  });
  const waiting = new Map<number, { resolve: (slice: Slice) => void; reject: (error: Error) => void }>();
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: ChildMessage) => {
      if (message.kind === 'ready') resolve(message.pid);
      else reject(new Error(`bench: contender ${setup.key} did not start: ${JSON.stringify(message)}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench: contender ${setup.key} exited early (${code})`)));
    child.send(setup);
  });
  child.removeAllListeners('exit');
  child.on('exit', (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`bench: contender ${setup.key} exited (${code})`));
    waiting.clear();
  });
  child.on('message', (message: ChildMessage) => {
    if (message.kind === 'ready') return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.kind === 'slice') pending.resolve(message.slice);
    else pending.reject(new Error(`bench: contender ${setup.key}: ${message.error}`));
  });
  let nextId = 1;
  return {
    key: setup.key,
    nodeEnv: setup.nodeEnv,
    pid,
    slice: (target, workers, ms) =>
      new Promise<Slice>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        child.send({ id, target, workers, ms } satisfies SliceCommand);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Every contender runs in a process of its own, none of them this one: the runtime section's premise, checked. */
export function assertOwnProcesses(contenders: readonly { key: string; pid: number }[]): void {
  const pids = new Set(contenders.map((c) => c.pid));
  if (pids.size !== contenders.length || pids.has(process.pid))
    throw new Error(`bench: runtime contenders share a process: ${JSON.stringify(contenders)}`);
}
