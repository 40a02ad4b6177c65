/*
 * A simulated world for the session core: a clock with timers, a Storefront API's token table, shared stores
 * whose reads lag writes and whose calls throw, reject, hang or answer late, a renewal lock that works, times
 * out, is unreachable, hangs or throws, and hand-overs that arrive late. The model test drives clients of
 * `createCustomerSession` through it and checks the guarantees of SESSION.md at every step.
 */
import type { SetTimer } from '../../src/runtime/bounded.js';
import {
  SIGNED_OUT,
  type LockUnavailable,
  type RenewalCoordination,
  type SharedTokenStore,
  type SignedOutMark,
  type TokenHandover,
  type TokenRecord,
} from '../../src/runtime/coordination.js';
import { sameRecord } from '../../src/runtime/sessionStore.js';
import { isToken, type Token, type TokenStore } from '../../src/runtime/tokenStore.js';

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const LIFE = 42 * DAY;
export const SKEW = 5 * MIN;
export const T0 = Date.UTC(2026, 5, 1);

export const iso = (ms: number) => new Date(ms - (ms % 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const exp = (token: Token) => Date.parse(token.expiresAt);

/** A small seeded generator (mulberry32), so that a failing run is replayed from its seed. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof random>;

/**
 * The simulated clock: timers fire in order as time is advanced, with every microtask run in between. `now` is the
 * true time (the servers' clock); `sleep` plays a device suspended: the time passes, no timer fires meanwhile, and
 * every pending timer fires as much later (monotonic clocks stop in suspend). `mono` is that monotonic clock.
 */
export class Sim {
  now = T0;
  /** Time spent asleep, which no timer saw. */
  slept = 0;
  private seq = 0;
  private timers: { at: number; seq: number; callback: () => void; live: boolean }[] = [];
  errors: unknown[] = [];

  timer: SetTimer = (callback, ms) => {
    const entry = { at: this.now + Math.max(0, ms), seq: this.seq++, callback, live: true };
    this.timers.push(entry);
    return () => {
      entry.live = false;
    };
  };

  /** Lets every pending microtask run (a microtask loop would hang here: the test's timeout catches it). */
  settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  async advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => t.live);
      let first: (typeof this.timers)[number] | undefined;
      for (const t of this.timers)
        if (t.at <= until && (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq))) first = t;
      if (!first) break;
      first.live = false;
      this.now = Math.max(this.now, first.at);
      try {
        first.callback();
      } catch (error) {
        this.errors.push(error);
      }
      await this.settle();
    }
    this.now = until;
    await this.settle();
  }

  /** The device sleeps `ms`: the time passes, and every pending timer fires `ms` later than it would have. */
  async sleep(ms: number) {
    for (const t of this.timers) t.at += ms;
    this.now += ms;
    this.slept += ms;
    await this.settle();
  }

  /** The monotonic clock (what timers run on): the time without the sleeps. */
  get mono() {
    return this.now - this.slept;
  }

  get pendingTimers() {
    return this.timers.filter((t) => t.live).length;
  }
}

export type RenewMode = 'rotate-invalidate' | 'rotate-keep' | 'same-extend' | 'rotate-same-expiry' | 'not-extending';
export type RenewFault =
  | 'none'
  | 'transient'
  | 'hang'
  | 'slow'
  | 'null-token'
  | 'null-user-error'
  | 'string-payload'
  | 'null-payload'
  | 'unparsable-expiry'
  | 'past-expiry'
  /** The refresh kind: a rotation (the old refresh token spent) whose `expires_in` is unusable; else `unparsable-expiry`. */
  | 'rotated-bad-expiry';

/** The Storefront API's token table, on the simulated clock. */
export class Server {
  private serial = 0;
  tokens = new Map<string, { exp: number; dead: boolean }>();
  mode: RenewMode = 'rotate-invalidate';
  /** Successful renewals per token identity (`accessToken|expiresAt`) that produced another identity. */
  renewed = new Map<string, number>();
  constructor(private readonly sim: Sim) {}

  issue(expiresAt = this.sim.now + LIFE): Token {
    const accessToken = `tok-${++this.serial}`;
    const ms = expiresAt - (expiresAt % 1000);
    this.tokens.set(accessToken, { exp: ms, dead: false });
    return { accessToken, expiresAt: iso(ms) };
  }

  isLive(accessToken: string) {
    const record = this.tokens.get(accessToken);
    return !!record && !record.dead && this.sim.now < record.exp;
  }

