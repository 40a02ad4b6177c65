import type { ChildProcess } from 'node:child_process';
import type { Command, Reply, Ready } from './emulator-protocol.js';
import { forkTs } from './fork.js';

/** A customer access token issued by the emulator (a secret: never printed). */
export interface IssuedToken {
  readonly accessToken: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

/**
 * The emulator running in a child process. Its clock only moves when told to, so this side mirrors
 * it exactly: `now` is synchronous and can be handed to the exchanges as `now: emulator.now`.
 */
export interface RemoteEmulator extends Ready {
  readonly now: () => number;
  /** Sets both clocks (ms since the epoch); may move them back, e.g. to start every round at the same date. */
  set(ms: number): Promise<void>;
  /** Issues a token to the default customer. */
  issue(): Promise<IssuedToken>;
  count(operationName: string): Promise<number>;
  requests(): Promise<number>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The emulator date every bench starts from (fixed, so a run never drifts out of a version's support window). */
export const BENCH_EPOCH = Date.UTC(2026, 5, 1);

/** Forks the emulator child (under the same loader as this process, i.e. tsx) and waits until it listens. */
export async function startRemoteEmulator(start = BENCH_EPOCH): Promise<RemoteEmulator> {
  const child: ChildProcess = forkTs(new URL('./emulator-child.ts', import.meta.url), [String(start)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench: the emulator child exited early (${code})`)));
  });
  let clock = start;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message) => {
    const reply = message as Reply;
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(`bench: emulator child: ${reply.error}`));
  });
  const call = <T>(command: Command) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...command, id });
    });
  return {
    ...ready,
    now: () => clock,
    async set(ms) {
      clock = ms;
      await call({ op: 'set', ms });
    },
    issue: () => call<IssuedToken>({ op: 'issue' }),
    count: (operationName) => call<number>({ op: 'count', operationName }),
    requests: () => call<number>({ op: 'requests' }),
    reset: () => call<void>({ op: 'reset' }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
