import { describe, expect, it } from 'vitest';
import {
  SIGNED_OUT,
  type RenewalCoordination,
  type TokenHandover,
  type SharedTokenStore,
  type TokenRecord,
} from '../../src/runtime/coordination.js';
import { createCustomerSession, type Renew } from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions, type CustomerTokenExchangeOptions } from '../../src/runtime/customerTokenOptions.js';
import type { RenewAnswer } from '../../src/runtime/renewOutcome.js';
import { memoryTokenStore, type CustomerSessionSignal, type Token } from '../../src/index.js';
import { isToken, sameToken, type TokenKind } from '../../src/runtime/tokenStore.js';
import { CUSTOMER_ACCOUNT_TOKEN } from '../../src/customerAccount/tokenSet.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const T0 = Date.UTC(2026, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const token = (accessToken: string, expiresAt: number): Token => ({ accessToken, expiresAt: iso(expiresAt) });

function session(options: Partial<CustomerTokenExchangeOptions> & { token?: Token | null; kind?: TokenKind } = {}) {
  const clock = { now: T0 };
  const store = options.store ?? memoryTokenStore(options.token === undefined ? null : options.token);
  const signals: CustomerSessionSignal[] = [];
  const signIns: string[] = [];
  const config = resolveCustomerOptions({
    now: () => clock.now,
    onSignal: (s) => signals.push(s),
    onSignInRequired: (s) => signIns.push(s.reason),
    ...options,
    store,
  });
  return { clock, store, signals, signIns, session: createCustomerSession({ ...config, kind: options.kind }) };
}

const decide = async (s: ReturnType<typeof session>, renew: Renew) => s.session.decide(renew);