  /** The renew mutation's `data` for `from`, as the server answers it (before any fault garbles it). */
  renew(from: Token, fault: RenewFault): unknown {
    if (fault === 'transient') return undefined;
    if (!this.isLive(from.accessToken))
      return {
        customerAccessTokenRenew: {
          customerAccessToken: null,
          userErrors: [{ field: ['customerAccessToken'], message: 'access token does not exist' }],
        },
      };
    if (fault === 'null-token') return { customerAccessTokenRenew: { customerAccessToken: null, userErrors: [] } };
    if (fault === 'null-user-error')
      return { customerAccessTokenRenew: { customerAccessToken: null, userErrors: [null] } };
    if (fault === 'string-payload') return { customerAccessTokenRenew: 'oops' };
    if (fault === 'null-payload') return { customerAccessTokenRenew: null };
    if (fault === 'unparsable-expiry' || fault === 'past-expiry' || fault === 'rotated-bad-expiry') {
      const expiresAt = fault === 'past-expiry' ? iso(this.sim.now - HOUR) : 'soon';
      return {
        customerAccessTokenRenew: {
          customerAccessToken: { accessToken: `bad-${this.serial++}`, expiresAt },
          userErrors: [],
        },
      };
    }
    const record = this.tokens.get(from.accessToken)!;
    let next: Token;
    if (this.mode === 'same-extend') {
      record.exp = this.sim.now + LIFE - ((this.sim.now + LIFE) % 1000);
      next = { accessToken: from.accessToken, expiresAt: iso(record.exp) };
    } else if (this.mode === 'not-extending') {
      next = { accessToken: from.accessToken, expiresAt: iso(record.exp) };
    } else {
      next = this.issue(this.mode === 'rotate-same-expiry' ? record.exp : undefined);
      if (this.mode !== 'rotate-keep') record.dead = true;
    }
    if (next.accessToken !== from.accessToken || next.expiresAt !== from.expiresAt) {
      const key = `${from.accessToken}|${from.expiresAt}`;
      this.renewed.set(key, (this.renewed.get(key) ?? 0) + 1);
    }
    return { customerAccessTokenRenew: { customerAccessToken: next, userErrors: [] } };
  }
}

export type StoreFault = 'ok' | 'throw' | 'reject' | 'hang' | 'slow';

/** What a change to the shared record was made by: a session's write, or the app (sign-in, sign-out), or a wipe. */
type Writer = 'session' | 'app' | 'wipe';

/**
 * One shared record and every client's view of it. `atomic` stores (IndexedDB, Redis) compare-and-set against
 * the record itself; `view` stores (localStorage) against the client's own copy, which lags other clients'
 * writes by up to `lagMs`, and, like `localStorageTokenStore`, re-read after a settle delay before a sign-out.
 */
export class SharedRecord {
  truth: TokenRecord = null;
  changedAt = T0;
  private writes: { record: TokenRecord; visibleAt: Map<number, number> }[] = [{ record: null, visibleAt: new Map() }];
  faultRate = 0;
  constructor(
    private readonly sim: Sim,
    private readonly rng: Random,
    readonly mode: 'atomic' | 'view',
    readonly lagMs: number,
    private readonly onChange: (before: TokenRecord, after: TokenRecord, by: Writer) => void,
  ) {}

  /** What client `c` sees now. */
  view(c: number): TokenRecord {
    for (let i = this.writes.length - 1; i >= 0; i--) {
      const w = this.writes[i]!;
      if ((w.visibleAt.get(c) ?? 0) <= this.sim.now) return w.record;
    }
    return null;
  }

  write(record: TokenRecord, by: Writer, writer = -1) {
    const before = this.truth;
    this.truth = record;
    this.changedAt = this.sim.now;
    const visibleAt = new Map<number, number>();
    const last = this.writes[this.writes.length - 1]!;
    for (let c = 0; c < 8; c++) {
      // Reads lag other clients' writes in both kinds (localStorage's propagation); the app's own writes (a
      // sign-in or sign-out in the tab the customer uses) are seen at once.
      const at = c === writer || by === 'app' ? this.sim.now : this.sim.now + this.rng.int(this.lagMs + 1);
      visibleAt.set(c, Math.max(at, last.visibleAt.get(c) ?? 0));
    }
    this.writes.push({ record, visibleAt });
    if (this.writes.length > 50) this.writes.splice(0, this.writes.length - 50);
    this.onChange(before, record, by);
  }

  private fault(): StoreFault {
    if (!this.rng.chance(this.faultRate)) return 'ok';
    return this.rng.pick(['throw', 'reject', 'hang', 'slow'] as const);
  }

