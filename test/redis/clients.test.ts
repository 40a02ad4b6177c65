import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSession, type RedisSessionClient } from '../../src/redis/index.js';
import { startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// Clients node-redis makes with a type mapping, and Redis setups that refuse the package's commands.

let server: RedisServer;
let replica: RedisServer;
const clients: { destroy(): void }[] = [];
let n = 0;
const key = () => `customer-session:hardening-${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const token = (accessToken: string) => ({
  accessToken,
  expiresAt: `${new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 19)}Z`,
});
async function connect(url = server.url) {
  const client = await createClient({ url })
    .on('error', () => undefined)
    .connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  if (withoutRedis) return;
  [server, replica] = await Promise.all([startRedisServer(), startRedisServer()]);
});
afterAll(async () => {
  if (withoutRedis) return;
  for (const client of clients) client.destroy();
  await Promise.all([server.stop(), replica.stop()]);
});

describe.skipIf(withoutRedis)('type-mapped node-redis clients', () => {
  it('reads its own token and takes the lock through a client that answers Buffers', async () => {
    const k = key();
    const client = (await connect()).withTypeMapping({
      [RESP_TYPES.BLOB_STRING]: Buffer,
      [RESP_TYPES.SIMPLE_STRING]: Buffer,
    });
    const errors: unknown[] = [];
    const { store, coordination } = redisSession({
      client,
      key: k,
      onRedisError: (e) => errors.push(e),
      lockWaitMs: 200,
    });
    await store.set(token('tok-a'));
    expect(await store.read()).toEqual(token('tok-a'));
    expect(await store.compareAndSet(token('tok-a'), token('tok-b'))).toBe(true);
    expect(await coordination.withRenewalLock(async (held) => held)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the lock while it renews through a client that answers numbers as strings', async () => {
    const k = key();
    const a = (await connect()).withTypeMapping({ [RESP_TYPES.NUMBER]: String });
    const b = await connect();
    const sessions = [a, b].map((client) => redisSession({ client, key: k, lockTtlMs: 300, lockWaitMs: 2_000 }));
    let inside = 0;
    let most = 0;
    const renew = async (held: boolean) => {
      expect(held).toBe(true);
      most = Math.max(most, ++inside);
      await sleep(900); // a renewal longer than the lock's life: its holder extends it
      inside--;
    };
    const first = sessions[0]!.coordination.withRenewalLock(renew);
    await sleep(50);
    await Promise.all([first, sessions[1]!.coordination.withRenewalLock(renew)]);
    expect(most).toBe(1);
  });
});

describe.skipIf(withoutRedis)('Redis setups that refuse the commands', () => {
  it('names the missing ACL permission, not an outage', async () => {
    const admin = await connect();
    await admin.sendCommand(['ACL', 'SETUSER', 'no-eval', 'on', '>pw', '~*', '+@all', '-eval']);
    const errors: Error[] = [];
    const { store } = redisSession({
      client: await connect(`redis://no-eval:pw@127.0.0.1:${server.port}`),
      key: key(),
      onRedisError: (e) => errors.push(e),
    });
    await expect(store.set(token('tok-a'))).rejects.toThrow(
      'the Redis user may not run EVAL. Grant the session keys and +get +set +del +eval +type +pttl +pexpire ' +
        '+pexpireat +ping +hello',
    );
    expect(errors[0]!.message).not.toMatch(/unreachable/);
  });

  it('names the primary when the client is connected to a read-only replica', async () => {
    const client = await connect(replica.url);
    await client.sendCommand(['REPLICAOF', '127.0.0.1', String(server.port)]);
    const { store } = redisSession({ client, key: key() });
    await expect(store.set(token('tok-a'))).rejects.toThrow(/read-only replica\. Connect it to the primary/);
  });

  it('refuses an ioredis client at construction, naming node-redis', () => {
    // The shape of an ioredis client: get, set, del and eval, but eval(script, numkeys, ...keys, ...args).
    const ioredisLike = { get() {}, set() {}, del() {}, eval() {}, isCluster: false, status: 'ready' };
    expect(() => redisSession({ client: ioredisLike as unknown as RedisSessionClient, key: key() })).toThrow(
      /node-redis client.*ioredis/,
    );
  });
});
