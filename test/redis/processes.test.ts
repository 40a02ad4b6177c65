import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSession } from '../../src/redis/index.js';
import { DEFAULT_CUSTOMER, formatExpiresAt, startEmulator, type Emulator } from '../../src/testing/index.js';
import type { RenewReturns } from '../../src/testing/types.js';
import type { Token } from '../../src/runtime/tokenStore.js';
import type { ProcessConfig } from './fixtures/sessionProcess.js';
import type { ProxyCommand, ProxyReply } from './fixtures/proxyProcess.js';
import { startRedisServer, type RedisServer, withoutRedis } from './redisServer.js';
import { SessionProcess } from './sessionProcesses.js';

// Four Node processes serve one customer (one Redis key) against one emulator over real HTTP, each with its own
// urql client, exchanges and Redis session. Round after round they enter the renewal window together while
// Shopify renews in each of its candidate ways (a new token, the same token extended, a rotation that deletes
// the old one), while Redis restarts empty, freezes, or the lock holder dies mid-renewal, with one session per
// process or one per request. Each round should cost exactly one renew request (two when the holder dies) and
// sign no one out. A sampler watches every value the key takes: it only moves forward. Each process reaches
// Redis through a proxy of its own (all in a helper process), so that a partition can end for one process
// before another, and Redis can restart empty behind them. The table printed at the end gives every round's
// renew requests and sign-outs.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const KEY = 'customer-session:shared-customer';
const RENEW = 'CustomerAccessTokenRenew';
let em: Emulator;
let server: RedisServer;
/** The proxies to Redis: one per session process, the last one the test's own. */
let proxies: ProxyProcess;
let redis: ReturnType<typeof createClient>;
let processes: SessionProcess[];
const history: (Token | { signedOut: true })[] = [];
let sampler: NodeJS.Timeout;
/** Per round: renew requests, and the processes told to sign in again. */
const rounds: Record<string, { renew: number; signOuts: number }> = {};

/** The helper process holding the proxies. */
class ProxyProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  urls: string[] = [];
  private next = 0;
  private readonly pending = new Map<number, () => void>();
  constructor(upstream: number, count: number) {
    this.child = fork(join(import.meta.dirname, 'fixtures', 'proxyProcess.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PROXY_PROCESS_CONFIG: JSON.stringify({ upstream, count }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`the proxy process exited (${code}) before it was ready`)));
      this.child.on('message', (reply: ProxyReply) => {
        if ('urls' in reply) {
          this.urls = reply.urls;
          resolve();
        } else this.pending.get(reply.id)?.();
      });
    });
  }
  /** Sends `command`; resolves once the proxies applied it. */
  ask(command: ProxyCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never) {
    const id = ++this.next;
    return new Promise<void>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...command, id } as ProxyCommand);
    });
  }
}

const names = new Map<string, string>();
/** Records as labels for a log line (T1, T2, … in order of appearance; `mark`), never the tokens. */
const labels = (values: (Token | { signedOut: true })[]) =>
  values
    .map((v) => {
      if (!('accessToken' in v)) return 'mark';
      if (!names.has(v.accessToken)) names.set(v.accessToken, `T${names.size + 1}`);
      return `${names.get(v.accessToken)}@${v.expiresAt.slice(5, 16)}`;
    })
    .join(' → ');

const stored = async (): Promise<Token> => JSON.parse((await redis.get(KEY))!) as Token;
const alive = () => processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
const readAll = (options: { now?: number; perRequest?: boolean } = {}, group = alive()) =>
  Promise.all(group.map((p) => p.read(options.now ?? em.clock.now(), options.perRequest)));