  /** Runs `effect` as a store call with a random fault: thrown, rejected, never answered, or answered late. */
  private call<T>(effect: () => T): T | Promise<T> {
    const fault = this.fault();
    if (fault === 'throw') throw new Error('store down');
    if (fault === 'reject') return Promise.reject(new Error('store down'));
    if (fault === 'hang') return new Promise<T>(() => {});
    if (fault === 'slow') return new Promise<T>((resolve) => this.sim.timer(() => resolve(effect()), 3 * SEC));
    return this.rng.chance(0.5)
      ? effect()
      : new Promise<T>((resolve) => this.sim.timer(() => resolve(effect()), this.rng.int(20)));
  }

  /** The store client `c` uses. */
  storeFor(c: number): SharedTokenStore {
    const compare = (expected: TokenRecord, next: Token | SignedOutMark) => {
      const held = this.mode === 'atomic' ? this.truth : this.view(c);

      if (!sameRecord(held, expected)) return false;
      this.write(next, 'session', c);
      return true;
    };
    return {
      read: () => this.call(() => this.view(c)),
      get: () =>
        this.call(() => {
          const record = this.view(c);
          return isToken(record) ? record : null;
        }),
      set: (token) => this.call(() => this.write(token, 'app', c)),
      clear: () => this.call(() => this.write(SIGNED_OUT, 'app', c)),
      compareAndSet: (expected, next) =>
        this.call(() => {
          if (this.mode === 'atomic') return compare(expected, next);
          // localStorageTokenStore's rule: a write compares after the writes of other tabs have arrived.
          return new Promise<boolean>((resolve) => this.sim.timer(() => resolve(compare(expected, next)), 100));
        }) as boolean | Promise<boolean>,
    };
  }
}

/** A plain store of one client (a cookie, a server session): get, set and clear, each of which may fail. */
/** A value any read of which throws. */
function revokedProxy(): Token {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy as Token;
}

export function plainStore(
  sim: Sim,
  rng: Random,
  state: { token: Token | null; faultRate: number; clearAlwaysThrows: boolean },
  onClear: (token: Token | null) => void,
): TokenStore {
  const call = <T>(effect: () => T): T | Promise<T> => {
    if (!rng.chance(state.faultRate)) return effect();
    const fault = rng.pick(['throw', 'reject', 'hang', 'slow'] as const);
    if (fault === 'throw') throw new Error('cookies() can only be modified in a Server Action or Route Handler');
    if (fault === 'reject') return Promise.reject(new Error('store down'));
    if (fault === 'hang') return new Promise<T>(() => {});
    // A plain store has no compare-and-set: a slow call takes effect at once and answers late.
    const value = effect();
    return new Promise<T>((resolve) => sim.timer(() => resolve(value), 3 * SEC));
  };
  return {
    // Sometimes an answer that throws when it is read (a revoked Proxy; in Firefox, an object of a closed window).
    get: () => (rng.chance(state.faultRate / 4) ? revokedProxy() : call(() => state.token)),
    set: (token) => call(() => void (state.token = { ...token })),
    clear: () => {
      if (state.clearAlwaysThrows)
        throw new Error('cookies() can only be modified in a Server Action or Route Handler');
      return call(() => {
        onClear(state.token);
        state.token = null;
      });
    },
  };
}

export type LockMode = 'works' | 'unsupported' | 'unreachable' | 'hangs' | 'throws';

/** One renewal lock for the clients of a domain, and the hand-overs between them (each arrives late). */
export class Lock {
  mode: LockMode = 'works';
  private holder: number | null = null;
  private queue: { id: number; grant: () => void }[] = [];
  private listeners = new Map<number, (change: TokenHandover) => void>();
  private serial = 0;
  /** Renewals that ran holding the lock at once (must never exceed 1). */
  concurrent = 0;
  maxConcurrent = 0;
  constructor(
    private readonly sim: Sim,
    private readonly rng: Random,
  ) {}

  private release(id: number) {
    if (this.holder !== id) return;
    this.holder = null;
    const next = this.queue.shift();
    if (next) {
      this.holder = next.id;
      next.grant();
    }
  }

