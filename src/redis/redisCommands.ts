import type { RedisClientType } from 'redis';
import { LIBRARY } from '../runtime/errors.js';

/**
 * The part of a node-redis client (`createClient()`, `createCluster()`, v5 or v6) the Redis session uses.
 * Pass the app's own connected client; the session never opens, closes or configures a connection.
 */
export type RedisSessionClient = Pick<RedisClientType, 'get' | 'set' | 'del' | 'eval'>;

/** What the session was doing when Redis failed or did not answer in time. */
export type RedisSessionOperation = 'get' | 'set' | 'compareAndSet' | 'clear' | 'lock' | 'extend' | 'release';

/**
 * A Redis command that failed or timed out. It names the operation only: never a key's value or a token.
 * The client's own error, when there was one, is the `cause`.
 */
export class RedisSessionError extends Error {
  override name = 'RedisSessionError';
  constructor(
    readonly operation: RedisSessionOperation,
    reason: 'failed' | 'timed-out',
    options?: { cause?: unknown },
  ) {
    super(
      `${LIBRARY}/redis: the ${operation} command ${reason === 'failed' ? 'failed' : 'did not answer in time'}` +
        ' (Redis unreachable or overloaded). The customer stays signed in; the last known token is used.',
      options,
    );
  }
}

/** What the store and the lock share: the client, the keys, and one way to send a bounded command. */
export interface RedisCommands {
  client: RedisSessionClient;
  tokenKey: string;
  lockKey: string;
  /** Runs `command`, rejecting with a {@link RedisSessionError} (reported first) on failure or after the timeout. */
  send<T>(operation: RedisSessionOperation, command: () => Promise<T>): Promise<T>;
}

/** Builds {@link RedisCommands.send}: every command is bounded by `timeoutMs`, every failure reported once. */
export function boundedCommands(timeoutMs: number, report: (error: RedisSessionError) => void): RedisCommands['send'] {
  return async (operation, command) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisSessionError(operation, 'timed-out')), timeoutMs);
    });
    try {
      // A command that is queued while the client reconnects resolves later or never: stop waiting for it.
      return await Promise.race([Promise.resolve().then(command), timeout]);
    } catch (cause) {
      const error = cause instanceof RedisSessionError ? cause : new RedisSessionError(operation, 'failed', { cause });
      report(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
