import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  redisSession,
  RedisSessionError,
  SIGNED_OUT_MARK_TTL_MS,
  type RedisSessionClient,
} from '../../src/redis/index.js';
import { ConfigurationError } from '../../src/runtime/errors.js';
import { SIGNED_OUT } from '../../src/runtime/coordination.js';
import { startProxy } from './proxy.js';
import { freePort, startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// The Redis token store against a real redis-server: the shared-store protocol (a record is a token, a sign-out
// mark or nothing; compare-and-set on the whole record), fenced writes, the last known record per client and
// key, and a key of another owner as a configuration error.

let server: RedisServer;
let redis: Awaited<ReturnType<typeof connect>>;
let n = 0;
const KEY = () => `customer-session:test-${++n}`;
const DAY = 86_400_000;
const BASE = Math.floor(Date.now() / 1000) * 1000;
/** A token expiring `day` days from now (Redis expires keys on its real clock). */
const token = (accessToken: string, day: number) => ({
  accessToken,
  expiresAt: `${new Date(BASE + day * DAY).toISOString().slice(0, 19)}Z`,
});
const connect = (url: string) =>
  createClient({ url, socket: { reconnectStrategy: 50 } })
    .on('error', () => undefined)
    .connect();

beforeAll(async () => {
  if (withoutRedis) return;
  server = await startRedisServer();
  redis = await connect(server.url);
});
afterAll(async () => {
  if (withoutRedis) return;
  redis.destroy();
  await server.stop();
});

describe.skipIf(withoutRedis)('the Redis token store', () => {
  let key: string;
  beforeEach(() => {
    key = KEY();
  });

  it('reads what it wrote, keyed by the session key, with an expiry a day past the token', async () => {
    const { store } = redisSession({ client: redis, key });
    expect(await store.read()).toBeNull();
    expect(await store.get()).toBeNull();
    await store.set(token('tok-a', 10));
    expect(await store.read()).toEqual(token('tok-a', 10));
    expect(await store.get()).toEqual(token('tok-a', 10));
    expect(await redis.pExpireTime(key)).toBe(BASE + 11 * DAY);
    expect(await redis.keys('*tok-a*')).toEqual([]);
  });

  it('signs out with a mark: read answers it, get answers null, and it outlives any token (43 days)', async () => {
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-a', 10));
    await store.clear();
    expect(await store.read()).toEqual(SIGNED_OUT);
    expect(await store.get()).toBeNull();
    expect(JSON.parse((await redis.get(key))!)).toEqual({ signedOut: true });
    const ttl = await redis.pTTL(key);
    expect(ttl).toBeGreaterThan(SIGNED_OUT_MARK_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(SIGNED_OUT_MARK_TTL_MS);
    expect(SIGNED_OUT_MARK_TTL_MS).toBe(43 * DAY);
  });

  it('keeps a mark as long as the key it replaced would have lived, when that is longer', async () => {
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-long', 60)); // a token the app made live 60 days
    expect(await store.compareAndSet(token('tok-long', 60), SIGNED_OUT)).toBe(true);
    expect(await redis.pExpireTime(key)).toBeGreaterThanOrEqual(BASE + 61 * DAY - 5_000);
  });

  it('compares the whole record: both token fields, a mark with a mark, nothing with a missing key', async () => {
    const { store } = redisSession({ client: redis, key });
    expect(await store.compareAndSet(token('tok-a', 10), token('tok-b', 11))).toBe(false); // holds nothing
    expect(await store.compareAndSet(SIGNED_OUT, token('tok-b', 11))).toBe(false);
    expect(await store.compareAndSet(null, token('tok-a', 10))).toBe(true);
    expect(await store.compareAndSet(null, token('tok-x', 12))).toBe(false);
    // The same accessToken with another expiry is another token (a renewal that extended it).
    expect(await store.compareAndSet(token('tok-a', 9), token('tok-c', 20))).toBe(false);
    expect(await store.compareAndSet({ accessToken: 'tok-a', expiresAt: 'x' }, token('tok-c', 20))).toBe(false);
    expect(await store.compareAndSet(token('tok-a', 10), token('tok-a', 12))).toBe(true); // extended
    expect(await store.compareAndSet(token('tok-a', 10), token('tok-c', 20))).toBe(false); // the old one is gone
    expect(await store.compareAndSet(token('tok-a', 12), token('tok-b', 12))).toBe(true); // rotated, same expiry
    expect(await store.read()).toEqual(token('tok-b', 12));
    // Sign-out for cause: the mark replaces only the token that was refused.
    expect(await store.compareAndSet(token('tok-a', 12), SIGNED_OUT)).toBe(false);
    expect(await store.compareAndSet(token('tok-b', 12), SIGNED_OUT)).toBe(true);
    // Lost data is written back only over nothing: never over a mark.
    expect(await store.compareAndSet(null, token('tok-b', 12))).toBe(false);
    expect(await store.compareAndSet(token('tok-b', 12), token('tok-d', 30))).toBe(false);
    expect(await store.read()).toEqual(SIGNED_OUT);
    expect(await store.compareAndSet(SIGNED_OUT, SIGNED_OUT)).toBe(true);
    expect(await store.compareAndSet({ signedOut: true }, token('tok-e', 30))).toBe(true);
    expect(await store.read()).toEqual(token('tok-e', 30));
    await redis.del(key); // lost (evicted, Redis restarted empty)
    expect(await store.compareAndSet(null, token('tok-e', 30))).toBe(true);
  });

  it('rejects an expected record or a next value of another shape, without writing', async () => {
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-a', 10));
    await expect(store.compareAndSet('tok-a' as never, token('tok-b', 11))).rejects.toThrow(/expects a token/);
    await expect(store.compareAndSet(token('tok-a', 10), { accessToken: '' } as never)).rejects.toThrow(
      /a token must be/,
    );
    expect(await store.read()).toEqual(token('tok-a', 10));
  });

  it('lets exactly one of many processes replace a token, whatever order their writes arrive in', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(server.url)));
    const stores = clients.map((client) => redisSession({ client, key }).store);
    await stores[0]!.set(token('tok-0', 10));
    const wrote = await Promise.all(
      stores.map((s, i) => s.compareAndSet(token('tok-0', 10), token(`tok-${i + 1}`, 11 + i))),
    );
    expect(wrote.filter(Boolean)).toHaveLength(1);
    const winner = wrote.indexOf(true);
    for (const s of stores) expect(await s.read()).toEqual(token(`tok-${winner + 1}`, 11 + winner));
    for (const client of clients) client.destroy();
  });

  it('signs in with set over anything of its own: a mark, a token expiring later, nothing', async () => {
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-a', 40));
    await store.clear();
    await store.set(token('tok-b', 20)); // a sign-in after a sign-out
    expect(await store.read()).toEqual(token('tok-b', 20));
    await store.set(token('tok-c', 40));
    await store.set(token('tok-d', 30)); // another customer signs in on this session: the app's word is final
    expect(await store.read()).toEqual(token('tok-d', 30));
    expect(await redis.pExpireTime(key)).toBe(BASE + 31 * DAY);
  });

  it('refuses a key that contains the token, without naming the token', async () => {
    const { store } = redisSession({ client: redis, key: 'session-tok-secret-123' });
    const error = await store.set(token('tok-secret-123', 10)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/key contains the customer token/);
    expect(String(error)).not.toContain('tok-secret-123');
  });
});

