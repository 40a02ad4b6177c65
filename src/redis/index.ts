/**
 * The customer's token in Redis, renewed once across server processes: `storefront-customer-session/redis`.
 * Node only; needs the optional peer `redis` (node-redis 5 or 6). The root and version entry points never
 * import it, so browser bundles never see it.
 *
 * @packageDocumentation
 */
export {
  redisSession,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  type RedisSession,
  type RedisSessionOptions,
} from './redisSession.js';
export { EXPIRED_TOKEN_GRACE_MS, SIGNED_OUT_MARK_TTL_MS, type RedisTokenStore } from './redisTokenStore.js';
export {
  RedisSessionError,
  type RedisSessionClient,
  type RedisSessionFailure,
  type RedisSessionOperation,
} from './redisCommands.js';
export type { RenewalCoordination, SharedTokenStore, TokenRecord } from '../runtime/coordination.js';
