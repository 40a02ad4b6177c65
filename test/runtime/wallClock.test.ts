import { describe, expect, it } from 'vitest';
import type { SetTimer } from '../../src/runtime/bounded.js';
import type { RenewalCoordination } from '../../src/runtime/coordination.js';
import { createCustomerSession, type Decision, type Renew } from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions, type CustomerTokenExchangeOptions } from '../../src/runtime/customerTokenOptions.js';
import type { RenewAnswer } from '../../src/runtime/renewOutcome.js';
import { memoryTokenStore, type CustomerSessionSignal, type Token } from '../../src/index.js';
import type { TokenKind } from '../../src/runtime/tokenStore.js';
import { CUSTOMER_ACCOUNT_TOKEN } from '../../src/customerAccount/tokenSet.js';

/*
 * A device's wall clock moves apart from its timers: a laptop that slept wakes with `Date.now()` days later while
 * its pending timers fire a few milliseconds after wake (monotonic clocks stop in suspend); NTP or a user sets a
 * wrong clock back by hours, or ahead. Here `now` is the wall clock and `timer` runs on a monotonic one.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const token = (accessToken: string, expiresAt: number): Token => ({ accessToken, expiresAt: iso(expiresAt) });
const unavailable: RenewAnswer = { kind: 'unavailable', error: undefined, cause: null };

/** A wall clock and a monotonic timer clock: `pass` moves both, `set` only the wall clock, `sleep` only the wall. */
function clocks() {
  let mono = 0;
  let seq = 0;
  const timers: { at: number; seq: number; callback: () => void; live: boolean }[] = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  const c = {
    wall: T0,
    timer: ((callback, ms) => {
      const entry = { at: mono + Math.max(0, ms), seq: seq++, callback, live: true };
      timers.push(entry);
      return () => void (entry.live = false);
    }) as SetTimer,
    /** Time passes: both clocks move, and every timer due meanwhile fires. */
    async pass(ms: number) {
      const until = mono + ms;
      for (;;) {
        await flush();
        const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!due) break;
        due.live = false;
        c.wall += due.at - mono;
        mono = due.at;
        due.callback();
      }
      c.wall += until - mono;
      mono = until;
      await flush();
    },
    /** The wall clock is set (NTP, a user) or jumps on wake: no timer fires, none moves. */
    async set(ms: number) {
      c.wall += ms;
      await flush();
    },
  };
  return c;
}

function session(
  options: Partial<CustomerTokenExchangeOptions> & {
    token?: Token | null;
    kind?: TokenKind;
    clock: ReturnType<typeof clocks>;
  },
) {
  const { clock } = options;
  const store = options.store ?? memoryTokenStore(options.token ?? null);
  const signals: CustomerSessionSignal[] = [];
  const signIns: string[] = [];
  const config = resolveCustomerOptions({
    now: () => clock.wall,
    timer: clock.timer,
    onSignal: (s) => signals.push(s),
    onSignInRequired: (s) => signIns.push(s.reason),
    ...options,
    store,
  });
  return { store, signals, signIns, session: createCustomerSession({ ...config, kind: options.kind }) };
}

/** Decides, letting the timers run until the decision is answered (at most `ms` of timer time). */
async function decide(
  s: ReturnType<typeof session>,
  clock: ReturnType<typeof clocks>,
  renew: Renew,
  ms = 10 * MINUTE,
): Promise<Decision> {
  let answer: Decision | undefined;
  const decision = s.session.decide(renew);
  if (!(decision instanceof Promise)) return decision;
  void decision.then((d) => (answer = d));
  for (let waited = 0; answer === undefined && waited < ms; waited += 100) await clock.pass(100);
  return answer!;
}