describe.skipIf(withoutRedis)('lost data', () => {
  it('writes back the token this process last saw when the key is gone, even from a new session object', async () => {
    const key = KEY();
    await redisSession({ client: redis, key }).store.set(token('tok-live', 10));
    await redis.del(key); // Redis restarted empty, or evicted the key
    const perRequest = redisSession({ client: redis, key }).store;
    expect(await perRequest.read()).toEqual(token('tok-live', 10));
    expect(JSON.parse((await redis.get(key))!)).toMatchObject(token('tok-live', 10));
  });

  it('writes back nothing over a mark, for an expired token, or on a client that never saw the key', async () => {
    const key = KEY();
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-a', 10));
    await redis.set(key, JSON.stringify({ signedOut: true })); // another process signed out
    expect(await store.read()).toEqual(SIGNED_OUT);
    await redis.del(key);
    expect(await store.read()).toBeNull(); // it last saw the mark

    const expired = KEY();
    await redisSession({ client: redis, key: expired }).store.set(token('tok-old', -2)); // gone at once
    expect(await redisSession({ client: redis, key: expired }).store.read()).toBeNull();
    expect(await redis.exists(expired)).toBe(0);

    const other = await connect(server.url);
    const lost = KEY();
    await redisSession({ client: redis, key: lost }).store.set(token('tok-b', 10));
    await redis.del(lost);
    expect(await redisSession({ client: other, key: lost }).store.read()).toBeNull();
    expect(await redis.exists(lost)).toBe(0);
    other.destroy();
  });
});

