import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSession } from '../../src/redis/index.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';
import type { Token } from '../../src/runtime/tokenStore.js';
import type { Command, ProcessConfig, Reply } from './fixtures/sessionProcess.js';
import { startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';

// Four Node processes serve one customer (one Redis key) against one emulator over real HTTP, each with its own
// urql client, exchanges and Redis session. They enter the renewal window together; Redis goes unreachable;
// the lock holder dies mid-renewal. A sampler watches every value the key takes: it only moves forward.

const DAY = 86_400_000;
const KEY = 'customer-session:shared-customer';
const RENEW = 'CustomerAccessTokenRenew';
let em: Emulator;
let server: RedisServer;
let redis: ReturnType<typeof createClient>;
let processes: SessionProcess[];
const history: Token[] = [];
let sampler: NodeJS.Timeout;
const renewCounts: Record<string, number> = {};

class SessionProcess {
  readonly child: ChildProcess;
  readonly events: string[] = [];
  readonly ready: Promise<void>;
  private next = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  constructor(config: ProcessConfig) {
    this.child = fork(join(import.meta.dirname, 'fixtures', 'sessionProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SESSION_PROCESS_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`a session process exited (${code}) before it was ready`)));
      this.child.on('message', (reply: Reply) => {
        if ('event' in reply) {
          if (reply.event === 'ready') resolve();
          else this.events.push(reply.event === 'signal' ? reply.kind : reply.event);
        } else this.pending.get(reply.id)?.(reply);
      });
    });
  }
  /** Reads the customer with this process's clock at `now`. */
  read(now: number): Promise<{ email: string | null; signal: string | null }> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending.set(id, (reply) => {
        const { email, signal } = reply as { email: string | null; signal: string | null };
        resolve({ email, signal });
      });
      this.child.send({ id, now } satisfies Command);
    });
  }
}

const stored = async (): Promise<Token> => JSON.parse((await redis.get(KEY))!) as Token;
const readAll = (group: SessionProcess[], now = em.clock.now()) => Promise.all(group.map((p) => p.read(now)));
const signedIn = { email: DEFAULT_CUSTOMER.email, signal: null };
const intoWindow = (token: Token) => em.clock.set(Date.parse(token.expiresAt) - 3 * DAY);
const until = async (condition: () => boolean, ms: number) => {
  for (const start = performance.now(); !condition(); await new Promise((r) => setTimeout(r, 10)))
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
};

beforeAll(async () => {
  [server, em] = await Promise.all([startRedisServer(), startEmulator({ renewReturns: 'new-token' })]);
  redis = createClient({ url: server.url, socket: { reconnectStrategy: () => 100 } });
  redis.on('error', () => undefined);
  await redis.connect();
  const config: ProcessConfig = {
    emulatorUrl: em.url,
    storeDomain: em.storeDomain,
    publicAccessToken: em.publicAccessToken,
    redisUrl: server.url,
    key: KEY,
    lockTtlMs: 1_000,
    lockWaitMs: 5_000,
    commandTimeoutMs: 300,
  };
  processes = Array.from({ length: 4 }, () => new SessionProcess(config));
  await Promise.all(processes.map((p) => p.ready));
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  await redisSession({ client: redis, key: KEY }).store.set({
    accessToken: issued.accessToken,
    expiresAt: formatExpiresAt(issued.expiresAt),
  });
  sampler = setInterval(() => {
    void redis.get(KEY).then(
      (raw) => {
        const token = raw === null ? null : (JSON.parse(raw) as Token);
        if (token && token.accessToken !== history.at(-1)?.accessToken) history.push(token);
      },
      () => undefined,
    );
  }, 10);
}, 30_000);

afterAll(async () => {
  clearInterval(sampler);
  for (const p of processes ?? []) p.child.kill('SIGKILL');
  redis?.destroy();
  await Promise.all([server?.stop(), em?.close()]);
  console.log(`renew requests across 4 processes: ${JSON.stringify(renewCounts)}`);
});

describe.skipIf(withoutRedis)('one customer, four server processes, one Redis', () => {
  it('sends exactly one renew request when all four enter the renewal window together', async () => {
    expect(await readAll(processes)).toEqual(Array(4).fill(signedIn));
    const before = await stored();
    intoWindow(before);
    em.counters.reset();
    expect(await readAll(processes)).toEqual(Array(4).fill(signedIn));
    expect(await readAll(processes, em.clock.now() + 1_000)).toEqual(Array(4).fill(signedIn));
    renewCounts.together = em.counters.count(RENEW);
    expect(renewCounts.together).toBe(1);
    const after = await stored();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('keeps the customer signed in while Redis is unreachable, with the last token each process knew', async () => {
    const before = await stored();
    server.pause();
    try {
      em.counters.reset();
      em.clock.advance(DAY); // still outside the window
      expect(await readAll(processes)).toEqual(Array(4).fill(signedIn));
      expect(em.counters.count(RENEW)).toBe(0);
      intoWindow(before); // due while the lock cannot be had: each process renews on its own
      expect(await readAll(processes)).toEqual(Array(4).fill(signedIn));
      renewCounts.unreachable = em.counters.count(RENEW);
      expect(renewCounts.unreachable).toBeGreaterThanOrEqual(1);
      expect(renewCounts.unreachable).toBeLessThanOrEqual(4);
    } finally {
      server.resume();
    }
    // Back: the renewed tokens kept in memory reach Redis, and Redis only moves forward.
    expect(await readAll(processes, em.clock.now() + 1_000)).toEqual(Array(4).fill(signedIn));
    const after = await stored();
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
    for (const p of processes) expect(p.events).not.toContain('sign-in-required');
  }, 30_000);

  it('lets another process renew once the lock of a holder killed mid-renewal expires', async () => {
    const before = await stored();
    intoWindow(before);
    em.counters.reset();
    em.faults.inject({ kind: 'latency', ms: 5_000 }, { operationName: RENEW });
    for (const p of processes) p.events.length = 0;
    const reads = processes.map((p) => p.read(em.clock.now()));
    await until(() => em.counters.count(RENEW) === 1, 10_000);
    const holder = processes.find((p) => p.events.includes('holding-lock'))!;
    expect(processes.filter((p) => p.events.includes('holding-lock'))).toEqual([holder]);
    holder.child.kill('SIGKILL');
    const killedAt = performance.now();
    const survivors = processes.filter((p) => p !== holder);
    expect(await Promise.all(reads.filter((_, i) => processes[i] !== holder))).toEqual(Array(3).fill(signedIn));
    await until(() => em.counters.count(RENEW) === 2, 10_000);
    // Taken when the dead holder's lock expired (lockTtlMs 1 s), not after giving up on it (lockWaitMs 5 s).
    expect(performance.now() - killedAt).toBeLessThan(4_000);
    expect(await readAll(survivors, em.clock.now() + 1_000)).toEqual(Array(3).fill(signedIn));
    renewCounts.holderKilled = em.counters.count(RENEW);
    expect(renewCounts.holderKilled).toBe(2); // the dead holder's, then one by a survivor
    expect(Date.parse((await stored()).expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('never wrote out of order: every value the key took expires no earlier than the one before', () => {
    expect(history.length).toBeGreaterThanOrEqual(4);
    const expiries = history.map((t) => Date.parse(t.expiresAt));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
    const tokens = history.map((t) => t.accessToken);
    expect(new Set(tokens).size, 'a replaced token came back').toBe(tokens.length);
  });
});
