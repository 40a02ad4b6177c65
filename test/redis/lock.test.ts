import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSession } from '../../src/redis/index.js';
import { freePort, startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// The renewal lock against a real redis-server: one holder at a time, released and extended only by its
// holder, expiring when its holder dies, and telling run() whether it is held: run(false) at once when the
// client is not connected, after one command timeout when Redis is frozen, after lockWaitMs when another
// process keeps it.

let server: RedisServer;
const clients: { destroy(): void }[] = [];
let n = 0;
const key = () => `customer-session:lock-${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (condition: () => Promise<boolean>, ms = 2_000) => {
  for (const start = performance.now(); !(await condition()); await sleep(10))
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
};

async function connect() {
  const client = await createClient({ url: server.url })
    .on('error', () => undefined)
    .connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  if (withoutRedis) return;
  server = await startRedisServer();
});
afterAll(async () => {
  if (withoutRedis) return;
  for (const client of clients) client.destroy();
  await server.stop();
});

describe.skipIf(withoutRedis)('the renewal lock', () => {
  it('lets one process renew at a time: the others wait, then run one after the other', async () => {
    const k = key();
    const sessions = await Promise.all([1, 2, 3].map(async () => redisSession({ client: await connect(), key: k })));
    const log: string[] = [];
    const results = await Promise.all(
      sessions.map(({ coordination }, i) =>
        coordination.withRenewalLock(async (held) => {
          expect(held).toBe(true);
          log.push(`start ${i}`);
          await sleep(100);
          log.push(`end ${i}`);
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2]);
    for (let at = 0; at < log.length; at += 2) expect(log[at]!.replace('start', 'end')).toBe(log[at + 1]);
    const redis = await connect();
    await until(async () => (await redis.exists(`${k}:renewal-lock`)) === 0);
  });

  it('holds the lock under SET NX PX with a random id (never the token), and releases it on rejection', async () => {
    const k = key();
    const redis = await connect();
    const { coordination } = redisSession({ client: redis, key: k, lockTtlMs: 2_000 });
    let held: string | null = null;
    let ttl = 0;
    const failure = new Error('renew failed');
    await expect(
      coordination.withRenewalLock(async () => {
        held = await redis.get(`${k}:renewal-lock`);
        ttl = await redis.pTTL(`${k}:renewal-lock`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(held).toMatch(/^[0-9a-f-]{36}$/);
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(2_000);
    await until(async () => (await redis.exists(`${k}:renewal-lock`)) === 0);
  });

  it("never releases another holder's lock, even after its own expired", async () => {
    const k = key();
    const redis = await connect();
    const { coordination } = redisSession({ client: redis, key: k, lockTtlMs: 300 });
    await coordination.withRenewalLock(async () => {
      // The lock is taken over meanwhile (as if it had expired and another process took it).
      await redis.set(`${k}:renewal-lock`, 'another-holder', { expiration: { type: 'PX', value: 5_000 } });
    });
    await sleep(100); // the release is sent after run() settles, unwaited
    expect(await redis.get(`${k}:renewal-lock`)).toBe('another-holder');
  });

  it('extends the lock while its holder renews, so a slow renewal keeps it past lockTtlMs', async () => {
    const k = key();
    const [a, b] = await Promise.all(
      [1, 2].map(async () => redisSession({ client: await connect(), key: k, lockTtlMs: 300 })),
    );
    const log: string[] = [];
    const first = a!.coordination.withRenewalLock(async (held) => {
      log.push(`a start ${held}`);
      await sleep(1_000);
      log.push('a end');
    });
    await sleep(50);
    await b!.coordination.withRenewalLock(async (held) => void log.push(`b ${held}`));
    await first;
    expect(log).toEqual(['a start true', 'a end', 'b true']);
  });

  it("is taken by a waiting process once a dead holder's lock expires", async () => {
    const k = key();
    const redis = await connect();
    await redis.set(`${k}:renewal-lock`, 'dead-holder', { expiration: { type: 'PX', value: 400 } });
    const { coordination } = redisSession({ client: redis, key: k, lockWaitMs: 3_000 });
    const started = performance.now();
    let heldBy: string | null = null;
    await coordination.withRenewalLock(async (held) => {
      expect(held).toBe(true);
      heldBy = await redis.get(`${k}:renewal-lock`);
    });
    const waited = performance.now() - started;
    expect(heldBy).toMatch(/^[0-9a-f-]{36}$/);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(1_500);
  });

  it('calls run(false) after lockWaitMs when the holder keeps it', async () => {
    const k = key();
    const redis = await connect();
    await redis.set(`${k}:renewal-lock`, 'stuck-holder', { expiration: { type: 'PX', value: 10_000 } });
    const errors: unknown[] = [];
    const { coordination } = redisSession({
      client: redis,
      key: k,
      lockWaitMs: 250,
      onRedisError: errors.push.bind(errors),
    });
    const started = performance.now();
    expect(await coordination.withRenewalLock(async (held) => held)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await redis.get(`${k}:renewal-lock`)).toBe('stuck-holder');
    expect(errors).toEqual([]); // another holder is no error
  });

  it('calls run(false) at once, reporting the key and the fix, when something else holds the lock key for good', async () => {
    const redis = await connect();
    for (const write of [
      (lock: string) => redis.set(lock, 'not-a-lock'), // a string with no time to live
      (lock: string) => redis.hSet(lock, 'field', 'value'), // another Redis type
    ]) {
      const k = key();
      await write(`${k}:renewal-lock`);
      const errors: unknown[] = [];
      const { coordination } = redisSession({
        client: redis,
        key: k,
        lockWaitMs: 5_000,
        onRedisError: errors.push.bind(errors),
      });
      const started = performance.now();
      expect(await coordination.withRenewalLock(async (held) => held)).toBe(false);
      expect(performance.now() - started).toBeLessThan(1_000); // not lockWaitMs: it would never expire
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ name: 'ConfigurationError' });
      expect(String((errors[0] as Error).message)).toContain(`"${k}:renewal-lock" holds a value with no time to live`);
      expect(String((errors[0] as Error).message)).toContain('Delete the key, or give the session a key of its own.');
      expect(await redis.type(`${k}:renewal-lock`)).not.toBe('none'); // never deleted by the package
      expect(await redis.pTTL(`${k}:renewal-lock`)).toBe(-1);
    }
  });

  it('calls run(false) within one command timeout, sending nothing, when the client is not connected', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await freePort()}`, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect().catch(() => undefined);
    const errors: unknown[] = [];
    const { coordination } = redisSession({
      client,
      key: key(),
      commandTimeoutMs: 200,
      lockWaitMs: 5_000,
      onRedisError: (e) => errors.push(e),
    });
    let started = performance.now();
    expect(await coordination.withRenewalLock(async (held) => held)).toBe(false);
    expect(performance.now() - started).toBeLessThan(300);
    started = performance.now();
    expect(await coordination.withRenewalLock(async (held) => held)).toBe(false); // down that long: at once
    expect(performance.now() - started).toBeLessThan(50);
    // No release: nothing was sent.
    expect(errors).toMatchObject([
      { operation: 'lock', reason: 'not-connected' },
      { operation: 'lock', reason: 'not-connected' },
    ]);
  });

  it('calls run(false) after one command timeout when Redis is frozen, not after lockWaitMs', async () => {
    const own = await startRedisServer();
    try {
      const client = await createClient({ url: own.url })
        .on('error', () => undefined)
        .connect();
      const k = key();
      const { coordination } = redisSession({ client, key: k, commandTimeoutMs: 300, lockWaitMs: 5_000 });
      own.pause();
      const started = performance.now();
      expect(await coordination.withRenewalLock(async (held) => held)).toBe(false);
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(295);
      expect(waited).toBeLessThan(450);
      // The SET NX sat in the frozen server's socket and runs once it thaws: the release sent right behind it
      // takes it back, so it blocks no one (and it would expire after lockTtlMs anyway).
      own.resume();
      const observer = await createClient({ url: own.url })
        .on('error', () => undefined)
        .connect();
      await sleep(200);
      expect(await observer.exists(`${k}:renewal-lock`)).toBe(0);
      const other = redisSession({ client: observer, key: k, lockWaitMs: 0 });
      expect(await other.coordination.withRenewalLock(async (held) => held)).toBe(true);
      client.destroy();
      observer.destroy();
    } finally {
      await own.stop();
    }
  });

  it('never waits past lockWaitMs when Redis freezes while another process holds the lock', async () => {
    const own = await startRedisServer();
    try {
      const client = await createClient({ url: own.url })
        .on('error', () => undefined)
        .connect();
      const k = key();
      await client.set(`${k}:renewal-lock`, 'busy-holder', { expiration: { type: 'PX', value: 10_000 } });
      const { coordination } = redisSession({ client, key: k, commandTimeoutMs: 1_000, lockWaitMs: 400 });
      const started = performance.now();
      const outcome = coordination.withRenewalLock(async (held) => held);
      await sleep(250);
      own.pause(); // a poll is now in flight, unanswered
      expect(await outcome).toBe(false);
      own.resume();
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(395);
      expect(waited).toBeLessThan(550); // lockWaitMs, not lockWaitMs plus a command timeout
      client.destroy();
    } finally {
      await own.stop();
    }
  });
});