  coordinationFor(c: number): RenewalCoordination {
    return {
      withRenewalLock: <T>(run: (held: boolean, why?: LockUnavailable) => Promise<T>): Promise<T> => {
        if (this.mode === 'unsupported') return run(false, 'unsupported');
        if (this.mode === 'unreachable') return run(false, 'unreachable');
        if (this.mode === 'hangs') return new Promise<T>(() => {});
        if (this.mode === 'throws') throw new Error('lock down');
        const id = ++this.serial;
        const hold = () => {
          this.concurrent++;
          this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
          return run(true).finally(() => {
            this.concurrent--;
            this.release(id);
          });
        };
        if (this.holder === null) {
          this.holder = id;
          return hold();
        }
        return new Promise<T>((resolve, reject) => {
          const entry = { id, grant: () => void hold().then(resolve, reject) };
          this.queue.push(entry);
          this.sim.timer(() => {
            const at = this.queue.indexOf(entry);
            if (at < 0) return;
            this.queue.splice(at, 1);
            run(false, 'timeout').then(resolve, reject);
          }, 10 * SEC);
        });
      },
      handOver: (change) => {
        for (const [other, listener] of this.listeners)
          if (other !== c) this.sim.timer(() => listener(change), this.rng.int(20));
      },
      onHandOver: (listener) => {
        this.listeners.set(c, listener);
        return () => this.listeners.delete(c);
      },
    };
  }
}

export type RotationMode = 'single-use' | 'grace' | 'reusable';

/**
 * The Customer Account API's token endpoint on the simulated clock: access tokens live an hour; refresh tokens
 * rotate (`single-use`: the old one dies when used; `grace`: it answers the same new set for a minute;
 * `reusable`), and only a dead refresh token answers `invalid_grant`.
 */
export class RefreshServer {
  private serial = 0;
  /** Refresh token → its state: alive, or used (and until when it still answers `answer`). */
  refresh = new Map<string, { dead: boolean; graceUntil?: number; answer?: Record<string, unknown> }>();
  access = new Map<string, number>();
  mode: RotationMode = 'single-use';
  /** Successful refreshes per refresh token that issued a new set (not grace repeats). */
  renewed = new Map<string, number>();
  constructor(private readonly sim: Sim) {}

  /** A new sign-in; `clientNow`: the clock of the app that receives it (its `expiresAt` is `expires_in` from then). */
  issue(clientNow = this.sim.now): { accessToken: string; refreshToken: string; idToken: string; expiresAt: string } {
    const n = ++this.serial;
    const exp = this.sim.now + HOUR - ((this.sim.now + HOUR) % 1000);
    this.access.set(`at-${n}`, exp);
    this.refresh.set(`rt-${n}`, { dead: false });
    const seen = clientNow + HOUR - ((clientNow + HOUR) % 1000);
    return { accessToken: `at-${n}`, refreshToken: `rt-${n}`, idToken: `id-${n}`, expiresAt: iso(seen) };
  }

  isAccessLive(accessToken: string) {
    const exp = this.access.get(accessToken);
    return exp !== undefined && this.sim.now < exp;
  }

  isRefreshLive(refreshToken: string) {
    const state = this.refresh.get(refreshToken);
    return !!state && (!state.dead || (state.graceUntil ?? 0) > this.sim.now);
  }

  /** The token endpoint's answer to a refresh with `refreshToken`. */
  answer(refreshToken: string, fault: RenewFault): { status: number; body: unknown } {
    if (fault === 'transient')
      return { status: 401, body: { error: '', error_description: 'Access token request error.' } };
    const state = this.refresh.get(refreshToken);
    if (!state || (state.dead && !((state.graceUntil ?? 0) > this.sim.now)))
      return { status: 400, body: { error: 'invalid_grant' } };
    if (state.dead && state.answer) return { status: 200, body: state.answer };
    if (fault === 'null-token' || fault === 'null-user-error' || fault === 'null-payload')
      return { status: 200, body: {} };
    if (fault === 'string-payload') return { status: 200, body: 'oops' };
    if (fault === 'unparsable-expiry' || fault === 'past-expiry')
      return { status: 200, body: { access_token: 'bad', expires_in: fault === 'past-expiry' ? -5 : 'soon' } };
    const next = this.issue();
    const body = {
      access_token: next.accessToken,
      expires_in: fault === 'rotated-bad-expiry' ? 'soon' : 3600,
      refresh_token: next.refreshToken,
      id_token: next.idToken,
    };
    this.renewed.set(refreshToken, (this.renewed.get(refreshToken) ?? 0) + 1);
    if (this.mode !== 'reusable') {
      state.dead = true;
      if (this.mode === 'grace') {
        state.graceUntil = this.sim.now + MIN;
        state.answer = body;
      }
    }
    return { status: 200, body };
  }

  revoke(refreshToken: string) {
    const state = this.refresh.get(refreshToken);
    if (state) {
      state.dead = true;
      state.graceUntil = 0;
    }
  }
}