describe.skipIf(withoutRedis)('lost data, judged by the session clock', () => {
  it("writes back by the clock it was given, not the machine's (an app's fake or server-synced clock)", async () => {
    const key = KEY();
    await redisSession({ client: redis, key }).store.set(token('tok-day-10', 10));
    await redis.del(key);
    // On the session's clock the token expired yesterday: nothing to write back, though the machine's says 10 days.
    const late = redisSession({ client: redis, key, now: () => BASE + 11 * DAY }).store;
    expect(await late.read()).toBeNull();
    expect(await redis.exists(key)).toBe(0);

    const again = KEY();
    await redisSession({ client: redis, key: again }).store.set(token('tok-2-days-ago', -2)); // Redis drops it at once
    // On a clock three days behind, the token the machine calls expired is live: the store answers it (and writes it
    // back, which Redis, on its own clock, drops again). On the machine's clock it is gone (the test above).
    const early = redisSession({ client: redis, key: again, now: () => BASE - 3 * DAY }).store;
    expect(await early.read()).toEqual(token('tok-2-days-ago', -2));
  });

  it('refuses a clock that is not a function, naming the option', () => {
    expect(() => redisSession({ client: redis, key: KEY(), now: 5 as never })).toThrow(
      /the provided now \("number"\) is invalid\. Expected a function/,
    );
  });
});

