import type { RedisClientType } from 'redis';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';

/**
 * The part of a node-redis client (`createClient()`, `createCluster()`, v5 or v6) the Redis session uses.
 * Pass the app's own connected client; the session never opens, closes or configures a connection.
 */
export type RedisSessionClient = Pick<RedisClientType, 'get' | 'set' | 'del' | 'eval'>;

/** What the session was doing when Redis failed or did not answer in time. */
export type RedisSessionOperation = 'get' | 'set' | 'compareAndSet' | 'clear' | 'lock' | 'extend' | 'release';

/** Why a Redis command did not answer: it failed, it timed out, or it was not sent (the client is not connected). */
export type RedisSessionFailure = 'failed' | 'timed-out' | 'not-connected';

const REASONS: Record<RedisSessionFailure, string> = {
  failed: 'failed',
  'timed-out': 'did not answer in time',
  'not-connected': 'was not sent: the client is not connected',
};

/**
 * A Redis command that failed, timed out, or was not sent because the client is not connected. It names the
 * operation only: never a key's value or a token. The client's own error, when there was one, is the `cause`.
 */
export class RedisSessionError extends Error {
  override name = 'RedisSessionError';
  constructor(
    readonly operation: RedisSessionOperation,
    readonly reason: RedisSessionFailure,
    options?: { cause?: unknown },
  ) {
    super(
      `${LIBRARY}/redis: the ${operation} command ${REASONS[reason]}` +
        ' (Redis unreachable or overloaded). The customer stays signed in; the last known token is used.',
      options,
    );
  }
}

/**
 * The configuration error for a key that holds something this package did not write: another Redis type
 * (`holds` is what `TYPE` answers: `list`, `hash`, …), or a string (`holds` is `string`) that is not a token or
 * a sign-out mark. It names the key and the fix, never the value.
 */
export function keyTypeError(key: string, holds: string): ConfigurationError {
  const what =
    holds === 'string'
      ? "a string that is not this package's token or sign-out mark"
      : `a Redis ${holds === 'zset' ? 'sorted set' : holds}, not this package's token`;
  return new ConfigurationError(
    `${LIBRARY}/redis: the key ${JSON.stringify(key)} holds ${what}. ` +
      'Use a key of its own for each customer session, or delete it.',
  );
}

/** Whether `error` is Redis's reply to a command on a key of another type. */
export function isWrongTypeReply(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/** What the store and the lock share: the client, the keys, and one way to send a bounded command. */
export interface RedisCommands {
  client: RedisSessionClient;
  tokenKey: string;
  lockKey: string;
  /**
   * Runs `command`, rejecting with a {@link RedisSessionError} (reported first) on failure, after the timeout, or
   * at once when the client is not connected (the command is then not sent at all, so it cannot run later).
   * A `WRONGTYPE` reply is rejected as it came, unreported: the caller turns it into a configuration error.
   */
  send<T>(operation: RedisSessionOperation, command: () => Promise<T>): Promise<T>;
  /** Reports a failure to the app's `onRedisError` (a configuration error found on the way). */
  report(error: RedisSessionError | ConfigurationError): void;
}

/**
 * Builds {@link RedisCommands.send}: every command is bounded by `timeoutMs`, every failure reported once.
 *
 * @remarks
 * node-redis queues a command while it reconnects and sends it once connected. A command of this package is
 * not sent while the client says it is not ready (`isReady === false`): nothing is queued to land after the
 * outage, and the caller learns of the outage at once instead of after `timeoutMs`. A frozen server (the
 * connection up, nothing answering) costs exactly one `timeoutMs` per command.
 */
export function boundedCommands(
  client: RedisSessionClient,
  timeoutMs: number,
  report: (error: RedisSessionError | ConfigurationError) => void,
): RedisCommands['send'] {
  return async (operation, command) => {
    if ((client as { isReady?: unknown }).isReady === false) {
      const error = new RedisSessionError(operation, 'not-connected');
      report(error);
      throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisSessionError(operation, 'timed-out')), timeoutMs);
    });
    try {
      // A command sent to a frozen server answers later or never: stop waiting for it.
      return await Promise.race([Promise.resolve().then(command), timeout]);
    } catch (cause) {
      if (isWrongTypeReply(cause)) throw cause;
      const error = cause instanceof RedisSessionError ? cause : new RedisSessionError(operation, 'failed', { cause });
      report(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}
