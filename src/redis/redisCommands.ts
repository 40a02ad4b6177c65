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
        (refusal(options?.cause) ??
          ' (Redis unreachable or overloaded). The customer stays signed in; the last known token is used.'),
      options,
    );
  }
}

/**
 * The fix for a reply that is the setup's fault, not an outage: an ACL user without a command the package
 * sends or its scripts call (`NOPERM`, or Redis's error for a script's command), or a read-only replica.
 */
function refusal(cause: unknown): string | undefined {
  const reply = cause instanceof Error ? cause.message : '';
  if (reply.startsWith('NOPERM') || reply.includes("can't run this command")) {
    // Redis names the command it refused ("no permissions to run the 'eval' command"): the store call is not it.
    const command = /'([a-z|]+)' command/i.exec(reply)?.[1];
    return (
      `: the Redis user may not run ${command ? command.toUpperCase() : 'a command it sends'}. Grant the session ` +
      'keys and +get +set +del +eval +type +pttl +pexpire +pexpireat +ping +hello (README, "Across server ' +
      'processes (Redis)").'
    );
  }
  if (reply.startsWith('READONLY'))
    return ': the client is connected to a read-only replica. Connect it to the primary.';
  return undefined;
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
   * `deadline` (a `performance.now()` time) shortens the timeout, so that several commands share one.
   */
  send<T>(operation: RedisSessionOperation, command: () => Promise<T>, deadline?: number): Promise<T>;
  /** How long one command may take (`commandTimeoutMs`). */
  timeoutMs: number;
  /** Reports a failure to the app's `onRedisError` (a configuration error found on the way). */
  report(error: RedisSessionError | ConfigurationError): void;
  /** The session's clock (`now`), for judging a token's expiry. */
  now: () => number;
}

/** Since when (performance.now()) each client has been seen not ready; absent while it is ready. */
const downSince = new WeakMap<object, number>();
const READY_POLL_MS = 10;

/**
 * Waits until `client` is ready (connected) or `deadline` passes; resolves whether it is. A client down for a
 * command timeout already is not waited for: during a long outage every command fails at once.
 */
async function whenReady(client: object, timeoutMs: number, deadline: number): Promise<boolean> {
  const ready = () => (client as { isReady?: unknown }).isReady !== false;
  if (ready()) {
    downSince.delete(client);
    return true;
  }
  const since = downSince.get(client) ?? performance.now();
  downSince.set(client, since);
  const until = Math.min(deadline, since + timeoutMs);
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(READY_POLL_MS, until - performance.now())));
    if (ready()) {
      downSince.delete(client);
      return true;
    }
  }
  return false;
}

/**
 * A reply as the default node-redis client answers it: a client type-mapped to Buffers
 * (`withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })`) answers bytes, which are this package's UTF-8 JSON.
 */
function asText<T>(reply: T): T {
  if (reply instanceof Uint8Array) return Buffer.from(reply).toString('utf8') as T;
  if (Array.isArray(reply)) return reply.map(asText) as T;
  return reply;
}

/**
 * Builds {@link RedisCommands.send}: every command is bounded by `timeoutMs`, every failure reported once.
 *
 * @remarks
 * node-redis queues a command while it reconnects and sends it once connected: a command that outlived its
 * caller could then land long after the outage. So a command of this package is sent only while the client is
 * ready (`isReady`): a client that is reconnecting is waited for within the same `timeoutMs` (a brief
 * reconnection costs nothing), and one that has been down for `timeoutMs` already fails at once, unsent. A
 * frozen server (the connection up, nothing answering) costs exactly one `timeoutMs` per command; the command
 * itself may still run when the server thaws, which the scripts' whole-record compare makes harmless.
 */
export function boundedCommands(
  client: RedisSessionClient,
  timeoutMs: number,
  report: (error: RedisSessionError | ConfigurationError) => void,
): RedisCommands['send'] {
  return async (operation, command, until = Number.POSITIVE_INFINITY) => {
    const deadline = Math.min(until, performance.now() + timeoutMs);
    if (!(await whenReady(client, timeoutMs, deadline))) {
      const error = new RedisSessionError(operation, 'not-connected');
      report(error);
      throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const left = Math.max(0, deadline - performance.now());
      timer = setTimeout(() => reject(new RedisSessionError(operation, 'timed-out')), left);
    });
    try {
      // A command sent to a frozen server answers later or never: stop waiting for it.
      return asText(await Promise.race([Promise.resolve().then(command), timeout]));
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