describe('the session when the wall clock moves apart from the timers', () => {
  it('renews again after a failed renewal once its cooldown passed, though the clock was set back hours meanwhile', async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 3 * DAY) });
    let renews = 0;
    const renew: Renew = async () => (renews++, unavailable);
    await decide(s, clock, renew);
    expect(renews).toBe(1); // failed: no other renewal for a minute
    await clock.set(-12 * HOUR); // NTP sets a clock that ran 12 hours ahead right
    await clock.pass(2 * MINUTE);
    await decide(s, clock, renew);
    expect(renews).toBe(2); // not 12 hours later
  });

  it('ends a 6-hour pause after 6 hours of timer time when the clock was set back 5 hours during it', async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 3 * DAY) });
    let renews = 0;
    // The server renews without moving expiresAt: no other renewal for 6 hours.
    const renew: Renew = async (from) => (renews++, { kind: 'renewed', token: { ...from } });
    await decide(s, clock, renew);
    expect(renews).toBe(1);
    await clock.pass(HOUR);
    await clock.set(-5 * HOUR); // set back while nobody asks the session anything
    await clock.pass(5 * HOUR + MINUTE);
    await decide(s, clock, renew);
    expect(renews).toBe(2);
  });

  it("keeps a not-extending renewal's 6-hour pause when the clock was set back during an earlier pause", async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 3 * DAY) });
    let renews = 0;
    // The server rotates the token without moving expiresAt: each renewal promises no other for 6 hours.
    const renew: Renew = async (from) => (renews++, { kind: 'renewed', token: { ...from, accessToken: `A${renews}` } });
    await decide(s, clock, renew);
    expect(renews).toBe(1); // A -> A1, a 6-hour pause
    await clock.pass(5 * HOUR + 50 * MINUTE);
    await clock.set(-12 * HOUR); // NTP sets a clock that ran 12 hours ahead right
    s.session.stale('A1'); // a refusal forces a renewal through the pause
    await decide(s, clock, renew);
    expect(renews).toBe(2); // A1 -> A2, not extending: a new 6-hour pause from now
    await clock.pass(20 * MINUTE); // the first pause's timer ran out; the second has 5 h 40 min left
    await decide(s, clock, renew);
    expect(renews).toBe(2);
  });

  it('keeps the cooldown of a renewal that failed after the clock was set back during it to its own length', async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 3 * DAY) });
    let renews = 0;
    let answer: ((a: RenewAnswer) => void) | undefined;
    const renew: Renew = () => (renews++, new Promise((resolve) => (answer = resolve)));
    const first = s.session.decide(renew);
    await clock.pass(1_000);
    await clock.set(-6 * HOUR); // set back while the renew request is out
    answer!(unavailable);
    await clock.pass(4_000);
    expect(await first).toMatchObject({ kind: 'send', token: { accessToken: 'A' } });
    await clock.pass(2 * MINUTE);
    await decide(s, clock, async () => (renews++, unavailable));
    expect(renews).toBe(2);
  });

  it('does not send a token that expired while the device slept during renewWaitMs', async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 2 * DAY) });
    const started = { mono: 0 };
    const decision = s.session.decide(() => new Promise<RenewAnswer>(() => {}));
    await clock.pass(1_000);
    await clock.set(3 * DAY); // the laptop slept 3 days: the wall clock moved, the timers did not
    let answered: Decision | undefined;
    void (decision as Promise<Decision>).then((d) => (answered = d));
    for (; answered === undefined && started.mono < s.session.answerBoundMs; started.mono += 100) await clock.pass(100);
    expect(answered).toBeDefined(); // within its bound in timer time
    expect(answered).not.toMatchObject({ kind: 'send' }); // A expired during the sleep
  });

  it('judges expiry with the clock after the store answered, whichever way it jumped meanwhile', async () => {
    const clock = clocks();
    let held: Token | null = token('A', T0 + 2 * DAY);
    // A store that answers after 50 ms of timer time.
    const later = <T>(value: () => T) => new Promise<T>((resolve) => clock.timer(() => resolve(value()), 50));
    const store = {
      get: () => later(() => held),
      set: (next: Token) => later(() => void (held = next)),
      clear: () => later(() => void (held = null)),
    };
    const s = session({ clock, store });
    const decision = s.session.decide(async () => unavailable);
    await clock.set(3 * DAY); // woke after the read was asked
    await clock.pass(MINUTE);
    expect(await decision).toMatchObject({ kind: 'fail', signal: { reason: 'expired' } });
  });

  it('does not sign out for expiry a token that the clock, set right while the sign-out waited for the lock, says is live', async () => {
    const clock = clocks();
    const store = memoryTokenStore(token('A', T0 + 2 * DAY));
    const coordination: RenewalCoordination = {
      // The lock is granted after a second (another tab held it).
      withRenewalLock: (run) =>
        new Promise((resolve, reject) => clock.timer(() => void run(true).then(resolve, reject), 1_000)),
    };
    await clock.set(3 * DAY); // a clock 3 days ahead: A looks expired
    const s = session({ clock, store, coordination });
    const decision = s.session.decide(async () => unavailable);
    await clock.pass(100);
    await clock.set(-3 * DAY); // NTP sets it right before the sign-out is written
    await clock.pass(MINUTE);
    await decision;
    expect(s.signIns).toEqual([]);
    expect(await store.get()).toMatchObject({ accessToken: 'A' });
  });

  it('waits for its renewal in flight instead of signing out a token the clock, jumping ahead, says expired', async () => {
    const clock = clocks();
    const s = session({ clock, token: token('A', T0 + 2 * DAY) });
    const renewed = token('B', T0 + 44 * DAY);
    let answer: ((a: RenewAnswer) => void) | undefined;
    const renew: Renew = () => new Promise((resolve) => (answer = resolve));
    const first = s.session.decide(renew);
    await clock.pass(100); // the server renewed A (and deleted it); its answer is on the way
    await clock.set(3 * DAY); // the clock jumps ahead: A looks expired
    const second = s.session.decide(renew);
    await clock.pass(100);
    answer!({ kind: 'renewed', token: renewed });
    await clock.pass(MINUTE);
    expect(await second).toMatchObject({ kind: 'send', token: renewed });
    expect(await first).toMatchObject({ kind: 'send', token: renewed });
    expect(s.signIns).toEqual([]);
    expect(await s.store.get()).toEqual(renewed);
  });

  it("takes another client's refreshed set after lost data, though the clock set back makes it expire earlier", async () => {
    const clock = clocks();
    // A shared store (Redis, IndexedDB): compare-and-set on the whole record.
    let held: unknown = null;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const store = {
      get: () => held as Token | null,
      set: (next: Token) => void (held = next),
      clear: () => void (held = { signedOut: true }),
      read: () => held as never,
      compareAndSet: (expected: unknown, next: unknown) => (same(held, expected) ? ((held = next), true) : false),
    };
    const set = (n: number, at: number) => ({ ...token(`A${n}`, at + HOUR), refreshToken: `R${n}`, idToken: 'I' });
    held = set(1, clock.wall);
    const s = session({ clock, store, kind: CUSTOMER_ACCOUNT_TOKEN });
    const never: Renew = async () => unavailable;
    await decide(s, clock, never);
    held = null; // Redis restarted empty: this client writes its set back
    await decide(s, clock, never);
    expect(held).toMatchObject({ refreshToken: 'R1' });
    await clock.set(-2 * HOUR); // NTP sets a clock that ran 2 hours ahead right
    await clock.pass(10 * MINUTE);
    // Another process refreshed R1 (spent now): its set expires an hour from its clock, before A1 by this clock.
    held = set(2, clock.wall);
    expect(await decide(s, clock, never)).toMatchObject({ kind: 'send', token: { refreshToken: 'R2' } });
    expect(held).toMatchObject({ refreshToken: 'R2' }); // not A1 written back over it
  });

  it('refreshes an expired Customer Account access token after the cooldown, though the clock was set back meanwhile', async () => {
    const clock = clocks();
    // The access token expired 5 hours ago (the device was away); its refresh token is good.
    const set = { ...token('A', T0 - 5 * HOUR), refreshToken: 'R', idToken: 'I' } as Token;
    const s = session({ clock, token: set, kind: CUSTOMER_ACCOUNT_TOKEN });
    let refreshes = 0;
    const renew: Renew = async () => (refreshes++, unavailable);
    expect(await decide(s, clock, renew)).toMatchObject({ kind: 'fail', signal: { kind: 'renewal-unavailable' } });
    expect(refreshes).toBe(1);
    await clock.set(-3 * HOUR); // set back: A still looks expired (2 hours ago)
    await clock.pass(2 * MINUTE);
    await decide(s, clock, renew);
    expect(refreshes).toBe(2); // not 3 hours later: each operation meanwhile failed without a token
  });
});
