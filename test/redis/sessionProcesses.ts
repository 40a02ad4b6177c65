import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Command, ProcessConfig, Reply } from './fixtures/sessionProcess.js';

/** What one read answered: what an app sees, and fingerprints of the tokens (never a token). */
export type ReadReply = Extract<Reply, { id: number }>;

/**
 * One server process of the multi-process tests (fixtures/sessionProcess.ts, forked with tsx), driven over IPC:
 * each read is a Customer query with the process's clock at a given time. The events it reports unasked
 * (signals, the lock, Redis errors) are collected here.
 */
export class SessionProcess {
  readonly child: ChildProcess;
  /** Which proxy it reaches Redis through. */
  readonly index: number;
  readonly events: string[] = [];
  /** What `onRedisError` heard (operation and reason, or a configuration error's message). */
  readonly redisErrors: string[] = [];
  readonly ready: Promise<void>;
  private next = 0;
  private readonly pending = new Map<number, (reply: ReadReply) => void>();
  constructor(config: ProcessConfig, index: number) {
    this.index = index;
    this.child = fork(join(import.meta.dirname, 'fixtures', 'sessionProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SESSION_PROCESS_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`a session process exited (${code}) before it was ready`)));
      this.child.on('message', (reply: Reply) => {
        if ('event' in reply) {
          if (reply.event === 'ready') resolve();
          else if (reply.event === 'redis-error') this.redisErrors.push(reply.what);
          else this.events.push(reply.event === 'signal' ? reply.kind : reply.event);
        } else this.pending.get(reply.id)?.(reply);
      });
    });
  }
  /** Reads the customer with this process's clock at `now` (with a new session when `perRequest`). */
  async read(now: number, perRequest = false): Promise<{ email: string | null; signal: string | null }> {
    const { email, signal } = await this.readWithTokens(now, perRequest);
    return { email, signal };
  }
  /** {@link read}, plus the fingerprints of the token set the process was last told of and last sent. */
  readWithTokens(now: number, perRequest = false): Promise<ReadReply> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, now, perRequest } satisfies Command);
    });
  }
}
