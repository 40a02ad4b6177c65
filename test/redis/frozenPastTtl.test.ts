import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';
import { DAY, processOn, shopify, sleep } from './frozenHarness.js';

let server: RedisServer;
const clients: { destroy(): void }[] = [];
beforeAll(async () => {
  if (withoutRedis) return;
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe.skipIf(withoutRedis)('Redis frozen past the lock TTL while the holder renews', () => {
  it('does not sign the customer out when a second process takes the expired lock', async () => {
    const key = 'customer-session:frozen-past-ttl';
    const clock = { now: Date.now() };
    const shop = shopify(() => clock.now, 'rotate');
    const timings = { lockTtlMs: 300, lockWaitMs: 2_000, commandTimeoutMs: 200 };
    const a = await processOn(server.url, key, clock, timings);
    const b = await processOn(server.url, key, clock, timings);
    clients.push(a.client, b.client);
    const t1 = shop.issue(clock.now + 3 * DAY); // inside the 7-day window
    await a.rs.store.set(t1);

    // A takes the lock and renews; Shopify rotates at once; Redis freezes for 800 ms (past the 300 ms lock TTL)
    // while A's answer is still on the way back (1.5 s in all).
    const first = a.decide(async (from) => {
      const answer = shop.renewNow(from);
      server.pause();
      await sleep(800);
      server.resume();
      await sleep(700);
      return answer;
    });
    await sleep(900); // Redis answers again; A's lock expired during the freeze
    const second = b.decide(async (from) => shop.renewNow(from));
    await Promise.all([first, second]);
    await sleep(1_500);
    const raw = await a.client.get(key);
    expect([...a.signals, ...b.signals].filter((s) => s.kind === 'sign-in-required')).toEqual([]);
    expect(JSON.parse(raw!)).toHaveProperty('accessToken');
  });
});
