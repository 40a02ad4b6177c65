import { bounded } from './bounded.js';
import { isSignedOutMark, SIGNED_OUT, type TokenHandover, type TokenRecord } from './coordination.js';
import type { CustomerSessionConfig } from './customerTokenOptions.js';
import type { RenewAnswer } from './renewOutcome.js';
import { sessionStore } from './sessionStore.js';
import type {
  CustomerSessionSignal,
  RenewalUnavailable,
  SignInReason,
  SignInRequired,
  StoreFailure,
} from './signals.js';
import { copyToken, expiresAtMs, isToken, sameToken, type Token } from './tokenStore.js';
import { safeCall } from './warn.js';

/** Send the operation with `token`, reporting a transient renewal failure if there was one. */
export interface SendDecision {
  kind: 'send';
  token: Token;
  renewal: RenewalUnavailable | undefined;
}

/** What to do with an operation that needs the customer's token. */
export type Decision = SendDecision | { kind: 'fail'; signal: SignInRequired | StoreFailure };

/** Sends one renew mutation for `from`, abandoned when `abort` fires; resolves with its meaning. */
export type Renew = (from: Token, abort: AbortSignal) => Promise<RenewAnswer>;

/** The session core behind the customer token exchange, free of streams so it can be tested alone. */
export interface CustomerSession {
  /**
   * Says whether and with which token to send an operation: reads the store, renews if due (joining a renewal in
   * flight). Answers at once (no promise) when the store answered synchronously with a token outside the window;
   * otherwise within {@link CustomerSession.answerBoundMs}, whatever the store, the lock or the server do.
   */
  decide(renew: Renew): SendDecision | Promise<Decision>;
  /**
   * The server answered `customer: null` for `accessToken`: signs out if the store still holds it. Resolves
   * `null` when the store holds another token by now (the operation should go out again with it).
   */
  revoked(accessToken: string): Promise<SignInRequired | null>;
  /** The longest `decide` and `revoked` take: `renewWaitMs + storeTimeoutMs`. */
  readonly answerBoundMs: number;
}

/** How a renewal of `from` ended: a token to use (renewed, or adopted from another client), or a signal. */
interface RenewalResult {
  from: Token;
  token?: Token;
  signal?: SignInRequired | RenewalUnavailable;
}

/** After a renewal that did not move `expiresAt` later, no other starts for this long: at most 4 a day. */
export const NOT_EXTENDING_PAUSE_MS = 6 * 60 * 60 * 1000;
/** The longest pause between renewal attempts that keep failing transiently (the cooldown doubles up to it). */
export const MAX_FAILURE_PAUSE_MS = 8 * 60 * 60 * 1000;
/** How long a renewal may wait for a coordinator's lock (Web Locks with takeover, Redis) before it is abandoned. */
export const LOCK_ALLOWANCE_MS = 30_000;

/**
 * Creates the session of one exchange instance (one client). The state is in this closure: the last known
 * token (`lastKnown`, and `lastFrom`, the token it replaced while the store may still show that one), the
 * renewal in flight, the pause before the next one, and what the app was told. Every effect (store call, lock,
 * renew request) has a time limit, and every answer is judged before it is trusted (see SESSION.md).
 */
