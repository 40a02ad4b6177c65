import { bounded, span, within, type Span } from './bounded.js';
import {
  isSignedOutMark,
  SIGNED_OUT,
  type LockTakenOver,
  type LockUnavailable,
  type TokenHandover,
  type TokenRecord,
} from './coordination.js';

/** What `run` is told with the lock: why it was not had, or that it was taken over. */
type LockWhy = LockUnavailable | LockTakenOver;
import type { CustomerSessionConfig } from './customerTokenOptions.js';
import type { RenewAnswer } from './renewOutcome.js';
import {
  HANDOFF_SETTLE_MS,
  LOCK_ALLOWANCE_MS,
  MAX_FAILURE_PAUSE_MS,
  NOT_EXTENDING_PAUSE_MS,
  UNLOCKED_INVALID_GRACE_MS,
  ALONE_MARGIN_MS,
  LOST_DATA_MS,
  type CustomerSession,
  type Decision,
  type Renew,
  type RenewalResult,
  type SendDecision,
} from './sessionTypes.js';
import { isThenable, messageOf, Thrown } from './sessionStore.js';
import { sessionStore } from './sessionStore.js';
import type {
  CustomerSessionSignal,
  RenewalUnavailable,
  SignInReason,
  SignInRequired,
  StoreFailure,
} from './signals.js';
import { expiresAtMs, isToken, sameToken, STOREFRONT_TOKEN, type Token } from './tokenStore.js';
import { safeCall } from './warn.js';

/**
 * Creates the session of one exchange instance (one client). Its state is in this closure: the last known token
 * (and the token it replaced, which the store may still show), the renewal in flight, the pause before the next
 * one, and what the app was told. Every effect (store call, lock, renew request) has a time limit, every answer
 * is judged before it is trusted, and with `coordination` every write to the shared store is made holding the
 * lock, after a fresh read (see SESSION.md).
 */