describe('createCustomerSession', () => {
  it('stops waiting for a renewal after renewWaitMs and sends the still-valid token', async () => {
    const current = token('A', T0 + 3 * DAY);
    const s = session({ token: current, renewWaitMs: 30 });
    const started = performance.now();
    const decision = await decide(s, () => new Promise<RenewAnswer>(() => {}));
    expect(decision).toMatchObject({ kind: 'send', token: current });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('renews at most 28 times over the 7-day window when renewals never move expiresAt', async () => {
    const current = token('A', T0 + 7 * DAY);
    const s = session({ token: current });
    let renews = 0;
    const renew: Renew = async (from) => (renews++, { kind: 'renewed', token: { ...from } });
    for (s.clock.now = T0; s.clock.now < T0 + 7 * DAY - 10 * MINUTE; s.clock.now += MINUTE) await decide(s, renew);
    expect(renews).toBeGreaterThan(0);
    expect(renews).toBeLessThanOrEqual(28);
    expect(s.signals.filter((x) => x.kind === 'renewal-not-extending').length).toBe(renews);
  });

  it('bounds renew attempts when every renewal fails transiently', async () => {
    const s = session({ token: token('A', T0 + 7 * DAY) });
    let renews = 0;
    const renew: Renew = async () => (renews++, { kind: 'unavailable', error: undefined, cause: null });
    for (s.clock.now = T0; s.clock.now < T0 + 7 * DAY - 10 * MINUTE; s.clock.now += MINUTE) await decide(s, renew);
    expect(renews).toBeLessThanOrEqual(30);
  });

  it('keeps the refreshes of an expired Customer Account token renewCooldownMs apart while they fail', async () => {
    // A kind renewed after expiry: an expired access token is refreshed, not signed out.
    const s = session({ token: token('A', T0 - MINUTE), kind: CUSTOMER_ACCOUNT_TOKEN, renewCooldownMs: MINUTE });
    let renews = 0;
    const renew: Renew = async () => (renews++, { kind: 'unavailable', error: undefined, cause: null });
    // An operation a second for five minutes: one refresh a minute, each operation answered without a token.
    for (let second = 0; second < 300; second++, s.clock.now += 1000)
      expect(await decide(s, renew)).toMatchObject({ kind: 'fail', signal: { kind: 'renewal-unavailable' } });
    expect(renews).toBe(5);
  });

  describe('a token endpoint whose access tokens live less than the skew (20 s, skew 30 s)', () => {
    // The Customer Account exchange's defaults: a 5-minute refresh window, a 30-second skew.
    const ca = {
      kind: CUSTOMER_ACCOUNT_TOKEN,
      renewWindowMs: 5 * MINUTE,
      clockSkewMs: 30_000,
      renewCooldownMs: MINUTE,
    };
    const set = (accessToken: string, expiresAt: number): Token =>
      ({ ...token(accessToken, expiresAt), refreshToken: `r-${accessToken}`, idToken: '' }) as Token;

    it('keeps each refreshed set (its refresh token replaced the spent one), tells the app, refreshes once a cooldown', async () => {
      const s = session({ token: set('A', T0 - MINUTE), ...ca });
      const spentWith: string[] = [];
      const renew: Renew = async (from) => {
        spentWith.push((from as Token & { refreshToken: string }).refreshToken);
        return { kind: 'renewed', token: set(`B${spentWith.length}`, s.clock.now + 20_000) };
      };
      for (let second = 0; second < 600; second++, s.clock.now += 1000) await decide(s, renew);
      // One refresh a minute, each with the refresh token the one before answered: never a spent one.
      expect(spentWith).toEqual(['r-A', ...Array.from({ length: 9 }, (_, i) => `r-B${i + 1}`)]);
      expect((await s.store.get()) as Token & { refreshToken: string }).toMatchObject({ refreshToken: 'r-B10' });
      const told = s.signals.filter((x) => x.kind === 'renewal-not-extending');
      expect(told).toHaveLength(10);
      expect(told[0]).toEqual({ kind: 'renewal-not-extending', expiresAt: iso(T0 + 20_000) });
      expect(s.signIns).toEqual([]);
    });

    it('refreshes the longer-lived set the next refresh brings ahead of its expiry, as any other', async () => {
      const s = session({ token: set('A', T0 - MINUTE), ...ca });
      let renews = 0;
      const renew: Renew = async () => {
        renews++;
        const lifetime = renews === 1 ? 20_000 : 3_600_000; // the token endpoint is set right after one answer
        return { kind: 'renewed', token: set(`B${renews}`, s.clock.now + lifetime) };
      };
      await decide(s, renew);
      s.clock.now += 2 * MINUTE;
      expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'B2' } });
      s.clock.now += 57 * MINUTE; // inside B2's 5-minute refresh window, B2 still live
      expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'B3' } });
      expect(renews).toBe(3);
    });

    it('takes such a set handed over by another tab, and refreshes with its refresh token', async () => {
      let deliver!: (change: TokenHandover) => void;
      const coordination: RenewalCoordination = {
        withRenewalLock: (run) => run(true),
        onHandOver: (listener) => ((deliver = listener), () => {}),
      };
      const first = set('A', T0 + 3 * MINUTE); // inside the 5-minute window: due, but the other tab renews first
      const s = session({ token: first, ...ca, coordination });
      const never: Renew = async () => ({ kind: 'unavailable', error: undefined, cause: null });
      await decide(s, never);
      deliver({ from: first, to: set('B', T0 + 20_000) }); // the store still shows A (a lagging read)
      s.clock.now += 2 * MINUTE;
      const spentWith: string[] = [];
      await decide(s, async (from) => {
        spentWith.push((from as Token & { refreshToken: string }).refreshToken);
        return { kind: 'renewed', token: set('C', s.clock.now + 3_600_000) };
      });
      expect(spentWith).toEqual(['r-B']);
    });
  });

  it("answers an operation that failed for a read with that read's failure, its message included", async () => {
    const wrong = () =>
      Promise.reject(new Error('the key "customer-session:1" holds a list. Give the session a key of its own.'));
    const store = { get: wrong, set: wrong, clear: wrong, read: wrong, compareAndSet: wrong };
    const s = session({ store });
    const decision = await decide(s, async () => ({ kind: 'unavailable', error: undefined, cause: null }));
    expect(decision).toEqual({
      kind: 'fail',
      signal: {
        kind: 'store-failure',
        method: 'get',
        message: 'the key "customer-session:1" holds a list. Give the session a key of its own.',
      },
    });
  });

  describe('with the lock taken over from a holder that did not let go (a frozen tab)', () => {
    const ca = {
      kind: CUSTOMER_ACCOUNT_TOKEN,
      renewWindowMs: 5 * MINUTE,
      clockSkewMs: 30_000,
      renewCooldownMs: MINUTE,
    };
    const takenOver: RenewalCoordination = { withRenewalLock: (run) => run(true, 'taken-over') };

    it('does not race its renewal while the token is live: the token is sent, nothing renewed', async () => {
      const s = session({ token: token('A', T0 + 2 * MINUTE), ...ca, coordination: takenOver });
      let renews = 0;
      const renew: Renew = async () => (renews++, { kind: 'invalid', userErrors: [], error: undefined });
      expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
      expect(renews).toBe(0);
      expect(s.signIns).toEqual([]);
    });

    it('takes an "invalid" answer once the token is no longer live for its doing, not a sign-out', async () => {
      const s = session({ token: token('A', T0 - MINUTE), ...ca, coordination: takenOver });
      let renews = 0;
      const renew: Renew = async () => (renews++, { kind: 'invalid', userErrors: [], error: undefined });
      expect(await decide(s, renew)).toMatchObject({ kind: 'fail', signal: { kind: 'renewal-unavailable' } });
      expect(renews).toBe(1);
      expect(s.signIns).toEqual([]);
      expect(await s.store.get()).toMatchObject({ accessToken: 'A' });
    });
  });

  it('waits a cooldown before renewing a token another tab renewed just now already inside the window', async () => {
    // A token endpoint whose access tokens live 4 minutes, under the 5-minute window: every new one is due at once.
    let deliver!: (change: TokenHandover) => void;
    const coordination: RenewalCoordination = {
      withRenewalLock: (run) => run(true),
      onHandOver: (listener) => ((deliver = listener), () => {}),
    };
    const first = token('A', T0 + 10 * MINUTE);
    const ca = {
      kind: CUSTOMER_ACCOUNT_TOKEN,
      renewWindowMs: 5 * MINUTE,
      clockSkewMs: 30_000,
      renewCooldownMs: MINUTE,
    };
    const s = session({ token: first, ...ca, coordination });
    let renews = 0;
    const renew: Renew = async () => (renews++, { kind: 'unavailable', error: undefined, cause: null });
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
    deliver({ from: first, to: token('B', T0 + 4 * MINUTE) }); // another tab renewed A: 4 minutes, inside the window
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
    s.clock.now += 30_000;
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
    expect(renews).toBe(0); // its renewer's cooldown holds here too
    s.clock.now += 31_000;
    await decide(s, renew);
    expect(renews).toBe(1);
  });

  it('renews at once a token read from the store inside the window (a process that was behind, not a renewal)', async () => {
    const store = memoryTokenStore(token('A', T0 + 40 * DAY));
    const s = session({ store });
    let renews = 0;
    const renew: Renew = async () => (renews++, { kind: 'unavailable', error: undefined, cause: null });
    await decide(s, renew);
    await store.set(token('B', T0 + 3 * DAY)); // the record this process had not read yet, days inside the window
    await decide(s, renew);
    expect(renews).toBe(1);
  });

  it('does not ask again to renew a token the server refused while the store is down', async () => {
    const stored = token('A', T0 - MINUTE);
    // A shared store that goes down after the first read: the sign-out cannot be written, and no read can tell
    // what comes next until it is back.
    let reads = 0;
    const down = () => Promise.reject(new Error('store down'));
    const answer = () => (reads++ === 0 ? stored : down());
    const store = { get: answer, set: down, clear: down, read: answer, compareAndSet: down };
    // Every wait a hundred times shorter (each decision retries the sign-out, with its grace wait, up to its bound).
    const timer = (callback: () => void, ms: number) => {
      const id = setTimeout(callback, ms / 100);
      return () => clearTimeout(id);
    };
    const s = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN, renewCooldownMs: MINUTE, timer });
    let renews = 0;
    const renew: Renew = async () => (renews++, { kind: 'invalid', userErrors: [], error: undefined });
    for (let minute = 0; minute < 10; minute++, s.clock.now += MINUTE) await decide(s, renew);
    expect(renews).toBe(1);
  });

  it('never takes back a token it replaced when its store kept failing the writes of two renewals in a row', async () => {
    // A plain store whose set fails for a while (a cookie store that cannot be written here), a server that rotates: the
    // store still shows the first token, which the first renewal spent.
    let held: Token | null = token('A', T0 + 3 * DAY);
    let writable = false;
    const store = {
      get: () => held,
      set: (next: Token) => (writable ? void (held = next) : Promise.reject(new Error('cannot write'))),
      clear: () => void (held = null),
    };
    const s = session({ store, renewCooldownMs: MINUTE });
    const spent = new Set<string>();
    const renew: Renew = async (from) => {
      if (spent.has(from.accessToken)) return { kind: 'invalid', userErrors: [], error: undefined };
      spent.add(from.accessToken);
      return { kind: 'renewed', token: token(`${from.accessToken}'`, Date.parse(from.expiresAt) + 3 * DAY) };
    };
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: "A'" } });
    s.clock.now += 2 * MINUTE;
    // A' is in its window too: renewed, though the store still shows A (a write that fails, another compare that
    // fails): A' is spent, so A'' must be kept.
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: "A''" } });
    expect([...spent]).toEqual(['A', "A'"]);
    s.clock.now += 2 * MINUTE;
    writable = true;
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: { accessToken: "A''" } });
    expect(held).toMatchObject({ accessToken: "A''" }); // written back once the store took writes again
    expect(s.signIns).toEqual([]);
  });

  it('never goes back to a token it held before when a client that missed the newer one writes it back', async () => {
    // A shared store (Redis) that loses its record; another process, idle since, knows only the first token and
    // writes it back as lost data. Rotating refresh tokens: the first one is spent, so going back signs everyone out.
    let held: TokenRecord = token('A', T0 + 3 * DAY);
    const store: SharedTokenStore = {
      read: () => held,
      get: () => (isToken(held) ? held : null),
      set: (next) => void (held = next),
      clear: () => void (held = SIGNED_OUT),
      // Tokens compare by both fields, as the protocol says.
      compareAndSet: (expected, next) =>
        (isToken(expected) && isToken(held) ? sameToken(expected, held) : expected === held)
          ? ((held = next), true)
          : false,
    };
    const s = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN });
    const never: Renew = async () => ({ kind: 'unavailable', error: undefined, cause: null });
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
    held = token('B', T0 + 4 * DAY); // another process refreshed
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
    held = null; // Redis restarted empty, and the idle process wrote back what it knew
    held = token('A', T0 + 3 * DAY);
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
    expect(held).toMatchObject(token('B', T0 + 4 * DAY)); // written back over the stale one
    expect(s.signIns).toEqual([]);
  });

  // A shared store whose compare-and-set compares both fields, as the protocol says, and counts the writes that land.
  const sharedStore = (first: TokenRecord) => {
    const box = { held: first, landed: 0 };
    const store: SharedTokenStore = {
      read: () => box.held,
      get: () => (isToken(box.held) ? box.held : null),
      set: (next) => void (box.held = next),
      clear: () => void (box.held = SIGNED_OUT),
      compareAndSet: (expected, next) =>
        (isToken(expected) && isToken(box.held) ? sameToken(expected, box.held) : expected === box.held)
          ? ((box.held = next), box.landed++, true)
          : false,
    };
    return { box, store };
  };
  const never: Renew = async () => ({ kind: 'unavailable', error: undefined, cause: null });

  it('never goes back to a token it held before on the fast path either (the Customer Account window, 5 minutes)', async () => {
    // As above, with the Customer Account exchange's refresh window instead of the 7-day default: no renewal is due.
    const { box, store } = sharedStore(token('A', T0 + 3 * DAY));
    const s = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN, renewWindowMs: 5 * MINUTE, clockSkewMs: MINUTE });
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
    box.held = token('B', T0 + 4 * DAY);
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
    box.held = null;
    box.held = token('A', T0 + 3 * DAY); // the idle process's stale write-back
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'B' } });
  });

  it('settles a stale write-back with one write: two clients never write back and forth over each other', async () => {
    // C2 held A, then read B (another process renewed). C1 starts after that, knowing only B. Redis loses the key and
    // an idle process writes A back: C1 never held A, so it takes it (the first write-back wins), and B joins C1's past.
    const { box, store } = sharedStore(token('A', T0 + 3 * DAY));
    const c2 = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN });
    expect(await decide(c2, never)).toMatchObject({ token: { accessToken: 'A' } });
    box.held = token('B', T0 + 4 * DAY);
    expect(await decide(c2, never)).toMatchObject({ token: { accessToken: 'B' } });
    const c1 = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN });
    expect(await decide(c1, never)).toMatchObject({ token: { accessToken: 'B' } });
    box.held = null;
    box.held = token('A', T0 + 3 * DAY);
    expect(await decide(c1, never)).toMatchObject({ token: { accessToken: 'A' } });
    box.landed = 0;
    const sent: string[] = [];
    for (let i = 0; i < 4; i++) {
      c1.clock.now = c2.clock.now += MINUTE;
      sent.push(
        `c2:${((await decide(c2, never)) as { token: Token }).token.accessToken}@${(box.held as Token).accessToken}`,
      );
      sent.push(
        `c1:${((await decide(c1, never)) as { token: Token }).token.accessToken}@${(box.held as Token).accessToken}`,
      );
    }
    // At most one write-back settles it (C2 writes B back, C1 follows the store); no write war.
    expect(box.landed, sent.join(' ')).toBeLessThanOrEqual(1);
  });

  it('follows the newer token written back over a stale write-back it took, never signing the others out with it', async () => {
    const { box, store } = sharedStore(token('A', T0 + 3 * DAY));
    const c2 = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN });
    await decide(c2, never);
    box.held = token('B', T0 + 4 * DAY); // another process refreshed A (A's refresh token is spent)
    await decide(c2, never);
    const c1 = session({ store, kind: CUSTOMER_ACCOUNT_TOKEN });
    await decide(c1, never);
    box.held = null;
    box.held = token('A', T0 + 3 * DAY); // an idle process writes A back
    await decide(c1, never); // C1 never held A: takes it
    await decide(c2, never); // C2 writes B back over it
    expect(box.held).toMatchObject({ accessToken: 'B' });
    c1.clock.now += 2 * DAY; // C1's pause is over; A is spent at the server
    const spent: Renew = async (from) =>
      from.accessToken === 'A'
        ? { kind: 'invalid', userErrors: [], error: undefined }
        : never(from, new AbortController().signal, undefined);
    await decide(c1, spent);
    expect(box.held, 'the store held B, a live token, when C1 decided').toMatchObject({ accessToken: 'B' });
  });

  it('keeps a sign-in made while a renewal was out that answered the same token back', async () => {
    const store = memoryTokenStore(token('A', T0 + 3 * DAY));
    const s = session({ store });
    const signedIn = token('B', T0 + 60 * DAY);
    const seen: string[] = [];
    const renew: Renew = async (from) => {
      await store.set(signedIn); // the customer signs in again (another account) while the renewal is out
      seen.push(((await decide(s, renew)) as { token: Token }).token.accessToken); // an operation meanwhile
      return { kind: 'renewed', token: from }; // Shopify answers the same token: nothing renewed
    };
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: signedIn });
    expect(seen).toEqual(['B']);
    expect(await decide(s, renew)).toMatchObject({ kind: 'send', token: signedIn });
    expect(await store.get()).toEqual(signedIn);
  });

  it('keeps a rotated token whose expiresAt did not move', async () => {
    const s = session({ token: token('A', T0 + 3 * DAY) });
    const rotated = token('B', T0 + 3 * DAY);
    const decision = await decide(s, async () => ({ kind: 'renewed', token: rotated }));
    expect(await s.store.get()).toEqual(rotated);
    expect(decision).toMatchObject({ kind: 'send', token: rotated });
  });

  it('tells the app once per change to signed-out: an empty store at start, then expired, then missing', async () => {
    const s = session({ token: null });
    const never: Renew = async () => ({ kind: 'unavailable', error: undefined, cause: null });
    await decide(s, never);
    await decide(s, never);
    expect(s.signIns).toEqual(['missing']);
    await s.store.set(token('A', T0 + 20 * DAY));
    await decide(s, never);
    s.clock.now = T0 + 21 * DAY;
    expect(await decide(s, never)).toMatchObject({ kind: 'fail', signal: { reason: 'expired' } });
    expect(await decide(s, never)).toMatchObject({ kind: 'fail', signal: { reason: 'missing' } });
    expect(s.signIns).toEqual(['missing', 'expired']);
  });

  it('signs out for a refused token only while the store still holds it', async () => {
    const s = session({ token: token('B', T0 + 30 * DAY) });
    expect(await s.session.revoked('A')).toBeNull();
    expect(await s.store.get()).toEqual(token('B', T0 + 30 * DAY));
    expect(s.signIns).toEqual([]);
    expect(await s.session.revoked('B')).toMatchObject({ kind: 'sign-in-required', reason: 'invalid' });
    expect(s.signIns).toEqual(['invalid']);
  });

  it('answers a refusal it cannot judge (the store unreadable) as a store-failure, not a sign-in-required', async () => {
    // A shared store that answers once, then never (another tab frozen inside an IndexedDB transaction).
    let reads = 0;
    const stuck = () => new Promise<never>(() => {});
    const answer = () => (reads++ === 0 ? token('A', T0 + 30 * DAY) : stuck());
    const store = { get: answer, set: stuck, clear: stuck, read: answer, compareAndSet: stuck };
    const s = session({ store, storeTimeoutMs: 20 });
    const never: Renew = () => new Promise<RenewAnswer>(() => {});
    expect(await decide(s, never)).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
    expect(await s.session.revoked('A')).toMatchObject({ kind: 'store-failure', method: 'get' });
    expect(s.signIns).toEqual([]);
  });

  it('answers a refusal it could not judge within the bound (the lock never answered) as a store-failure', async () => {
    const held = token('A', T0 + 30 * DAY);
    const stuck = () => new Promise<never>(() => {});
    const store = { get: async () => held, set: stuck, clear: stuck, read: async () => held, compareAndSet: stuck };
    const coordination: RenewalCoordination = { withRenewalLock: stuck };
    const s = session({ store, coordination, renewWaitMs: 30, storeTimeoutMs: 20 });
    expect(await s.session.revoked('A')).toMatchObject({ kind: 'store-failure', method: 'get' });
    expect(s.signIns).toEqual([]);
  });

  it('keeps to the lock outage rule for a refused token after an earlier sign-out for expiry', async () => {
    // A shared store and a lock that goes down: a token the server refused is signed out only holding the lock.
    let record: TokenRecord = token('A', T0 + DAY);
    const same = (a: TokenRecord, b: TokenRecord) => JSON.stringify(a) === JSON.stringify(b);
    const store: SharedTokenStore = {
      get: async () => (isToken(record) ? record : null),
      set: async (next) => void (record = next),
      clear: async () => void (record = SIGNED_OUT),
      read: async () => record,
      compareAndSet: async (expected, next) => (same(record, expected) ? ((record = next), true) : false),
    };
    let lockWorks = true;
    const coordination: RenewalCoordination = {
      withRenewalLock: (run) => (lockWorks ? run(true) : run(false, 'unreachable')),
    };
    const s = session({ store, coordination });
    const never: Renew = () => new Promise<RenewAnswer>(() => {});
    s.clock.now = T0 + 2 * DAY; // A expired: signed out for expiry
    expect(await decide(s, never)).toMatchObject({ kind: 'fail', signal: { reason: 'expired' } });
    await store.set(token('B', T0 + 60 * DAY)); // the customer signs in again
    lockWorks = false;
    // The server refuses B while the lock is down: not judged yet (no write without the lock), nor on the next read.
    expect(await s.session.revoked('B')).toMatchObject({ kind: 'store-failure' });
    expect(await decide(s, never)).toMatchObject({ kind: 'fail', signal: { kind: 'store-failure' } });
    expect(record).toEqual(token('B', T0 + 60 * DAY));
    expect(s.signIns).toEqual(['expired']);
  });

  it('sends no renew when, inside the lock, the store holds a token another client renewed', async () => {
    const store = memoryTokenStore(token('A', T0 + 3 * DAY));
    const renewedElsewhere = token('B', T0 + 42 * DAY);
    const coordination: RenewalCoordination = {
      async withRenewalLock(run) {
        await store.set(renewedElsewhere); // the lock holder before us renewed and wrote
        return run(true);
      },
    };
    const s = session({ store, coordination });
    let renews = 0;
    const decision = await decide(s, async () => (renews++, { kind: 'unavailable', error: undefined, cause: null }));
    expect(renews).toBe(0);
    expect(decision).toMatchObject({ kind: 'send', token: renewedElsewhere });
  });

  it('refuses a coordination option without withRenewalLock, naming the fix', () => {
    expect(() => session({ coordination: {} as RenewalCoordination })).toThrow(/withRenewalLock/);
  });
});