export function createCustomerSession(config: CustomerSessionConfig): CustomerSession {
  const { now, timer, coordination } = config;
  const answerBoundMs = config.renewWaitMs + config.storeTimeoutMs;
  const renewalBoundMs = config.renewTimeoutMs + 4 * config.storeTimeoutMs + LOCK_ALLOWANCE_MS;
  let lastKnown: Token | null = null;
  let lastFrom: Token | null = null;
  let refused: Token | null = null;
  let inflight: Promise<RenewalResult> | null = null;
  let nextRenewalAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let signedOut = false;
  let signOutReason: SignInReason = 'missing';
  let announced: string | null | undefined;

  const emit = (signal: CustomerSessionSignal) => {
    safeCall(config.onSignal, signal, 'onSignal');
    if (signal.kind === 'sign-in-required') safeCall(config.onSignInRequired, signal, 'onSignInRequired');
  };
  const storeFailure = (method: StoreFailure['method'], error?: unknown): StoreFailure => {
    const signal: StoreFailure = { kind: 'store-failure', method };
    const message = messageOf(error, [lastKnown, lastFrom, refused]);
    if (message) signal.message = message;
    emit(signal);
    return signal;
  };
  const store = sessionStore(config.store, config.storeTimeoutMs, timer, storeFailure);
  /** Tells the app once per change of the token string; the first token a client sees is its starting point. */
  const announce = (token: Token | null) => {
    const key = token?.accessToken ?? null;
    if (announced !== undefined && key !== announced) safeCall(config.onTokenChange, token && copyToken(token), 'onTokenChange');
    announced = key;
  };
  const live = (token: Token) => now() < expiresAtMs(token) - config.clockSkewMs;
  const signInRequired = (reason: SignInReason): SignInRequired => {
    const signal: SignInRequired = { kind: 'sign-in-required', reason };
    if (!signedOut) {
      signedOut = true;
      signOutReason = reason;
      emit(signal);
    }
    return signal;
  };
  const signedOutFor = (token: Token, reason: SignInReason) => {
    refused = token;
    lastKnown = lastFrom = null;
    announce(null);
    return signInRequired(reason);
  };
  /** Takes `token` as the newest this client knows; `from`: the token it replaced, which the store may still show. */
  const learn = (token: Token, from: Token | null) => {
    lastKnown = token;
    lastFrom = from;
    if (!sameToken(token, refused) && live(token)) signedOut = false;
    announce(token);
  };

  coordination?.onHandOver?.((change: TokenHandover) => {
    if (lastKnown && !sameToken(lastKnown, change.from)) return; // about a token this client no longer holds
    if (isSignedOutMark(change.to)) signedOutFor(change.from, 'invalid');
    else if (isToken(change.to)) learn(copyToken(change.to), copyToken(change.from));
  });

  /**
   * The token to act on, from the store's record (`undefined`: the store failed). A store still showing the token
   * this client replaced lags (or a write failed): the replacement is written again. Nothing stored, in a shared
   * store, is lost data: the last known live token is written back, never over a sign-out mark.
   */
  async function reconcile(record: TokenRecord | undefined, mayWrite = true): Promise<Token | 'signed-out' | 'unknown'> {
    if (record === undefined) return lastKnown ?? 'unknown';
    if (isSignedOutMark(record)) {
      lastKnown = lastFrom = null;
      announce(null);
      return 'signed-out';
    }
    if (record === null) {
      if (!lastKnown || !live(lastKnown)) return 'signed-out';
      if (mayWrite) await store.write(null, lastKnown);
      return lastKnown;
    }
    if (lastKnown && lastFrom && sameToken(record, lastFrom)) {
      if (mayWrite && (await store.write(record, lastKnown)) === true) lastFrom = null;
      return lastKnown;
    }
    if (sameToken(record, refused)) {
      if (!mayWrite) return 'signed-out';
      const instead = await signOut(record, signOutReason === 'expired' ? 'expired' : 'invalid');
      return instead === null ? 'signed-out' : sameToken(instead, record) ? 'unknown' : instead;
    }
    if (!sameToken(record, lastKnown)) learn(record, null);
    else lastFrom = null; // the store caught up
    return record;
  }

  /**
   * Signs out for `token` (expired, or refused by the server), with a write conditional on the store still
   * holding it. Resolves the token the store holds instead when it moved on, or `null` once signed out.
   */
  async function signOut(token: Token, reason: SignInReason): Promise<Token | null> {
    const wrote = await store.write(token, SIGNED_OUT);
    if (wrote === false) {
      // One re-read, without writes of its own: no loop, whatever the store answers.
      const current = await reconcile(await store.read(), false);
      if (typeof current === 'object' && !sameToken(current, token)) return current;
    }
    if (wrote === undefined && store.shared && reason === 'invalid') {
      refused = token; // unknown whether the store still holds it: not a sign-out yet; the next read decides
      return token;
    }
    if (coordination && wrote === true && reason === 'invalid') handOver({ from: token, to: SIGNED_OUT });
    signedOutFor(token, reason);
    return null;
  }

  const handOver = (change: TokenHandover) => {
    try {
      coordination?.handOver?.(change);
    } catch {
      // A hand-over is a courtesy to the other clients: they read the store anyway.
    }
  };

  const pause = (ms: number) => {
    nextRenewalAt = Math.max(nextRenewalAt, now() + ms);
  };
  const unavailable = (from: Token, cause: RenewalUnavailable['cause']): RenewalResult => {
    failures++;
    pause(Math.min(MAX_FAILURE_PAUSE_MS, config.renewCooldownMs * 2 ** Math.min(failures - 1, 30)));
    const signal: RenewalUnavailable = { kind: 'renewal-unavailable', cause };
    emit(signal);
    return { from, signal };
  };

  /** Stores `token`, the renewal of `from`: only over `from`; a store that moved on meanwhile wins. */
  async function commit(from: Token, token: Token): Promise<RenewalResult> {
    failures = 0;
    // Signed out meanwhile (expired, refused, or told by another client): a renewal never brings a session back.
    if (sameToken(refused, from)) return { from, signal: signInRequired('missing') };
    const wrote = await store.write(from, token);
    if (wrote === false) {
      // The store moved on (another client, a sign-in, a sign-out): what it holds wins.
      const current = await reconcile(await store.read(), false);
      if (current === 'signed-out') return { from, signal: signInRequired('missing') };
    } else learn(token, wrote === true ? null : from); // not written: kept here, written on the next read
    if (coordination) handOver({ from, to: token });
    if (!(expiresAtMs(token) > expiresAtMs(from))) {
      pause(NOT_EXTENDING_PAUSE_MS);
      emit({ kind: 'renewal-not-extending', expiresAt: token.expiresAt });
    }
    return { from, token: lastKnown ?? token };
  }

  /** Renews `due` (inside the lock when `coordinated`, where `held` says whether the lock was had). */
  async function renewDue(due: Token, renew: Renew, abort: AbortSignal, held: boolean): Promise<RenewalResult> {
    if (coordination) {
      // Inside the lock, read again: another client may have renewed (or signed out) while this one waited.
      const record = await store.read();
      if (record !== undefined && !sameToken(record, due)) {
        const current = await reconcile(record, false);
        if (current === 'signed-out') return { from: due, signal: signInRequired('missing') };
        if (typeof current === 'object' && !sameToken(current, due)) return { from: due, token: current };
      }
      // A hand-over already brought the successor of `due` (the store lags): nothing to renew.
      if (lastKnown && lastFrom && sameToken(lastFrom, due)) return { from: due, token: lastKnown };
      // The lock could not be had (store or lock unreachable) and there is time left: renew later, not alone.
      if ((!held || record === undefined) && expiresAtMs(due) - now() > config.renewWindowMs / 2)
        return unavailable(due, null);
    }
    const outcome = await bounded(() => renew(due, abort), config.renewTimeoutMs, timer);
    const answer: RenewAnswer = outcome.ok ? outcome.value : { kind: 'unavailable', error: undefined, cause: null };
    if (answer.kind === 'renewed' && isToken(answer.token) && live(answer.token))
      return commit(due, copyToken(answer.token));
    if (answer.kind === 'invalid') {
      if (lastKnown && lastFrom && sameToken(lastFrom, due)) return { from: due, token: lastKnown };
      const current = await signOut(due, 'invalid');
      if (current && sameToken(current, due)) return unavailable(due, null);
      return current ? { from: due, token: current } : { from: due, signal: signInRequired('invalid') };
    }
    return unavailable(due, answer.kind === 'unavailable' ? answer.cause : null);
  }

  /** Starts the one renewal of `due`, bounded as a whole: a stuck renewal ends and is tried again later. */
  function startRenewal(due: Token, renew: Renew): Promise<RenewalResult> {
    pause(config.renewCooldownMs);
    const abort = new AbortController();
    let over = false;
    const run = (held: boolean) => (over ? Promise.resolve({ from: due }) : renewDue(due, renew, abort.signal, held));
    const job = () => (coordination ? coordination.withRenewalLock(run) : run(true));
    const renewal = bounded(job, renewalBoundMs, timer).then((outcome) => {
      over = true;
      abort.abort();
      inflight = null;
      return outcome.ok && outcome.value ? outcome.value : unavailable(due, null);
    });
    inflight = renewal;
    return renewal;
  }

  async function decideSlowly(renew: Renew, record: TokenRecord | undefined): Promise<Decision> {
    let current = await reconcile(record);
    if (current === 'unknown') return { kind: 'fail', signal: { kind: 'store-failure', method: 'get' } };
    if (current === 'signed-out') return { kind: 'fail', signal: signInRequired('missing') };
    if (!live(current)) {
      // Without a store answer this client cannot tell whether another one stored a newer token.
      if (record === undefined) return { kind: 'fail', signal: { kind: 'store-failure', method: 'get' } };
      const instead = await signOut(current, 'expired');
      if (!instead || !live(instead)) return { kind: 'fail', signal: signInRequired('expired') };
      current = instead;
    }
    if (now() < expiresAtMs(current) - config.renewWindowMs) return { kind: 'send', token: current, renewal: undefined };
    const renewal = inflight ?? (now() < nextRenewalAt ? null : startRenewal(current, renew));
    if (!renewal) return { kind: 'send', token: current, renewal: undefined };
    const waited = await bounded(() => renewal, config.renewWaitMs, timer);
    if (!waited.ok) return { kind: 'send', token: current, renewal: undefined }; // carries on; the token is valid
    const { token, signal } = waited.value;
    if (signal?.kind === 'sign-in-required') {
      if (sameToken(waited.value.from, current) || !lastKnown) return { kind: 'fail', signal };
      current = lastKnown;
    }
    const use = token && live(token) ? token : current;
    return { kind: 'send', token: use, renewal: signal?.kind === 'renewal-unavailable' ? signal : undefined };
  }

  /** The answer when the bound passed: the last known live token, or a store failure. */
  const fallback = (): Decision =>
    lastKnown && live(lastKnown) && !signedOut
      ? { kind: 'send', token: lastKnown, renewal: undefined }
      : { kind: 'fail', signal: { kind: 'store-failure', method: 'get' } };

  return {
    answerBoundMs,
    decide(renew) {
      const first = store.first();
      if ('value' in first && !isThenable(first.value) && !lastFrom && isToken(first.value)) {
        const token = first.value;
        // The common case, without a promise: a live token outside the window (NaN fails and goes the long way).
        if (now() < expiresAtMs(token) - config.renewWindowMs && !sameToken(token, refused)) {
          if (!sameToken(token, lastKnown)) learn(copyToken(token), null);
          return { kind: 'send', token: copyToken(token), renewal: undefined };
        }
      }
      const decision = async () => decideSlowly(renew, await store.read(first));
      return bounded(decision, answerBoundMs, timer).then((outcome) => (outcome.ok ? outcome.value : fallback()));
    },
    async revoked(accessToken) {
      const revoke = async () => {
        const record = await store.read();
        const held = isToken(record) ? record : record === null && lastKnown ? lastKnown : null;
        if (isSignedOutMark(record)) return signInRequired('missing');
        if (!held || held.accessToken !== accessToken) return null; // moved on (or unreadable): send once more
        if (record === null) {
          await store.write(null, SIGNED_OUT);
          return signedOutFor(held, 'invalid');
        }
        const instead = await signOut(held, 'invalid');
        return instead ? null : signInRequired('invalid');
      };
      const outcome = await bounded(revoke, answerBoundMs, timer);
      return outcome.ok ? outcome.value : null;
    },
  };
}

function isThenable(value: unknown): boolean {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** The message of a store's error, with every known token string replaced, so that no secret reaches a signal. */
function messageOf(error: unknown, tokens: (Token | null)[]): string | undefined {
  let message: string | undefined;
  try {
    message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
  if (!message) return undefined;
  for (const token of tokens) if (token?.accessToken) message = message.split(token.accessToken).join('[token]');
  return message.slice(0, 300);
}
