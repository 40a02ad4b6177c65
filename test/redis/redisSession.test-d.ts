import { createClient, createCluster } from 'redis';
import { expectTypeOf, it } from 'vitest';
import type { RenewalCoordination, SharedTokenStore } from '../../src/runtime/coordination.js';
import type { Token, TokenStore } from '../../src/runtime/tokenStore.js';
import type { SignedOutMark, TokenRecord } from '../../src/runtime/coordination.js';
import { redisSession, type RedisSessionClient, type RedisSessionError } from '../../src/redis/index.js';
import type { ConfigurationError } from '../../src/runtime/errors.js';
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

it('returns a shared token store (read, compareAndSet on the whole record) and a renewal coordination', () => {
  const session = redisSession({ client: createClient(), key: 'customer-session:1' });
  expectTypeOf(session.store).toExtend<TokenStore & SharedTokenStore>();
  expectTypeOf(session.store.read).returns.resolves.toEqualTypeOf<TokenRecord>();
  expectTypeOf(session.store.compareAndSet).parameters.toEqualTypeOf<[TokenRecord, Token | SignedOutMark]>();
  expectTypeOf(session.coordination).toEqualTypeOf<RenewalCoordination>();
});

it('reports Redis failures and keys of another owner to onRedisError', () => {
  redisSession({
    client: createClient(),
    key: 'k',
    onRedisError: (error) => expectTypeOf(error).toEqualTypeOf<RedisSessionError | ConfigurationError>(),
  });
});

it('spreads into the customer token exchange options as { store, coordination }', () => {
  const session = redisSession({ client: createClient(), key: 'customer-session:1' });
  expectTypeOf({ ...session, onSignInRequired: () => undefined }).toExtend<CustomerTokenExchangeOptions>();
});

it("takes the exchange's clock, a function", () => {
  const now = () => Date.now();
  redisSession({ client: createClient(), key: 'k', now });
  customerTokenExchangeOptions({ ...redisSession({ client: createClient(), key: 'k', now }), now });
  // @ts-expect-error: a clock is a function
  redisSession({ client: createClient(), key: 'k', now: 0 });
});

function customerTokenExchangeOptions(options: CustomerTokenExchangeOptions): CustomerTokenExchangeOptions {
  return options;
}