const signedIn = { email: DEFAULT_CUSTOMER.email, signal: null };
const allSignedIn = (group = alive()) => Array(group.length).fill(signedIn);
/** Puts the clock `left` before the token expires (the renewal window is the last 7 days). */
const leaving = (token: Token, left: number) => em.clock.set(Date.parse(token.expiresAt) - left);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (condition: () => boolean, ms: number) => {
  for (const start = performance.now(); !condition(); await sleep(10))
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
};
const events = (name: string) => alive().flatMap((p) => p.events.filter((e) => e === name)).length;
/** Starts a round: Shopify renews in `mode`, the renew counter and the processes' events start from zero. */
const round = (mode: RenewReturns) => {
  em.settings.renewReturns = mode;
  em.counters.reset();
  for (const p of processes) p.events.length = 0;
};
/** Ends a round: records its renew requests and sign-outs. */
const record = (name: string) => {
  rounds[name] = { renew: em.counters.count(RENEW), signOuts: events('sign-in-required') };
  return rounds[name];
};
/**
 * The stored token once the rounds before have settled, after every process has read it (with a clock outside
 * the window: no renewal), so that no process starts the next round with an older token in memory.
 */
const settled = async () => {
  await sleep(500);
  const token = await stored();
  expect(await readAll({ now: Date.parse(token.expiresAt) - 10 * DAY })).toEqual(allSignedIn());
  return token;
};
/** Redis restarts with no data: a new server behind the proxy, every connection dropped. */
const restartEmpty = async () => {
  const old = server;
  server = await startRedisServer();
  await proxies.ask({ op: 'retarget', port: server.port });
  await old.stop();
};
const frozen = async <T>(during: () => Promise<T>): Promise<T> => {
  server.pause();
  try {
    return await during();
  } finally {
    server.resume();
  }
};

beforeAll(async () => {
  if (withoutRedis) return;
  [server, em] = await Promise.all([startRedisServer(), startEmulator({ renewReturns: 'new-token' })]);
  proxies = new ProxyProcess(server.port, 5);
  await proxies.ready;
  redis = createClient({ url: proxies.urls[4], socket: { reconnectStrategy: () => 100 } });
  redis.on('error', () => undefined);
  await redis.connect();
  const config = (redisUrl: string): ProcessConfig => ({
    emulatorUrl: em.url,
    storeDomain: em.storeDomain,
    publicAccessToken: em.publicAccessToken,
    redisUrl,
    key: KEY,
    lockTtlMs: 1_000,
    lockWaitMs: 5_000,
    commandTimeoutMs: 300,
  });
  processes = [0, 1, 2, 3].map((index) => new SessionProcess(config(proxies.urls[index]!), index));
  await Promise.all(processes.map((p) => p.ready));
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  await redisSession({ client: redis, key: KEY }).store.set({
    accessToken: issued.accessToken,
    expiresAt: formatExpiresAt(issued.expiresAt),
  });
  sampler = setInterval(() => {
    void redis.get(KEY).then(
      (raw) => {
        const value = raw === null ? null : (JSON.parse(raw) as Token | { signedOut: true });
        const last = history.at(-1);
        if (value && JSON.stringify(value) !== JSON.stringify(last)) history.push(value);
      },
      () => undefined,
    );
  }, 10);
}, 30_000);

afterAll(async () => {
  if (withoutRedis) return;
  clearInterval(sampler);
  for (const p of processes ?? []) p.child.kill('SIGKILL');
  redis?.destroy();
  proxies?.child.kill('SIGKILL');
  await Promise.all([server?.stop(), em?.close()]);
  const table = Object.entries(rounds).map(([name, { renew, signOuts }]) => `${name} ${renew}/${signOuts}`);
  console.log(`renew requests/sign-outs per round (4 processes, 3 once one is killed): ${table.join(' | ')}`);
});

