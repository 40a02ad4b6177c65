import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverCustomerAccount,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
} from '../../src/customerAccount/index.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  redisSession,
} from '../../src/redis/index.js';
import { startEmulator, type Emulator } from '../../src/testing/index.js';
import { signIn } from '../integration/customerAccountSignInFlow.js';
import type { ProcessConfig } from './fixtures/sessionProcess.js';
import { fingerprint } from './fixtures/tokenFingerprint.js';
import { startRedisServer, withoutRedis, type RedisServer } from './redisServer.js';
import { SessionProcess, type ReadReply } from './sessionProcesses.js';

// Four Node processes serve one customer's Customer Account token set from one Redis key (a real redis-server),
// each with its own urql client, Customer Account exchange and Redis session, against the emulator over HTTP. The
// emulator's refresh tokens are single use, with reuse detection: a second refresh with a used refresh token
// answers invalid_grant and revokes the whole sign-in, so a double refresh shows as a sign-out too. Round after
// round the four read the customer together while the access token is inside the refresh window or expired.
// Counted at the emulator's token endpoint: exactly one refresh per round, no sign-out, and every process ends
// the round on the token set Redis holds, the newest one the emulator issued. Time moves on the emulator's clock.

const KEY = 'customer-session:customer-account';
const MINUTE = 60_000;
const EMAIL = 'customer@example.com';
const ROUNDS = ['near expiry', 'expired', 'near expiry', 'expired', 'expired', 'near expiry'] as const;
let em: Emulator;
let server: RedisServer;
let redis: ReturnType<typeof createClient>;
let endpoints: CustomerAccountEndpoints;
let oauth: CustomerAccountClient;
let processes: SessionProcess[];

beforeAll(async () => {
  if (withoutRedis) return;
  [server, em] = await Promise.all([
    startRedisServer(),
    startEmulator({ customerAccount: { settings: { rotation: 'single-use', reuseRevokesSignIn: true } } }),
  ]);
  redis = createClient({ url: server.url });
  redis.on('error', () => undefined);
  await redis.connect();
  endpoints = await discoverCustomerAccount(em.url);
  oauth = { clientId: em.customerAccount.publicClientId, now: em.clock.now };
  const config: ProcessConfig = {
    emulatorUrl: em.url,
    storeDomain: em.storeDomain,
    publicAccessToken: em.publicAccessToken,
    redisUrl: server.url,
    key: KEY,
    lockTtlMs: DEFAULT_LOCK_TTL_MS,
    lockWaitMs: DEFAULT_LOCK_WAIT_MS,
    commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
    tokenKind: 'customer-account',
    clientId: em.customerAccount.publicClientId,
  };
  processes = [0, 1, 2, 3].map((index) => new SessionProcess(config, index));
  await Promise.all(processes.map((p) => p.ready));
  const tokenSet = await signIn(em, endpoints, oauth);
  // The emulator builds a version's Customer Account schema on its first GraphQL request: a CPU-heavy second on a
  // busy machine, which would otherwise fall in the first read, starving the processes with Redis commands in flight.
  const warm = await fetch(em.customerAccount.urls.graphql('2026-04'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: tokenSet.accessToken },
    body: JSON.stringify({ query: '{ customer { id } }' }),
  });
  expect(warm.status).toBe(200);
  await redisSession({ client: redis, key: KEY }).store.set(tokenSet);
}, 30_000);

afterAll(async () => {
  if (withoutRedis) return;
  for (const p of processes ?? []) p.child.kill('SIGKILL');
  redis?.destroy();
  await Promise.all([server?.stop(), em?.close()]);
});

/** The token set Redis holds, or `null` for a sign-out mark or nothing. */
async function held(): Promise<CustomerAccountTokenSet | null> {
  const record = await redisSession({ client: redis, key: KEY }).store.read();
  return record !== null && 'accessToken' in record ? (record as CustomerAccountTokenSet) : null;
}

/** The token set Redis holds (a sign-out mark or nothing fails the test). */
async function stored(): Promise<CustomerAccountTokenSet> {
  const tokenSet = await held();
  if (!tokenSet) throw new Error('Redis holds no token set');
  return tokenSet;
}