export function createCustomerSession(config: CustomerSessionConfig): CustomerSession {
  const { now, timer, coordination } = config;
  const kind = config.kind ?? STOREFRONT_TOKEN;
  /** A plain copy of a token of this kind (only its own fields). */
  const copy = (token: Token): Token => kind.judge(token) ?? token;
  const answerBoundMs = config.renewWaitMs + config.storeTimeoutMs;
  const renewalBoundMs = config.renewTimeoutMs + 4 * config.storeTimeoutMs + LOCK_ALLOWANCE_MS;
  let lastKnown: Token | null = null;
  /** The token `lastKnown` replaced: a store still showing it lags, or missed this client's write (`unwritten`). */
  let replaced: Token | null = null;
  let unwritten = false;
  /**
   * Tokens `lastKnown` replaced, one after another, that the store may still show (its writes failed, a hand-over
   * came before the store caught up, a read was asked before a write): each is older than `lastKnown`. The last 16.
   */
  const behind: Token[] = [];
  /**
   * Every token this client held before `lastKnown`, the last 16 (cleared on a sign-out). One the store shows again
   * that expires before `lastKnown` is a stale write-back: another client that missed the newer one wrote its own
   * back after the store lost the record. The expiry decides, not the list alone: the token this client left may
   * itself have been such a write-back, which the newer one it left must then replace.
   */
  const past: Token[] = [];
  let refused: Token | null = null;
  let inflight: Promise<RenewalResult> | null = null;
  /**
   * No renewal starts while one of them lasts (cooldown, backoff, a renewal that did not extend); their clocks: see
   * `span`. Kept side by side: after the wall clock was set back, a later end on it may come sooner on the timers.
   */
  let pauses: Span[] = [];
  /** The cooldown of the last renewal started. */
  let cooling: Span | null = null;
  let failures = 0;
  let signedOut = false;
  /** Why `refused` was refused: it expired, or the server refused it (a sign-out for it is made again the same way). */
  let refusedFor: SignInReason = 'invalid';
  let announced: string | null | undefined;
  /** An access token the server refused that a renewal may cure (see `stale`). */
  let staleToken: string | null = null;
  /** Since this client last found the store empty while it knew a token (lost data: Redis restarted empty). */
  let lost: Span | null = null;

  const emit = (signal: CustomerSessionSignal) => {
    safeCall(config.onSignal, signal, 'onSignal');
    if (signal.kind === 'sign-in-required') safeCall(config.onSignInRequired, signal, 'onSignInRequired');
  };
  /** The last store call's failure, as told: an operation that fails for a read that just failed answers it. */
  let failed: StoreFailure = { kind: 'store-failure', method: 'get' };
  const storeFailure = (method: StoreFailure['method'], error: unknown, involved: TokenRecord[]): StoreFailure => {
    const signal: StoreFailure = { kind: 'store-failure', method };
    const message = messageOf(error, [lastKnown, replaced, refused, ...involved]);
    if (message) signal.message = message;
    emit(signal);
    return (failed = signal);
  };
  const store = sessionStore(config.store, config.storeTimeoutMs, timer, storeFailure, kind);
  /** Tells the app once per change of the token string; the first token a client sees is its starting point. */
  const announce = (token: Token | null) => {
    const key = token?.accessToken ?? null;
    if (announced !== undefined && key !== announced)
      safeCall(config.onTokenChange, token && copy(token), 'onTokenChange');
    announced = key;
  };
  const live = (token: Token) => now() < expiresAtMs(token) - config.clockSkewMs;
  /** Worth keeping: live, or renewable after expiry (an OAuth refresh token outlives its access token). */
  const usable = (token: Token) => kind.renewsAfterExpiry || live(token);
  /**
   * A renewed token worth taking (a renew answer, a hand-over): live, or (a kind renewed after expiry) not expired
   * yet: a refreshed set whose access token lives less than the skew still carries the refresh token that replaced
   * the spent one. Its access token is not sent; the set is refreshed again after the cooldown.
   */
  const takes = (token: Token) => usable(token) && expiresAtMs(token) > now();
  const sleep = (ms: number) => new Promise<void>((resolve) => timer(resolve, ms));
  const pause = (ms: number) => {
    const at = now();
    // Those over (on either clock) are dropped; the others stay, whichever ends first on either clock.
    pauses = pauses.filter((p) => within(p, at));
    pauses.push(span(at, ms, timer));
  };
  const signInRequired = (reason: SignInReason): SignInRequired => {
    const signal: SignInRequired = { kind: 'sign-in-required', reason };
    announce(null);
    if (!signedOut) {
      signedOut = true;
      emit(signal);
    }
    return signal;
  };
  const forget = () => {
    lastKnown = replaced = null;
    unwritten = false;
    behind.length = past.length = 0;
    announce(null);
  };
  const signedOutFor = (token: Token, reason: SignInReason) => {
    refused = token;
    refusedFor = reason;
    forget();
    return signInRequired(reason);
  };
  /** Takes `token` as the newest this client knows; `from`: the token it replaced, which the store may still show. */
  const learn = (token: Token, from: Token | null) => {
    // Another client's renewal that did not move expiresAt (a rotation keeping the expiry): pause too.
    const previous = from ?? lastKnown;
    if (previous && previous.accessToken !== token.accessToken && previous.expiresAt === token.expiresAt)
      pause(NOT_EXTENDING_PAUSE_MS);
    lastKnown = token;
    replaced = from;
    unwritten = false;
    if (previous && !sameToken(previous, token) && past.push(previous) > 16) past.shift();
    // Every token replaced while the store may not have caught up (a failed write, a hand-over, a late read) is
    // remembered until a token comes from the store or a write lands.
    if (!from) behind.length = 0;
    else if (behind.push(from) > 16) behind.shift();
    if (!sameToken(token, refused) && usable(token)) signedOut = false;
    announce(token);
  };
  const handOver = (change: TokenHandover) => {
    try {
      coordination?.handOver?.(change);
    } catch {
      // A hand-over is a courtesy to the other clients: they read the store anyway.
    }
  };

  /** Called with every hand-over received (the grace wait of an unlocked renewal listens here). */
  let heard: ((change: TokenHandover) => void) | null = null;
  coordination?.onHandOver?.((change: TokenHandover) => {
    heard?.(change);
    if (lastKnown && !sameToken(lastKnown, change.from)) return; // about a token this client no longer holds
    const to = kind.judge(change.to);
    if (isSignedOutMark(change.to)) {
      if (lastKnown) signedOutFor(lastKnown, 'invalid');
    } else if (to && takes(to) && isToken(change.from) && !sameToken(to, change.from)) {
      // Judged like a renew answer (`takes`). The sender's write may have failed and the sender may
      // close: while the store still shows `from`, this client writes `to` back too (holding the lock).
      learn(to, copy(change.from));
      unwritten = true;
      // Renewed just now already inside the window (a lifetime shorter than it): its renewer's cooldown holds here
      // too, so that each tab it is handed to does not renew it again at once.
      if (now() >= expiresAtMs(to) - config.renewWindowMs) pause(config.renewCooldownMs);
    }
  });

  /**
   * Runs `job` holding the renewal lock when there is coordination (so that its fresh read sees every earlier
   * holder's write, and no other client writes meanwhile), and keeps the lock a moment after it; bounded.
   */
  async function exclusive<T>(job: (held: boolean, why?: LockWhy) => Promise<T>, otherwise: T): Promise<T> {
    if (!coordination) return job(true);
    const run = async (held: boolean, why?: LockWhy) => {
      const value = await job(held, why);
      if (held) await sleep(HANDOFF_SETTLE_MS);
      return value;
    };
    const outcome = await bounded(() => coordination.withRenewalLock(run), renewalBoundMs, timer);
    return outcome.ok ? outcome.value : otherwise;
  }

  /**
   * What a store's record means to this client, without writing: a token to use, `signed-out`, `lost` (nothing
   * stored while this client knows a live token), or `refused` (the token the server refused, still stored).
   */
  function interpret(record: TokenRecord): Token | 'signed-out' | 'lost' | 'refused' {
    if (isSignedOutMark(record)) {
      forget();
      return 'signed-out';
    }
    if (record === null) {
      if (!lastKnown || !usable(lastKnown)) return 'signed-out';
      lost = span(now(), LOST_DATA_MS, timer);
      return 'lost';
    }
    if (lastKnown && replaced && sameToken(record, replaced)) return lastKnown; // the store lags
    // A token this client replaced earlier, its writes having failed since: the store lags further. Written back
    // like the one just replaced (`writeBack`), never learned again (it may be spent: a rotation). Just after lost
    // data, or one this client held before, a token older than this client's is another client's stale write-back:
    // written over too, only forward.
    const same = (t: Token) => sameToken(record, t);
    const stale =
      lastKnown &&
      usable(lastKnown) &&
      (within(lost, now()) || past.some(same)) &&
      expiresAtMs(record) < expiresAtMs(lastKnown);
    if (lastKnown && (behind.some(same) || stale)) {
      replaced = record;
      unwritten = true;
      return lastKnown;
    }
    if (sameToken(record, refused)) return 'refused';
    if (!sameToken(record, lastKnown)) learn(record, null);
    else {
      replaced = null; // the store caught up
      unwritten = false;
    }
    return record;
  }

  /** Holding the lock (when any): writes the last known token back where the store lost it or missed it. */
  async function writeBack(): Promise<void> {
    const record = await store.read();
    if (record === undefined || !lastKnown) return;
    if (record === null && store.shared && usable(lastKnown)) await store.write(null, lastKnown);
    else if (unwritten && replaced && sameToken(record, replaced)) {
      if ((await store.write(record, lastKnown)) === true) replaced = null;
    } else interpret(record);
  }

  /**
   * Signs out for `token` (expired, or refused by the server): holding the lock, with a write conditional on the
   * store still holding it. Resolves the token the store holds instead when it moved on, `token` itself when the
   * store could not be reached (not a sign-out yet: the next read decides), or `null` once signed out.
   */
  function signOut(
    token: Token,
    reason: SignInReason,
    locked: boolean,
    held = false,
    why?: LockWhy,
  ): Promise<Token | null> {
    if (!locked)
      return exclusive((isHeld, isWhy) => signOut(token, reason, true, isHeld && !!coordination, isWhy), token);
    return (async () => {
      // The lock is unreachable (an outage): a refused token is signed out only later, holding the lock, after a
      // fresh read; a write sent now could land after the outage, over another client's renewal.
      if (reason === 'invalid' && coordination && !held && why !== 'unsupported') {
        refused = token;
        refusedFor = 'invalid';
        return token;
      }
      // Expired by the clock when decided, but the clock was set back while this waited for the lock (NTP setting a
      // clock that ran ahead right): by the clock now it has not expired, and an expiry is judged when it is written.
      if (reason === 'expired' && live(token) && !sameToken(token, refused)) return token;
      // "Invalid" may mean another client renewed first (rotation): give its write a moment. Holding the lock too: a
      // previous holder whose lock expired (Redis frozen past the lock's time to live, a Web Lock taken over from a
      // stuck tab) may still be renewing, its commit on the way.
      if (reason === 'invalid' && store.shared) await handOverOf(token, UNLOCKED_INVALID_GRACE_MS);
      // Another client renewed it (its hand-over said so), whether or not the store shows it yet: never sign out.
      if (reason === 'invalid' && lastKnown && replaced && sameToken(replaced, token)) return lastKnown;
      let wrote = await store.write(token, SIGNED_OUT);
      if (wrote === false) {
        const record = await store.read();
        if (record === null && store.shared) wrote = await store.write(null, SIGNED_OUT);
        else if (record !== undefined) {
          const current = interpret(record);
          if (typeof current === 'object' && !sameToken(current, token)) return current;
        }
      }
      if (wrote === undefined && store.shared && reason === 'invalid') {
        refused = token;
        refusedFor = 'invalid';
        return token;
      }
      if (coordination && wrote === true && reason === 'invalid') handOver({ from: token, to: SIGNED_OUT });
      signedOutFor(token, reason);
      return null;
    })();
  }

  /** The token to act on, from the store's answer (`undefined`: it failed), after any repair it calls for. */
  async function current(record: TokenRecord | undefined): Promise<Token | 'signed-out' | 'unknown'> {
    if (record === undefined) return lastKnown ?? 'unknown';
    const meaning = interpret(record);
    if (meaning === 'signed-out') return meaning;
    if (meaning === 'refused') {
      const instead = await signOut(record as Token, refusedFor === 'expired' ? 'expired' : 'invalid', false);
      return instead === null ? 'signed-out' : sameToken(instead, record) ? 'unknown' : instead;
    }
    if (meaning === 'lost' || (unwritten && replaced && sameToken(record, replaced)))
      await exclusive(writeBack, undefined);
    return lastKnown ?? (meaning === 'lost' ? 'signed-out' : meaning);
  }

  const unavailable = (from: Token, cause: RenewalUnavailable['cause']): RenewalResult => {
    failures++;
    pause(Math.min(MAX_FAILURE_PAUSE_MS, config.renewCooldownMs * 2 ** Math.min(failures - 1, 30)));
    const signal: RenewalUnavailable = { kind: 'renewal-unavailable', cause };
    emit(signal);
    return { from, signal };
  };

  /** Holding the lock (when any): stores `token`, the renewal of `from`, only over `from`. */
  async function commit(from: Token, token: Token): Promise<RenewalResult> {
    failures = 0;
    // Signed out meanwhile (expired, refused, or told by another client): a renewal never brings a session back.
    if (sameToken(refused, from)) return { from, signal: signInRequired('missing') };
    const changed = !sameToken(token, from);
    // The same token back, while this client moved on meanwhile (a sign-in, a mark): nothing to take or store.
    if (!changed && !sameToken(lastKnown, from))
      return lastKnown ? { from, token: lastKnown } : { from, signal: signInRequired('missing') };
    let wrote = changed ? await store.write(from, token) : true;
    if (wrote === false) {
      // The store moved on: a sign-out or another client's token wins; nothing stored (lost data) takes this one.
      const record = await store.read();
      if (record === null && store.shared) wrote = await store.write(null, token);
      // Unreadable: what replaced `from` is unknown, and `from` is spent. Kept, as when the write fails; the next read
      // decides (a mark or another client's token there wins, nothing there takes this one).
      else if (record === undefined) wrote = undefined;
      else {
        const meaning = interpret(record);
        if (meaning === 'signed-out') return { from, signal: signInRequired('missing') };
        // Not moved on but behind: it shows a token this client replaced earlier (those writes failed). The renewal
        // is kept and written back later, as when this write fails; dropping it would keep a spent token.
        if (typeof meaning === 'object' && sameToken(meaning, from)) wrote = undefined;
      }
    }
    if (wrote !== false) {
      // `from` stays the token this one replaced even once written: a read asked before the write may still answer
      // it (a store with a round trip), and is then the store lagging, not a token to go back to.
      learn(token, changed ? from : null);
      if (wrote === true) behind.length = 0;
      unwritten = wrote === undefined; // kept here, written again on the next read
      if (changed) handOver({ from, to: token });
    }
    // Not later: told, and no renewal for hours while live. Not live (a set taken for its refresh token): told; no
    // pause, which would hold up the renewal of a longer-lived set the next refresh may bring.
    const later = expiresAtMs(token) > expiresAtMs(from);
    if (!later || !live(token)) {
      if (!later) pause(NOT_EXTENDING_PAUSE_MS);
      emit({ kind: 'renewal-not-extending', expiresAt: token.expiresAt });
    }
    return { from, token: lastKnown ?? token };
  }

  /** Waits up to `ms` for a hand-over about `due` (or for the time to pass). */
  const handOverOf = (due: Token, ms: number) =>
    new Promise<void>((resolve) => {
      const cancel = timer(done, ms);
      function done() {
        heard = null;
        cancel();
        resolve();
      }
      heard = (change) => {
        if (sameToken(change.from, due)) done();
      };
    });

  /** Holding the lock (when any; `held` says whether it was had): renews `due` unless that is done already. */
  async function renewDue(
    due: Token,
    renew: Renew,
    origin: unknown,
    abort: AbortSignal,
    held: boolean,
    why: LockWhy | undefined,
  ): Promise<RenewalResult> {
    if (coordination) {
      // Read again: another client may have renewed (or signed out) while this one waited for the lock.
      const record = await store.read();
      const meaning = record === undefined ? undefined : interpret(record);
      if (meaning === 'signed-out') return { from: due, signal: signInRequired('missing') };
      if (meaning === 'lost' || unwritten) await writeBack();
      // Another client renewed (the store, or its hand-over, says so): nothing to renew.
      if (lastKnown && !sameToken(lastKnown, due) && usable(lastKnown)) return { from: due, token: lastKnown };
      // Taken over from a holder that did not let go (a frozen tab), which may be renewing still: its request may
      // have spent the token, its commit may still come. Not raced while the token is live.
      if (why === 'taken-over' && live(due)) return unavailable(due, null);
      // The lock or the store is unreachable and there is time left: renew later, not alone.
      const outage = (!held && why !== 'unsupported') || record === undefined;
      if (outage && expiresAtMs(due) - now() > Math.min(config.renewWindowMs / 2, ALONE_MARGIN_MS))
        return unavailable(due, null);
    }
    // Waiting for the lock took time: an expired token is never sent to renew (the next read signs out).
    if (!kind.renewsAfterExpiry && !live(due)) return { from: due };
    const outcome = await bounded(() => renew(due, abort, origin), config.renewTimeoutMs, timer);
    const answer: RenewAnswer = outcome.ok ? outcome.value : { kind: 'unavailable', error: undefined, cause: null };
    if (answer.kind === 'renewed' && isToken(answer.token) && takes(answer.token))
      return commit(due, copy(answer.token));
    // "Invalid" after a takeover may be the stuck holder's spending the token first: the next renewal decides.
    if (answer.kind !== 'invalid' || why === 'taken-over')
      return unavailable(due, answer.kind === 'unavailable' ? answer.cause : null);
    if (lastKnown && replaced && sameToken(replaced, due)) return { from: due, token: lastKnown };
    const instead = await signOut(due, 'invalid', true, held && !!coordination, why);
    if (instead && sameToken(instead, due)) return unavailable(due, null);
    return instead ? { from: due, token: instead } : { from: due, signal: signInRequired('invalid') };
  }

  /** Starts the one renewal of `due`, bounded as a whole: a stuck renewal ends and is tried again later. */
  function startRenewal(due: Token, renew: Renew, origin: unknown): Promise<RenewalResult> {
    pause(config.renewCooldownMs);
    cooling = span(now(), config.renewCooldownMs, timer);
    const abort = new AbortController();
    let over = false;
    const job = (held: boolean, why?: LockWhy): Promise<RenewalResult> =>
      over ? Promise.resolve({ from: due }) : renewDue(due, renew, origin, abort.signal, held, why);
    const renewal = exclusive(job, undefined).then((result) => {
      over = true;
      abort.abort();
      inflight = null;
      // One forced renewal per refusal: it stays due until a renewal of it ends, so that every operation refused
      // meanwhile (its decision may have read the store before this renewal started) waits for this one.
      if (staleToken === due.accessToken) staleToken = null;
      return result ?? unavailable(due, null);
    });
    inflight = renewal;
    return renewal;
  }

  async function decideSlowly(renew: Renew, origin: unknown, record: TokenRecord | undefined): Promise<Decision> {
    let token = await current(record);
    if (token === 'unknown') return { kind: 'fail', signal: failed };
    if (token === 'signed-out') return { kind: 'fail', signal: signInRequired('missing') };
    // Expired during a renewal of it (the clock jumped ahead while the request was out): its answer may bring a token,
    // which a sign-out now would drop. The renewal is waited for below; the next decision signs out if it brings none.
    if (!live(token) && !kind.renewsAfterExpiry && !inflight) {
      // Without a store answer this client cannot tell whether another one stored a newer token.
      if (record === undefined) return { kind: 'fail', signal: failed };
      const instead = await signOut(token, 'expired', false);
      if (!instead || !live(instead)) return { kind: 'fail', signal: signInRequired('expired') };
      token = instead;
    }
    const due = token.accessToken === staleToken;
    if (!due && now() < expiresAtMs(token) - config.renewWindowMs) return { kind: 'send', token, renewal: undefined };
    // No new renewal during the pause, nor for a token the server refused (only a store read can tell what comes
    // next). An expired access token (a kind renewed after expiry) cannot wait out a pause of hours: its renewals
    // are only kept `renewCooldownMs` apart, so a failing token endpoint is not asked once per operation.
    const at = now();
    const waiting = live(token) ? pauses.some((p) => within(p, at)) : within(cooling, at);
    // A refusal forces a renewal through a pause, but not through the backoff of failing renewals: one per refusal
    // would otherwise ask a failing token endpoint once per operation.
    const renewal =
      inflight ??
      ((waiting && (!due || failures > 0)) || sameToken(token, refused) ? null : startRenewal(token, renew, origin));
    if (!renewal)
      return live(token)
        ? { kind: 'send', token, renewal: undefined }
        : { kind: 'fail', signal: { kind: 'renewal-unavailable', cause: null } };
    const waited = await bounded(() => renewal, config.renewWaitMs, timer);
    const signal = waited.ok ? waited.value.signal : undefined;
    if (signal?.kind === 'sign-in-required') {
      if (sameToken(waited.ok && waited.value.from, token) || !lastKnown) return { kind: 'fail', signal };
      token = lastKnown;
    }
    const renewed = waited.ok ? waited.value.token : undefined;
    const use = renewed && live(renewed) ? renewed : token;
    const unavailable = signal?.kind === 'renewal-unavailable' ? signal : undefined;
    // An expired access token (a kind renewed after expiry) cannot be sent: the operation fails as data.
    if (!live(use)) return { kind: 'fail', signal: unavailable ?? { kind: 'renewal-unavailable', cause: null } };
    return { kind: 'send', token: use, renewal: unavailable };
  }

  /** The last fast-path decision, reused while the token is the same (no allocation per operation). */
  let sent: SendDecision | undefined;

  /** The answer when the bound passed: the last known live token, or a store failure. */
  const fallback = (): Decision =>
    lastKnown && live(lastKnown) && !signedOut
      ? { kind: 'send', token: lastKnown, renewal: undefined }
      : { kind: 'fail', signal: { kind: 'store-failure', method: 'get' } };

  return {
    answerBoundMs,
    decide(renew, origin) {
      let first = store.first();
      // The common case, without a promise: the token this client knows, or a new one the kind accepts; live
      // and outside the window (NaN fails and goes the long way). The known token's decision is reused.
      let token: Token | null = null;
      try {
        if (!isThenable(first) && !replaced) token = sameToken(first, lastKnown) ? lastKnown! : kind.judge(first);
      } catch (error) {
        first = new Thrown(error); // an answer that throws when read (a revoked proxy): a failed read
      }
      // A new token is judged as on the long way (a stale write-back goes it, to be written over).
      if (
        token &&
        now() < expiresAtMs(token) - config.renewWindowMs &&
        !sameToken(token, refused) &&
        token.accessToken !== staleToken &&
        (token === lastKnown || interpret(token) === token)
      ) {
        if (sent?.token !== token) sent = { kind: 'send', token, renewal: undefined };
        return sent;
      }
      const decision = async () => decideSlowly(renew, origin, await store.read(first, true));
      return bounded(decision, answerBoundMs, timer).then((outcome) => (outcome.ok ? outcome.value : fallback()));
    },
    stale(accessToken) {
      staleToken = accessToken;
    },
    async revoked(accessToken): Promise<SignInRequired | StoreFailure | null> {
      /** What a refusal the store could not judge answers: the store's failure (already reported), not a sign-out. */
      const UNDECIDED: StoreFailure = { kind: 'store-failure', method: 'get' };
      const revoke = async () => {
        // A renewal of this client's is in flight: a server that rotates tokens refuses the old one as soon as it
        // renewed it, before its answer is back. Judge against what the renewal leaves in the store (still bounded).
        if (inflight) await inflight;
        // Unreadable (a tab frozen inside a transaction holds IndexedDB up): not a sign-out, but no token to send
        // once more either; the exchange sends once more with what it knows, then answers the store-failure.
        const record = await store.read();
        if (record === undefined) return UNDECIDED;
        const meaning = interpret(record);
        if (meaning === 'signed-out') return signInRequired('missing');
        const held = meaning === 'lost' || meaning === 'refused' ? (meaning === 'lost' ? lastKnown : record) : meaning;
        if (!isToken(held) || held.accessToken !== accessToken) return null; // moved on: send once more with it
        const instead = await signOut(held, 'invalid', false);
        // The same token back: the store could not be reached to write the sign-out, which the next read decides.
        return instead ? (sameToken(instead, held) ? UNDECIDED : null) : signInRequired('invalid');
      };
      const outcome = await bounded(revoke, answerBoundMs, timer);
      // Past the bound the store or the lock did not answer: undecided too, not a sign-out.
      return outcome.ok ? outcome.value : UNDECIDED;
    },
  };
}

export {
  HANDOFF_SETTLE_MS,
  LOCK_ALLOWANCE_MS,
  MAX_FAILURE_PAUSE_MS,
  NOT_EXTENDING_PAUSE_MS,
  UNLOCKED_INVALID_GRACE_MS,
  type CustomerSession,
  type Decision,
  type Renew,
  type SendDecision,
} from './sessionTypes.js';
