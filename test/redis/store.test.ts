import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisSession, RedisSessionError, type RedisSessionClient } from '../../src/redis/index.js';
import { freePort, startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// The Redis token store against a real redis-server: atomic compare-and-set, forward-only writes, and an
// outage that never signs the customer out.

let server: RedisServer;
let redis: ReturnType<typeof createClient>;
let n = 0;
const KEY = () => `customer-session:test-${++n}`;
const DAY = 86_400_000;
const BASE = Math.floor(Date.now() / 1000) * 1000;
/** A token expiring `day` days from now (Redis expires keys on its real clock). */
const token = (accessToken: string, day: number) => ({
  accessToken,
  expiresAt: `${new Date(BASE + day * DAY).toISOString().slice(0, 19)}Z`,
});

beforeAll(async () => {
  server = await startRedisServer();
  redis = createClient({ url: server.url });
  redis.on('error', () => undefined);
  await redis.connect();
});
afterAll(async () => {
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
    expect(await store.get()).toBeNull();
    await store.set(token('tok-a', 10));
    expect(await store.get()).toEqual(token('tok-a', 10));
    expect(await redis.pExpireTime(key)).toBe(BASE + 11 * DAY);
    expect(await redis.keys('*tok-a*')).toEqual([]);
    await store.clear();
    expect(await store.get()).toBeNull();
  });

  it('compare-and-set writes only over the expected token, atomically, and clears only that token', async () => {
    const { store } = redisSession({ client: redis, key });
    expect(await store.compareAndSet('tok-a', token('tok-b', 11))).toBe(false); // holds none
    expect(await store.compareAndSet(null, token('tok-a', 10))).toBe(true);
    expect(await store.compareAndSet(null, token('tok-x', 12))).toBe(false);
    expect(await store.compareAndSet('tok-a', token('tok-b', 10))).toBe(true); // rotated, same expiry: kept
    expect(await store.compareAndSet('tok-a', token('tok-c', 20))).toBe(false); // tok-a was already replaced
    expect(await store.get()).toEqual(token('tok-b', 10));
    expect(await store.compareAndSet('tok-a', null)).toBe(false);
    expect(await store.compareAndSet('tok-b', null)).toBe(true);
    expect(await store.get()).toBeNull();
  });

  it('lets exactly one of many processes replace a token, whatever order their writes arrive in', async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, () =>
        createClient({ url: server.url })
          .on('error', () => undefined)
          .connect(),
      ),
    );
    const stores = clients.map((client) => redisSession({ client, key }).store);
    await stores[0]!.set(token('tok-0', 10));
    const wrote = await Promise.all(stores.map((s, i) => s.compareAndSet('tok-0', token(`tok-${i + 1}`, 11 + i))));
    expect(wrote.filter(Boolean)).toHaveLength(1);
    const winner = wrote.indexOf(true);
    for (const s of stores) expect(await s.get()).toEqual(token(`tok-${winner + 1}`, 11 + winner));
    for (const client of clients) client.destroy();
  });

  it('never lets a plain set replace a token that expires later', async () => {
    const { store } = redisSession({ client: redis, key });
    await store.set(token('tok-new', 20));
    await store.set(token('tok-old', 10));
    expect(await store.get()).toEqual(token('tok-new', 20));
    await store.set(token('tok-same-expiry', 20));
    expect(await store.get()).toEqual(token('tok-same-expiry', 20));
  });

  it('treats a value that is not a token as no token', async () => {
    const { store } = redisSession({ client: redis, key });
    await redis.set(key, 'not json');
    expect(await store.get()).toBeNull();
    expect(await store.compareAndSet(null, token('tok-a', 10))).toBe(true);
    expect(await store.get()).toEqual(token('tok-a', 10));
  });

  it('refuses a key that contains the token, without naming the token', async () => {
    const { store } = redisSession({ client: redis, key: 'session-tok-secret-123' });
    const error = await store.set(token('tok-secret-123', 10)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/key contains the customer token/);
    expect(String(error)).not.toContain('tok-secret-123');
  });
});

describe.skipIf(withoutRedis)('Redis unreachable', () => {
  it('answers get with the last token this process knew, and rejects writes without naming the token', async () => {
    const own = await startRedisServer();
    try {
      const client = await createClient({ url: own.url, socket: { reconnectStrategy: 50 } })
        .on('error', () => undefined)
        .connect();
      const errors: RedisSessionError[] = [];
      const { store } = redisSession({
        client,
        key: KEY(),
        commandTimeoutMs: 200,
        onRedisError: (e) => errors.push(e),
      });
      await store.set(token('tok-live', 10));
      expect(await store.get()).toEqual(token('tok-live', 10));
      await own.stop();

      expect(await store.get()).toEqual(token('tok-live', 10));
      const failed = await store.compareAndSet('tok-live', token('tok-next', 12)).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(RedisSessionError);
      await expect(store.set(token('tok-next', 12))).rejects.toBeInstanceOf(RedisSessionError);
      await expect(store.clear()).rejects.toBeInstanceOf(RedisSessionError);
      expect(errors.map((e) => e.operation)).toEqual(['get', 'compareAndSet', 'set', 'clear']);
      for (const e of [failed, ...errors]) expect(JSON.stringify([String(e), e])).not.toMatch(/tok-/);
      client.destroy();
    } finally {
      await own.stop();
    }
  });

  it('rejects get when this process never read a token (a store failure, never a sign-out)', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await freePort()}`, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect().catch(() => undefined);
    const { store } = redisSession({ client, key: KEY(), commandTimeoutMs: 200 });
    await expect(store.get()).rejects.toBeInstanceOf(RedisSessionError);
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