describe.skipIf(withoutRedis)('one customer, four server processes, one Redis', () => {
  it('sends exactly one renew request when all four enter the renewal window together', async () => {
    expect(await readAll()).toEqual(allSignedIn());
    const before = await stored();
    round('new-token');
    leaving(before, 3 * DAY);
    expect(await readAll()).toEqual(allSignedIn());
    expect(await readAll({ now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('together')).toEqual({ renew: 1, signOuts: 0 });
    const after = await stored();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('renews once when Shopify extends the same token (only expiresAt moves)', async () => {
    const before = await stored();
    round('same-token');
    leaving(before, 3 * DAY);
    expect(await readAll()).toEqual(allSignedIn());
    expect(await readAll({ now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('sameToken')).toEqual({ renew: 1, signOuts: 0 });
    const after = await stored();
    expect(after.accessToken).toBe(before.accessToken);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('renews once when Shopify rotates the token and deletes the old one: all adopt the new one', async () => {
    const before = await stored();
    round('rotate-same-expiry');
    leaving(before, 3 * DAY);
    // The renewal takes 2 s, so that all four have read the old token by the time it is replaced (they enter
    // the window together; a process entering later is the next test).
    em.faults.inject({ kind: 'latency', ms: 2_000 }, { operationName: RENEW });
    expect(await readAll()).toEqual(allSignedIn());
    expect(await readAll({ now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('rotate')).toEqual({ renew: 1, signOuts: 0 });
    const after = await stored();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBe(before.expiresAt);
    const issued = em.customers.tokens(DEFAULT_CUSTOMER.email);
    expect(issued.find((t) => t.accessToken === before.accessToken)?.deleted).toBe(true);
  }, 30_000);

  // A rotation that keeps expiresAt leaves the new token inside the window: a process that learns it from Redis
  // (not from its own renewal) sees a renewal that did not extend and pauses too, so it does not renew it again.
  it('renews once when Shopify rotates the token and the other processes read only afterwards', async () => {
    round('rotate-same-expiry');
    em.clock.advance(7 * HOUR); // past every pause of the rounds before
    const [first, ...others] = alive();
    expect(await readAll({}, [first!])).toEqual(allSignedIn([first!]));
    expect(await readAll({ now: em.clock.now() + 1_000 }, others)).toEqual(allSignedIn(others));
    expect(record('rotateLateReaders')).toEqual({ renew: 1, signOuts: 0 });
  }, 30_000);

  it('keeps every process signed in when Redis restarts empty as they enter the window, and renews once', async () => {
    const before = await settled();
    round('new-token');
    await restartEmpty();
    expect(await redis.exists(KEY)).toBe(0);
    em.clock.advance(7 * HOUR); // past the pause after the rotation (it did not move expiresAt)
    expect(await readAll()).toEqual(allSignedIn());
    expect(await readAll({ now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('restartEmpty')).toEqual({ renew: 1, signOuts: 0 });
    expect(Date.parse((await stored()).expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('postpones renewing while Redis is frozen and the token has time left, then renews once', async () => {
    const before = await stored();
    round('rotate-same-expiry');
    leaving(before, 5 * DAY); // in the window, with more than half of it left
    em.faults.inject({ kind: 'latency', ms: 2_000 }, { operationName: RENEW }); // all read before it is replaced
    await frozen(async () => {
      expect(await readAll()).toEqual(allSignedIn());
      expect(em.counters.count(RENEW)).toBe(0);
    });
    expect(events('lock-not-held')).toBeGreaterThanOrEqual(1);
    rounds.frozenPostponed = { renew: em.counters.count(RENEW), signOuts: events('sign-in-required') };
    em.clock.advance(5 * 60_000); // past the pause after a renewal that could not be coordinated
    expect(await readAll()).toEqual(allSignedIn());
    expect(await readAll({ now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('frozenThenRotate')).toEqual({ renew: 1, signOuts: 0 });
    expect(rounds.frozenPostponed).toEqual({ renew: 0, signOuts: 0 });
    expect((await stored()).accessToken).not.toBe(before.accessToken);
  }, 30_000);

  it('works with a session per request: one renewal, the last known token when frozen, a restart', async () => {
    const before = await stored();
    round('new-token');
    leaving(before, 3 * DAY);
    expect(await readAll({ perRequest: true })).toEqual(allSignedIn());
    expect(await readAll({ perRequest: true, now: em.clock.now() + 1_000 })).toEqual(allSignedIn());
    expect(record('perRequest')).toEqual({ renew: 1, signOuts: 0 });
    const renewed = await stored();
    expect(Date.parse(renewed.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));

    round('new-token');
    await frozen(async () => {
      expect(await readAll({ perRequest: true, now: em.clock.now() + 2_000 })).toEqual(allSignedIn());
    });
    expect(record('perRequestFrozen')).toEqual({ renew: 0, signOuts: 0 });

    round('new-token');
    await restartEmpty();
    expect(await readAll({ perRequest: true, now: em.clock.now() + 3_000 })).toEqual(allSignedIn());
    expect(record('perRequestRestart')).toEqual({ renew: 0, signOuts: 0 });
    expect(await stored()).toEqual(renewed);
  }, 30_000);

  it('lets another process renew once the lock of a holder killed mid-renewal expires', async () => {
    const before = await stored();
    round('new-token');
    leaving(before, 3 * DAY);
    em.faults.inject({ kind: 'latency', ms: 5_000 }, { operationName: RENEW });
    const reads = processes.map((p) => p.read(em.clock.now()));
    await until(() => em.counters.count(RENEW) === 1, 10_000);
    const holder = processes.find((p) => p.events.includes('holding-lock'))!;
    expect(processes.filter((p) => p.events.includes('holding-lock'))).toEqual([holder]);
    holder.child.kill('SIGKILL');
    const killedAt = performance.now();
    const survivors = processes.filter((p) => p !== holder);
    expect(await Promise.all(reads.filter((_, i) => processes[i] !== holder))).toEqual(allSignedIn(survivors));
    await until(() => em.counters.count(RENEW) === 2, 10_000);
    // Taken when the dead holder's lock expired (lockTtlMs 1 s), not after giving up on it (lockWaitMs 5 s).
    expect(performance.now() - killedAt).toBeLessThan(4_000);
    expect(await readAll({ now: em.clock.now() + 1_000 }, survivors)).toEqual(allSignedIn(survivors));
    expect(record('holderKilled')).toEqual({ renew: 2, signOuts: 0 }); // the dead holder's, then a survivor's
    expect(Date.parse((await stored()).expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
  }, 30_000);

  it('never wrote out of order in the rounds above: each value expires no earlier than the one before', () => {
    expect(history.length).toBeGreaterThanOrEqual(6);
    const tokens = history.filter((value): value is Token => 'accessToken' in value);
    expect(tokens).toEqual(history); // no sign-out mark
    const expiries = tokens.map((t) => Date.parse(t.expiresAt));
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
    const records = tokens.map((t) => `${t.accessToken} ${t.expiresAt}`);
    expect(new Set(records).size, 'a replaced token came back').toBe(records.length);
  });

  /**
   * Redis unreachable for every process (each one's connection up, nothing answered: its commands wait in its
   * proxy), the token `left` from expiry: under an hour, each process renews without the lock, and Shopify rotates
   * the token on the first renewal, so the others are answered "invalid" (and, without the lock, write no sign-out
   * mark). Their writes reach Redis when the partition ends, in the order `first` says.
   */
  async function partitionedNearExpiry(first: 'renewer' | 'refused', left: number) {
    const before = await settled();
    const group = alive();
    round('rotate-same-expiry');
    leaving(before, left); // under an hour left: processes renew without the lock
    const from = history.length;
    for (const p of group) p.redisErrors.length = 0;
    for (const p of group) await proxies.ask({ op: 'cut', index: p.index });
    const during = await readAll({}, group);
    const renewer = group.find((p) => p.events.includes('renewal-not-extending'));
    const refused = group.filter((p) => p !== renewer);
    for (const p of first === 'renewer' ? [renewer, ...refused] : [...refused, renewer]) {
      if (p) await proxies.ask({ op: 'heal', index: p.index });
      await sleep(200); // its queued commands run before the next process's
    }
    const duringSignOuts = events('sign-in-required');
    const after = await readAll({ now: em.clock.now() + 5 * 60_000 }, group);
    const again = await readAll({ now: em.clock.now() + 10 * 60_000 }, group);
    const result = record(first === 'renewer' ? 'nearExpiryRenewerFirst' : 'nearExpiryRefusedFirst');
    console.log(
      `partitioned near expiry, rotating, ${first} first: during ${JSON.stringify(during.map((r) => r.signal))}; ` +
        `after ${JSON.stringify(after.map((r) => r.signal))}, then ${JSON.stringify(again.map((r) => r.signal))}; ` +
        `renew ${result.renew}, sign-outs ${result.signOuts} (${duringSignOuts} during); ` +
        `events ${JSON.stringify(group.map((p) => p.events))}; ` +
        `redis errors ${JSON.stringify(group.map((p) => p.redisErrors))}; ` +
        `the key took ${labels(history.slice(from - 1))}`,
    );
    return { during, after, again, renewer, duringSignOuts, result };
  }

  it('signs no one out when unreachable near expiry while renewals rotate: the renewer lands first', async () => {
    const { after, again, renewer, duringSignOuts, result } = await partitionedNearExpiry('renewer', 40 * MINUTE);
    expect(renewer).toBeDefined();
    expect(duringSignOuts).toBe(0);
    expect(after).toEqual(allSignedIn());
    expect(again).toEqual(allSignedIn());
    expect(result.signOuts).toBe(0);
  }, 30_000);

  // The processes answered "invalid" without the lock write nothing (a mark sent during the outage could land
  // after it, over the renewer's token); they sign out only later, holding the lock, after a fresh read.
  it('signs no one out when unreachable near expiry while renewals rotate: the refused land first', async () => {
    // A new sign-in: no pause of the round before applies to its token.
    const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
    await redisSession({ client: redis, key: KEY }).store.set({
      accessToken: issued.accessToken,
      expiresAt: formatExpiresAt(issued.expiresAt),
    });
    const { after, again, result } = await partitionedNearExpiry('refused', 30 * MINUTE);
    expect(after).toEqual(allSignedIn());
    expect(again).toEqual(allSignedIn());
    expect(result.signOuts).toBe(0);
  }, 30_000);

  // A process whose last known token was rotated away is the first to read after Redis restarted empty: the
  // others, which know a newer token, write theirs over its stale write-back (only forward), and nobody signs out.
  it('keeps every process signed in when Redis restarts empty and one process knows only a rotated-away token', async () => {
    // The customer signs in again (the round before signed everyone out): set() writes over the mark.
    em.clock.advance(8 * HOUR);
    const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
    await redisSession({ client: redis, key: KEY }).store.set({
      accessToken: issued.accessToken,
      expiresAt: formatExpiresAt(issued.expiresAt),
    });
    const before = await settled();
    round('rotate-same-expiry');
    leaving(before, 3 * DAY);
    const [stale, ...others] = alive();
    const steps = [
      await readAll({}, [stale!]), // T1 → T2 by the first process, which then pauses 6 hours
      await readAll({ now: em.clock.now() + 1_000 }, others), // T2 → T3 by another (T2 deleted)
    ];
    await sleep(500);
    await restartEmpty();
    steps.push(await readAll({ now: em.clock.now() + 2_000 }, [stale!])); // writes T2 back
    const after = await readAll({ now: em.clock.now() + 3_000 });
    const result = record('restartStaleWriteBack');
    console.log(
      'restart empty, one process knowing a rotated-away token: ' +
        `before ${JSON.stringify(steps.flat().map((r) => r.signal))}, ` +
        `after ${JSON.stringify(after.map((r) => r.signal))}; renew ${result.renew}, sign-outs ${result.signOuts}; ` +
        `the key took ${labels(history.slice(-5))}`,
    );
    expect(steps.flat()).toEqual(allSignedIn([stale!, ...others, stale!]));
    expect(after).toEqual(allSignedIn());
    expect(result.signOuts).toBe(0);
  }, 30_000);
});
