import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSession } from '../../src/redis/index.js';
import { freePort, startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// The renewal lock against a real redis-server: one holder at a time, released and extended only by its
// holder, expiring when its holder dies, and never making a process wait longer than lockWaitMs.

let server: RedisServer;
const clients: { destroy(): void }[] = [];
let n = 0;
const key = () => `customer-session:lock-${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect() {
  const client = await createClient({ url: server.url })
    .on('error', () => undefined)
    .connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
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
        coordination.withRenewalLock(async () => {
          log.push(`start ${i}`);
          await sleep(100);
          log.push(`end ${i}`);
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2]);
    for (let at = 0; at < log.length; at += 2) expect(log[at]!.replace('start', 'end')).toBe(log[at + 1]);
    expect(await (await connect()).exists(`${k}:renewal-lock`)).toBe(0);
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
    expect(await redis.exists(`${k}:renewal-lock`)).toBe(0);
  });

  it("never releases another holder's lock, even after its own expired", async () => {
    const k = key();
    const redis = await connect();
    const { coordination } = redisSession({ client: redis, key: k, lockTtlMs: 300 });
    await coordination.withRenewalLock(async () => {
      // The lock is taken over meanwhile (as if it had expired and another process took it).
      await redis.set(`${k}:renewal-lock`, 'another-holder', { expiration: { type: 'PX', value: 5_000 } });
    });
    expect(await redis.get(`${k}:renewal-lock`)).toBe('another-holder');
  });

  it('extends the lock while its holder renews, so a slow renewal keeps it past lockTtlMs', async () => {
    const k = key();
    const [a, b] = await Promise.all(
      [1, 2].map(async () => redisSession({ client: await connect(), key: k, lockTtlMs: 300 })),
    );
    const log: string[] = [];
    const first = a!.coordination.withRenewalLock(async () => {
      log.push('a start');
      await sleep(1_000);
      log.push('a end');
    });
    await sleep(50);
    await b!.coordination.withRenewalLock(async () => void log.push('b'));
    await first;
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it("is taken by a waiting process once a dead holder's lock expires", async () => {
    const k = key();
    const redis = await connect();
    await redis.set(`${k}:renewal-lock`, 'dead-holder', { expiration: { type: 'PX', value: 400 } });
    const { coordination } = redisSession({ client: redis, key: k, lockWaitMs: 3_000 });
    const started = performance.now();
    let heldBy: string | null = null;
    await coordination.withRenewalLock(async () => void (heldBy = await redis.get(`${k}:renewal-lock`)));
    const waited = performance.now() - started;
    expect(heldBy).toMatch(/^[0-9a-f-]{36}$/);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(1_500);
  });

  it('renews without the lock after lockWaitMs when the holder keeps it', async () => {
    const k = key();
    const redis = await connect();
    await redis.set(`${k}:renewal-lock`, 'stuck-holder', { expiration: { type: 'PX', value: 10_000 } });
    const { coordination } = redisSession({ client: redis, key: k, lockWaitMs: 250 });
    const started = performance.now();
    expect(await coordination.withRenewalLock(async () => 'renewed alone')).toBe('renewed alone');
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await redis.get(`${k}:renewal-lock`)).toBe('stuck-holder');
  });

  it('renews at once without the lock when Redis is unreachable', async () => {
    const client = createClient({ url: `redis://127.0.0.1:${await freePort()}`, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect().catch(() => undefined);
    const { coordination } = redisSession({ client, key: key(), commandTimeoutMs: 200 });
    const started = performance.now();
    expect(await coordination.withRenewalLock(async () => 'renewed alone')).toBe('renewed alone');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
