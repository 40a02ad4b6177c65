import type { RenewalCoordination } from '../runtime/coordination.js';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { safeCall } from '../runtime/warn.js';
import { boundedCommands, type RedisSessionClient, type RedisSessionError } from './redisCommands.js';
import { createRedisTokenStore, type RedisTokenStore } from './redisTokenStore.js';
import { createRenewalLock } from './renewalLock.js';

/** How long the renewal lock lives unless its holder extends it: 5 s. */
export const DEFAULT_LOCK_TTL_MS = 5_000;
/**
 * How long a process waits for the renewal lock, while Redis answers and another process holds it, before it
 * tells the session it could not have it (`run(false)`: the session postpones the renewal while the token has
 * time left): 10 s (twice the lock's life).
 */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
/**
 * How long one Redis command may take before Redis counts as unreachable: 1 s, including the wait for a client
 * that is reconnecting. It bounds every store call (a read, with the type lookup or write-back that may follow
 * its GET, shares one), so a frozen Redis costs a read exactly this long before the last known record answers;
 * and a lock attempt waits exactly this long before `run(false)` when Redis is frozen. A client down for this
 * long already is not waited for at all.
 */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

const MAX_KEY_LENGTH = 512;

/** Options of {@link redisSession}. */
export interface RedisSessionOptions {
  /** The app's node-redis client (`createClient()` or `createCluster()`, connected by the app). */
  client: RedisSessionClient;
  /**
   * The Redis key of this customer session, e.g. `customer-session:${sessionId}`. Key by a session id,
   * never by the token. The renewal lock lives at `${key}:renewal-lock`.
   */
  key: string;
  /** @defaultValue {@link DEFAULT_LOCK_TTL_MS} */
  lockTtlMs?: number;
  /** @defaultValue {@link DEFAULT_LOCK_WAIT_MS} */
  lockWaitMs?: number;
  /** @defaultValue {@link DEFAULT_COMMAND_TIMEOUT_MS} */
  commandTimeoutMs?: number;
  /**
   * Called for every Redis command that failed, timed out or was not sent (a {@link RedisSessionError}: the
   * message names the operation, never a token), and for a key that holds something this package did not
   * write (a `ConfigurationError` naming the key and the fix).
   */
  onRedisError?: (error: RedisSessionError | ConfigurationError) => void;
  /**
   * The clock by which the store judges whether the token it last saw is still worth writing back after Redis lost
   * the key: pass the exchange's `now`, so that the store and the session agree. @defaultValue `Date.now`
   */
  now?: () => number;
}

/** What {@link redisSession} returns: spread it into `customerTokenExchange({ ...session, onSignInRequired })`. */
export interface RedisSession {
  /** The customer's record in Redis (token, sign-out mark or nothing), with compare-and-set writes. */
  store: RedisTokenStore;
  /** One renewal per customer across the processes that share `key`. */
  coordination: RenewalCoordination;
}

function checkClient(client: unknown): RedisSessionClient {
  const candidate = client as Partial<Record<keyof RedisSessionClient, unknown>> | null;
  const missing = (['get', 'set', 'del', 'eval'] as const).filter(
    (name) => typeof candidate !== 'object' || candidate === null || typeof candidate[name] !== 'function',
  );
  if (missing.length > 0)
    throw new ConfigurationError(
      invalidMessage(
        'client',
        typeof client,
        'Expected a node-redis client (createClient() or createCluster() from "redis"); ' +
          `it has no ${missing.join(', ')}.`,
      ),
    );
  if (typeof (client as { isCluster?: unknown }).isCluster === 'boolean')
    throw new ConfigurationError(
      invalidMessage(
        'client',
        'ioredis',
        'Expected a node-redis client (createClient() or createCluster() from "redis", 5 or 6); ' +
          'ioredis takes other arguments for EVAL and SET and is not supported.',
      ),
    );
  return client as RedisSessionClient;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '' || key.length > MAX_KEY_LENGTH)
    throw new ConfigurationError(
      invalidMessage(
        'key',
        typeof key === 'string' ? `${key.length} characters` : typeof key,
        `Expected a non-empty string of at most ${MAX_KEY_LENGTH} characters naming the session ` +
          '(never the token), e.g. "customer-session:<session id>".',
      ),
    );
  return key;
}

function milliseconds(options: RedisSessionOptions, name: keyof RedisSessionOptions, fallback: number, min: number) {
  const ms = options[name] ?? fallback;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < min || ms > 3_600_000)
    throw new ConfigurationError(invalidMessage(name, ms, `Expected whole milliseconds from ${min} to 3600000.`));
  return ms;
}

/**
 * Keeps a customer's token in Redis and renews it once across every server process that serves this customer.
 * Import it from `storefront-customer-session/redis` (Node only; browser bundles never see it).
 *
 * @param options - the app's node-redis client and the session's key; checked here, once.
 * @returns `{ store, coordination }` for `customerTokenExchange`.
 *
 * @remarks
 * Writes are Lua scripts, atomic in Redis: `store.compareAndSet(expected, next)` writes only if Redis still
 * holds the whole expected record (a token's `accessToken` and `expiresAt`, a sign-out mark, or nothing), so
 * a late or queued write can never land over a newer record. `store.set` (sign-in) and `store.clear` (sign-out,
 * a mark) write over any record of this package. The renewal lock is `SET NX PX`, released and extended only
 * by its holder. Redis unreachable is transient: `read` and `get` answer with the last record this process saw
 * for the key on this client (whichever `redisSession` object read it), writes reject (the session keeps the
 * token in memory and writes it again), and the lock answers `run(false)` within one command timeout. A key
 * that holds another Redis type, or a string this package did not write, is a `ConfigurationError` naming the
 * key, never taken for an outage and never written over.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { redisSession } from 'storefront-customer-session/redis';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const session = redisSession({ client: redis, key: `customer-session:${sessionId}` });
 * const exchange = customerTokenExchange({ ...session, onSignInRequired });
 * ```
 */
export function redisSession(options: RedisSessionOptions): RedisSession {
  if (typeof options !== 'object' || options === null)
    throw new ConfigurationError(invalidMessage('options', typeof options, 'Expected { client, key }.'));
  const client = checkClient(options.client);
  const key = checkKey(options.key);
  const lockTtlMs = milliseconds(options, 'lockTtlMs', DEFAULT_LOCK_TTL_MS, 30);
  const lockWaitMs = milliseconds(options, 'lockWaitMs', DEFAULT_LOCK_WAIT_MS, 0);
  const commandTimeoutMs = milliseconds(options, 'commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS, 1);
  const { onRedisError, now = Date.now } = options;
  if (typeof now !== 'function')
    throw new ConfigurationError(
      invalidMessage('now', typeof now, 'Expected a function returning ms since the epoch.'),
    );
  const report = (error: RedisSessionError | ConfigurationError) => safeCall(onRedisError, error, 'onRedisError');
  const send = boundedCommands(client, commandTimeoutMs, report);
  const commands = {
    client,
    tokenKey: key,
    lockKey: `${key}:renewal-lock`,
    send,
    report,
    timeoutMs: commandTimeoutMs,
    now,
  };
  return Object.freeze({
    store: createRedisTokenStore(commands),
    coordination: createRenewalLock(commands, { lockTtlMs, lockWaitMs }),
  });
}