const readAll = (): Promise<ReadReply[]> => Promise.all(processes.map((p) => p.readWithTokens(em.clock.now())));
const seen = (replies: ReadReply[]) => replies.map(({ email, signal }) => ({ email, signal }));
const allSignedIn = () => Array(processes.length).fill({ email: EMAIL, signal: null });
/** What the processes reported unasked, besides taking the lock: signals, and being refused the lock. */
const reported = () => processes.flatMap((p) => p.events.filter((event) => event !== 'holding-lock'));

describe.skipIf(withoutRedis)("four processes sharing one customer's Customer Account token set in Redis", () => {
  it('reads with the signed-in token set while it is fresh, refreshing nothing', async () => {
    const before = await stored();
    em.customerAccount.counters.reset();
    const replies = await readAll();
    expect(seen(replies)).toEqual(allSignedIn());
    expect(em.customerAccount.counters.refreshes()).toBe(0);
    // Each process now knows the signed-in set (its starting point, which nobody is told of) and sent it.
    expect(replies.map((r) => r.told)).toEqual([null, null, null, null]);
    expect(replies.map((r) => r.sent)).toEqual(Array(4).fill(fingerprint({ accessToken: before.accessToken })));
  });

  it.each(ROUNDS.map((when, i) => [i + 1, when] as const))(
    'round %i, access token %s: exactly one refresh, no sign-out, all four on the newest token set',
    async (round, when) => {
      const before = await stored();
      em.customerAccount.counters.reset();
      for (const p of processes) p.events.length = 0;
      const expiresAt = Date.parse(before.expiresAt);
      em.clock.set(when === 'near expiry' ? expiresAt - 2 * MINUTE : expiresAt + 10 * MINUTE);

      const replies = await readAll();

      const refreshes = em.customerAccount.counters.refreshes();
      const signOuts = processes.flatMap((p) => p.events).filter((e) => e === 'sign-in-required').length;
      const after = await held();
      const newest = fingerprint(after);
      const sent = after && fingerprint({ accessToken: after.accessToken });
      const onNewest = replies.filter((r) => newest !== null && r.told === newest && r.sent === sent);
      console.log(
        `customer account, 4 processes on one Redis key, single-use refresh tokens, round ${round} ` +
          `(access token ${when}): refreshes ${refreshes}, sign-outs ${signOuts}, ` +
          `processes on the newest token set ${onNewest.length}/4${after ? '' : ', Redis holds no token set'}`,
      );
      expect(seen(replies)).toEqual(allSignedIn());
      expect(refreshes).toBe(1);
      expect(em.customerAccount.counters.refreshesOf(before.refreshToken)).toBe(1);
      expect(signOuts).toBe(0);
      expect(reported()).toEqual([]);
      // Redis holds a new set: a working access token, and a refresh token nobody has used yet (the newest).
      if (!after) throw new Error('Redis holds no token set');
      expect(newest).not.toBe(fingerprint(before));
      expect(em.customerAccount.tokens.lookup(after.accessToken)?.email).toBe(EMAIL);
      expect(em.customerAccount.counters.refreshesOf(after.refreshToken)).toBe(0);
      expect(Date.parse(after.expiresAt)).toBe(em.clock.now() + 3_600_000);
      // Every process was told of that set, and sent its access token.
      expect(replies.map((r) => r.told)).toEqual(Array(4).fill(newest));
      expect(replies.map((r) => r.sent)).toEqual(Array(4).fill(sent));
    },
    30_000,
  );

  it('ends with every process on the same token set: reading again refreshes nothing', async () => {
    const last = await stored();
    em.customerAccount.counters.reset();
    for (const p of processes) p.events.length = 0;
    em.clock.advance(MINUTE);
    const replies = await readAll();
    expect(seen(replies)).toEqual(allSignedIn());
    expect(em.customerAccount.counters.refreshes()).toBe(0);
    expect(reported()).toEqual([]);
    expect(fingerprint(await stored())).toBe(fingerprint(last));
    expect(replies.map((r) => r.told)).toEqual(Array(4).fill(fingerprint(last)));
  });
});