describe.skipIf(withoutRedis)('a key of another owner', () => {
  const cases: [string, (key: string) => Promise<unknown>, RegExp][] = [
    ['a list', (key) => redis.rPush(key, ['tok-secret-in-list']), /holds a Redis list, not this package's token/],
    ['a hash', (key) => redis.hSet(key, 'field', 'tok-secret-in-hash'), /holds a Redis hash, not this package's/],
    ['a sorted set', (key) => redis.zAdd(key, { score: 1, value: 'tok-secret-in-zset' }), /a Redis sorted set/],
    ['a string', (key) => redis.set(key, 'tok-secret-not-json'), /holds a string that is not this package's token/],
    ['JSON of another shape', (key) => redis.set(key, '{"token":"tok-secret-json"}'), /holds a string that is not/],
  ];

  it.each(cases)(
    'is a configuration error naming the key and the fix, from every call, never written over (%s)',
    async (_, plant, message) => {
      const key = KEY();
      await plant(key);
      const before = await redis.dump(key);
      const errors: unknown[] = [];
      const { store } = redisSession({ client: redis, key, onRedisError: (e) => errors.push(e) });
      const calls: (() => Promise<unknown>)[] = [
        () => store.read(),
        () => store.get(),
        () => store.set(token('tok-fresh-sign-in', 10)),
        () => store.clear(),
        () => store.compareAndSet(null, token('tok-fresh', 10)),
      ];
      for (const call of calls) {
        const error = await Promise.resolve()
          .then(call)
          .then(
            () => 'resolved',
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toContain(`the key "${key}" holds`);
        expect((error as Error).message).toMatch(/Use a key of its own for each customer session, or delete it\.$/);
      }
      expect(errors).toHaveLength(calls.length);
      for (const e of errors) expect(e).toBeInstanceOf(ConfigurationError);
      expect(JSON.stringify(errors.map(String))).not.toMatch(/tok-/);
      expect(await redis.dump(key)).toEqual(before);
    },
  );

  it('is not an outage: the record this process knew is not answered for it', async () => {
    const key = KEY();
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-a', 10));
    await redis.del(key);
    await redis.rPush(key, ['x']);
    await expect(store.read()).rejects.toBeInstanceOf(ConfigurationError);
    await redis.del(key);
    expect(await store.read()).toBeNull();
  });
});

describe.skipIf(withoutRedis)('fenced writes', () => {
  it('refuses a compare-and-set queued during a partition once a newer record landed meanwhile', async () => {
    const key = KEY();
    const proxy = await startProxy(server.port);
    try {
      const partitioned = await connect(proxy.url);
      const errors: RedisSessionError[] = [];
      const a = redisSession({
        client: partitioned,
        key,
        commandTimeoutMs: 200,
        onRedisError: (e) => void errors.push(e as RedisSessionError),
      }).store;
      const b = redisSession({ client: redis, key }).store;
      await b.set(token('tok-1', 10));
      expect(await a.read()).toEqual(token('tok-1', 10));

      proxy.cut();
      // Process A renews tok-1 (a new token) and signs out for another reason: both writes time out, but
      // node-redis wrote them into the socket, so they reach Redis once the network is back.
      await expect(a.compareAndSet(token('tok-1', 10), token('tok-2', 11))).rejects.toBeInstanceOf(RedisSessionError);
      await expect(a.compareAndSet(token('tok-1', 10), SIGNED_OUT)).rejects.toBeInstanceOf(RedisSessionError);
      expect(errors.map((e) => [e.operation, e.reason])).toEqual([
        ['compareAndSet', 'timed-out'],
        ['compareAndSet', 'timed-out'],
      ]);
      // Meanwhile process B renews tok-1 too, and Shopify extends the same token: only its expiresAt differs.
      expect(await b.compareAndSet(token('tok-1', 10), token('tok-1', 42))).toBe(true);

      const landed = partitioned.get(key); // sent behind the queued writes: answered once they ran
      proxy.heal();
      expect(await landed).toBe(JSON.stringify({ ...token('tok-1', 42), ms: BASE + 42 * DAY }));
      expect(await b.read()).toEqual(token('tok-1', 42));
      // And A learns what Redis holds.
      expect(await a.read()).toEqual(token('tok-1', 42));
      partitioned.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('lets such a queued write land when the record is still the one it expected', async () => {
    const key = KEY();
    const proxy = await startProxy(server.port);
    try {
      const partitioned = await connect(proxy.url);
      const a = redisSession({ client: partitioned, key, commandTimeoutMs: 200 }).store;
      await a.set(token('tok-1', 10));
      proxy.cut();
      await expect(a.compareAndSet(token('tok-1', 10), token('tok-2', 11))).rejects.toBeInstanceOf(RedisSessionError);
      const landed = partitioned.get(key);
      proxy.heal();
      await landed;
      expect(await redisSession({ client: redis, key }).store.read()).toEqual(token('tok-2', 11));
      partitioned.destroy();
    } finally {
      await proxy.close();
    }
  });
});

describe.skipIf(withoutRedis)('Redis unreachable', () => {
  it('answers read with the last record seen for the key on this client, by any session object', async () => {
    const own = await startRedisServer();
    try {
      const client = await connect(own.url);
      const other = await connect(own.url);
      const key = KEY();
      const errors: unknown[] = [];
      const perRequest = () =>
        redisSession({ client, key, commandTimeoutMs: 200, onRedisError: (e) => errors.push(e) }).store;
      await other.set(key, JSON.stringify(token('tok-live', 10))); // written by another process
      expect(await perRequest().read()).toEqual(token('tok-live', 10)); // request 1 reads it
      await own.stop();

      const second = perRequest(); // request 2: a new session object
      expect(await second.read()).toEqual(token('tok-live', 10));
      expect(await second.get()).toEqual(token('tok-live', 10));
      // Another client of the same process never saw it: its read is a store failure.
      await expect(redisSession({ client: other, key, commandTimeoutMs: 200 }).store.read()).rejects.toBeInstanceOf(
        RedisSessionError,
      );
      // Another key on the same client neither.
      await expect(redisSession({ client, key: KEY(), commandTimeoutMs: 200 }).store.read()).rejects.toBeInstanceOf(
        RedisSessionError,
      );

      // Writes reject: the session keeps the token in memory and writes it later.
      const failed = await second.compareAndSet(token('tok-live', 10), token('tok-next', 12)).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(RedisSessionError);
      await expect(second.set(token('tok-next', 12))).rejects.toBeInstanceOf(RedisSessionError);
      await expect(second.clear()).rejects.toBeInstanceOf(RedisSessionError);
      expect(errors.map((e) => (e as RedisSessionError).operation)).toEqual([
        'get',
        'get',
        'compareAndSet',
        'set',
        'clear',
      ]);
      for (const e of [failed, ...errors]) expect(JSON.stringify([String(e), e])).not.toMatch(/tok-/);
      client.destroy();
      other.destroy();
    } finally {
      await own.stop();
    }
  });

  it('answers a sign-out mark it saw as the mark, not as the token before it', async () => {
    const own = await startRedisServer();
    try {
      const client = await connect(own.url);
      const key = KEY();
      const { store } = redisSession({ client, key, commandTimeoutMs: 200 });
      await store.set(token('tok-a', 10));
      await store.clear();
      await own.stop();
      expect(await redisSession({ client, key, commandTimeoutMs: 200 }).store.read()).toEqual(SIGNED_OUT);
      client.destroy();
    } finally {
      await own.stop();
    }
  });

  it('waits exactly one command timeout for a frozen Redis, then answers the last known record', async () => {
    const own = await startRedisServer();
    try {
      const client = await connect(own.url);
      const key = KEY();
      await redisSession({ client, key }).store.set(token('tok-live', 10));
      await redisSession({ client, key }).store.read();
      own.pause();
      const errors: RedisSessionError[] = [];
      const { store } = redisSession({
        client,
        key,
        commandTimeoutMs: 300,
        onRedisError: (e) => void errors.push(e as RedisSessionError),
      });
      const started = performance.now();
      expect(await store.read()).toEqual(token('tok-live', 10));
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(295);
      expect(waited).toBeLessThan(450);
      expect(errors.map((e) => e.reason)).toEqual(['timed-out']);
      own.resume();
      client.destroy();
    } finally {
      await own.stop();
    }
  });

  it('bounds a read by one command timeout in all, the write-back after its GET included', async () => {
    const key = KEY();
    let slow = false;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The app's client as the session sees it: a slow GET, then a write-back Redis never answers.
    const client: RedisSessionClient = {
      get: (async (...args: Parameters<typeof redis.get>) => {
        if (slow) await sleep(200);
        return redis.get(...args);
      }) as typeof redis.get,
      set: redis.set.bind(redis),
      del: redis.del.bind(redis),
      eval: ((...args: Parameters<typeof redis.eval>) =>
        slow ? new Promise(() => undefined) : redis.eval(...args)) as typeof redis.eval,
    };
    const { store } = redisSession({ client, key, commandTimeoutMs: 300 });
    await store.set(token('tok-live', 10));
    await redis.del(key);
    slow = true;
    const started = performance.now();
    expect(await store.read()).toEqual(token('tok-live', 10)); // written back on a later read
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(400); // not 200 ms + 300 ms
  });

  it('sends nothing while the client is not connected: waits one command timeout at most, then none', async () => {
    const own = await startRedisServer();
    try {
      const client = await connect(own.url);
      const key = KEY();
      const errors: RedisSessionError[] = [];
      const { store } = redisSession({
        client,
        key,
        commandTimeoutMs: 300,
        onRedisError: (e) => void errors.push(e as RedisSessionError),
      });
      await store.set(token('tok-live', 10));
      await own.stop();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the client notices the closed connection
      expect(client.isReady).toBe(false);
      let started = performance.now();
      expect(await store.read()).toEqual(token('tok-live', 10)); // waited for a reconnection that never came
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(performance.now() - started).toBeLessThan(450);
      started = performance.now();
      expect(await store.read()).toEqual(token('tok-live', 10)); // down for a command timeout: no more waiting
      await expect(store.compareAndSet(token('tok-live', 10), token('tok-queued', 12))).rejects.toMatchObject({
        reason: 'not-connected',
      });
      expect(performance.now() - started).toBeLessThan(50);
      expect(errors.map((e) => e.reason)).toEqual(['not-connected', 'not-connected', 'not-connected']);
      client.destroy();
    } finally {
      await own.stop();
    }
  });

  it('waits for a brief reconnection and answers from Redis, not from memory', async () => {
    const proxy = await startProxy(server.port);
    try {
      const client = await createClient({ url: proxy.url, socket: { reconnectStrategy: 200 } })
        .on('error', () => undefined)
        .connect();
      const key = KEY();
      const { store } = redisSession({ client, key, commandTimeoutMs: 1_000 });
      await store.set(token('tok-a', 10));
      await redis.set(key, JSON.stringify(token('tok-b', 11))); // another process renewed
      // node-redis says when it has seen the drop: polling `isReady` for a fixed 100 ms missed it on a loaded machine.
      const reconnecting = new Promise<void>((resolve) => client.once('reconnecting', () => resolve()));
      proxy.retarget(server.port); // the connection drops (a failover, a restart with data kept)
      await reconnecting;
      expect(client.isReady).toBe(false); // reconnecting in 200 ms
      expect(await store.read()).toEqual(token('tok-b', 11));
      client.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('rejects read when this process never saw the key (a store failure, never a sign-out)', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await freePort()}`, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect().catch(() => undefined);
    const { store } = redisSession({ client, key: KEY(), commandTimeoutMs: 200 });
    await expect(store.read()).rejects.toBeInstanceOf(RedisSessionError);
    await expect(store.get()).rejects.toBeInstanceOf(RedisSessionError);
  });
});

describe.skipIf(withoutRedis)('least privilege', () => {
  it('works under the ACL the README recommends, which refuses every other key', async () => {
    // The README's ACL line, word for word.
    const acl =
      'ACL SETUSER storefront-sessions on >s3cret resetkeys ~customer-session:* resetchannels -@all ' +
      '+get +set +del +eval +type +pttl +pexpire +pexpireat +ping +hello';
    await redis.sendCommand(acl.split(' '));
    const client = await connect(server.url.replace('redis://', 'redis://storefront-sessions:s3cret@'));
    const key = KEY();
    const errors: unknown[] = [];
    const { store, coordination } = redisSession({ client, key, onRedisError: (e) => errors.push(e) });
    await store.set(token('tok-a', 10));
    expect(await store.compareAndSet(token('tok-a', 10), token('tok-b', 11))).toBe(true);
    await store.clear();
    expect(await store.read()).toEqual(SIGNED_OUT);
    await redis.del(key);
    expect(await store.read()).toBeNull();
    expect(await coordination.withRenewalLock(async (held) => held)).toBe(true);
    await redis.rPush(key, ['x']);
    await expect(store.read()).rejects.toThrow(/holds a Redis list/);
    expect(errors).toHaveLength(1);
    await expect(client.get('cart:1')).rejects.toThrow(/NOPERM/);
    client.destroy();
  });
});

describe.skipIf(withoutRedis)('redisSession options', () => {
  it.each([
    [{ client: {} as RedisSessionClient, key: 'k' }, /client .*it has no get, set, del, eval/],
    [{ key: 'k' }, /client/],
    [{ client: 'redis', key: '' }, /client/],
    [{ key: '' }, /client/],
  ])('throws at construction for a client that is not node-redis (%#)', (options, message) => {
    expect(() => redisSession(options as never)).toThrow(message);
  });

  it.each([
    [{ key: '' }, /key \("0 characters"\) is invalid/],
    [{ key: 'x'.repeat(600) }, /at most 512 characters/],
    [{ lockTtlMs: 0 }, /lockTtlMs \("0"\)/],
    [{ lockWaitMs: -1 }, /lockWaitMs/],
    [{ commandTimeoutMs: 1.5 }, /commandTimeoutMs/],
  ])('throws at construction with a message naming the fix (%#)', (overrides, message) => {
    expect(() => redisSession({ client: redis, key: 'k', ...overrides })).toThrow(message);
  });
});
