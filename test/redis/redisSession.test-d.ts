import { createClient, createCluster } from 'redis';
import { expectTypeOf, it } from 'vitest';
import type { CompareAndSetStore, RenewalCoordination } from '../../src/runtime/coordination.js';
import type { TokenStore } from '../../src/runtime/tokenStore.js';
import { redisSession, type RedisSessionClient } from '../../src/redis/index.js';
import type { CustomerTokenExchangeOptions } from '../../src/runtime/customerTokenOptions.js';

it('accepts the clients node-redis makes: plain, RESP3, with scripts, type-mapped, and a cluster', () => {
  expectTypeOf(createClient()).toExtend<RedisSessionClient>();
  expectTypeOf(createClient({ RESP: 3 })).toExtend<RedisSessionClient>();
  expectTypeOf(createClient({ scripts: {} })).toExtend<RedisSessionClient>();
  expectTypeOf(createClient().withTypeMapping({})).toExtend<RedisSessionClient>();
  expectTypeOf(createCluster({ rootNodes: [] })).toExtend<RedisSessionClient>();
  // @ts-expect-error: not a Redis client
  redisSession({ client: { get: () => null }, key: 'k' });
});

it('returns a compare-and-set token store and a renewal coordination', () => {
  const session = redisSession({ client: createClient(), key: 'customer-session:1' });
  expectTypeOf(session.store).toExtend<TokenStore & CompareAndSetStore>();
  expectTypeOf(session.coordination).toEqualTypeOf<RenewalCoordination>();
});

it('spreads into the customer token exchange options as { store, coordination }', () => {
  const session = redisSession({ client: createClient(), key: 'customer-session:1' });
  expectTypeOf({ ...session, onSignInRequired: () => undefined }).toExtend<CustomerTokenExchangeOptions>();
});
