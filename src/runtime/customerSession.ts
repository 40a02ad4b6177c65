import type { RenewAnswer } from './renewOutcome.js';
import type { CustomerSessionConfig } from './customerTokenOptions.js';
import type {
  CustomerSessionSignal,
  RenewalUnavailable,
  SignInReason,
  SignInRequired,
  StoreFailure,
} from './signals.js';
import { expiresAtMs, isNewer, isToken, type Token } from './tokenStore.js';
import { safeCall } from './warn.js';

/** Send the operation with `token`, reporting a transient renewal failure if there was one. */
export interface SendDecision {
  kind: 'send';
  token: Token;
  renewal: RenewalUnavailable | undefined;
}

/** What to do with an operation that needs the customer's token. */
export type Decision = SendDecision | { kind: 'fail'; signal: SignInRequired | StoreFailure };

/** How a renewal of the token `from` ended: renewed (no signal), signed out, or unavailable (token kept). */
interface RenewalResult {
  from: string;
  signal?: SignInRequired | RenewalUnavailable;
}

/** Sends one renew mutation for `from` and resolves with its meaning; never rejects. */
export type Renew = (from: Token) => Promise<RenewAnswer>;

/** The session logic behind the customer token exchange, free of streams so it can be read (and tested) alone. */
export interface CustomerSession {
  /**
   * Reads the store, renews if due (joining a renewal in flight), and says whether and with which token to send.
   * Answers at once (no promise) when the store answered synchronously with a live token outside the renewal window.
   */
  decide(renew: Renew): SendDecision | Promise<Decision>;
  /** The server answered `customer: null` for `accessToken`: sign out if the store still holds it. */
  revoked(accessToken: string): Promise<SignInRequired>;
}

/**
 * Creates the token state of one exchange instance (one client). Invariants: an expired token is never
 * sent to renew; at most one renewal is in flight; the stored token only moves forward; a failed write keeps
 * the token in memory and is retried; only a definite answer signs the customer out.
 */
export function createCustomerSession(config: CustomerSessionConfig): CustomerSession {
  const { store, now } = config;
  let inflight: Promise<RenewalResult> | null = null;
  let nextRenewalAt = Number.NEGATIVE_INFINITY;
  /** A renewed token the store refused to take, and the token it replaces. */
  let unpersisted: { from: string; token: Token } | null = null;
  let writing: Promise<void> | null = null;
  /** The token (or '' for "none") the app was last told to sign in again for, so it is told once. */
  let notified: string | null = null;

  const emit = (signal: CustomerSessionSignal) => {
    safeCall(config.onSignal, signal, 'onSignal');
    if (signal.kind === 'sign-in-required') safeCall(config.onSignInRequired, signal, 'onSignInRequired');
  };
  const storeFailure = (method: StoreFailure['method']): StoreFailure => {
    const signal: StoreFailure = { kind: 'store-failure', method };
    emit(signal);
    return signal;
  };
  const signInRequired = (reason: SignInReason, accessToken: string): SignInRequired => {
    const signal: SignInRequired = { kind: 'sign-in-required', reason };
    if (notified !== accessToken) {
      notified = accessToken;
      emit(signal);
    }
    return signal;
  };

  /** Writes the token the store has not taken yet; concurrent callers share one write. */
  function persist(): Promise<void> {
    writing ??= (async () => {
      const pending = unpersisted;
      if (!pending) return;
      try {
        await store.set(pending.token);
        if (unpersisted === pending) unpersisted = null;
      } catch {
        storeFailure('set');
      }
    })().finally(() => {
      writing = null;
    });
    return writing;
  }

  /** The freshest token: the store's answer `read`, unless a renewed token it refused is newer (then retry the write). */
  async function current(read: unknown): Promise<Token | null> {
    const raw: unknown = await read;
    const stored = isToken(raw) ? raw : null;
    const pending = unpersisted;
    if (
      pending &&
      stored &&
      (stored.accessToken === pending.from || stored.accessToken === pending.token.accessToken) &&
      isNewer(pending.token, stored)
    ) {
      await persist();
      return pending.token;
    }
    if (pending === unpersisted) unpersisted = null; // the store moved on: cleared, replaced, or caught up
    return stored;
  }

  /** Clears the store if it still holds `accessToken` (or the token a refused write was replacing), then signals. */
  async function signOut(accessToken: string, reason: SignInReason): Promise<SignInRequired> {
    const related =
      unpersisted && (unpersisted.token.accessToken === accessToken || unpersisted.from === accessToken)
        ? unpersisted
        : null;
    if (related) unpersisted = null;
    try {
      const stored = await store.get();
      if (isToken(stored) && (stored.accessToken === accessToken || stored.accessToken === related?.from))
        await store.clear();
    } catch {
      storeFailure('clear');
    }
    return signInRequired(reason, accessToken);
  }

  /** Stores a renewed token unless the store moved on meanwhile (signed out, or a newer token). */
  async function keepRenewed(from: Token, token: Token): Promise<void> {
    let stored: unknown;
    try {
      stored = await store.get();
    } catch {
      // Cannot compare: keep it in memory only; current() reconciles once the store answers.
      unpersisted = { from: from.accessToken, token };
      storeFailure('get');
      return;
    }
    if (!isToken(stored)) return; // signed out while renewing: never bring the session back
    if (stored.accessToken !== from.accessToken && stored.accessToken !== token.accessToken) return;
    if (!isNewer(token, stored)) return;
    unpersisted = { from: from.accessToken, token };
    await persist();
  }

  async function runRenewal(from: Token, renew: Renew): Promise<RenewalResult> {
    let answer: RenewAnswer;
    try {
      answer = await renew(from);
    } catch {
      answer = { kind: 'unavailable', error: undefined, cause: null };
    }
    if (answer.kind === 'renewed') {
      await keepRenewed(from, answer.token);
      return { from: from.accessToken };
    }
    if (answer.kind === 'invalid')
      return { from: from.accessToken, signal: await signOut(from.accessToken, 'invalid') };
    const signal: RenewalUnavailable = { kind: 'renewal-unavailable', cause: answer.cause };
    emit(signal);
    return { from: from.accessToken, signal };
  }

  /** Decides with the store's first answer `first` (a value or a promise), reading the store again after a renewal. */
  async function decideLater(renew: Renew, first: unknown): Promise<Decision> {
    let renewal: RenewalUnavailable | undefined;
    // At most two rounds: the second one (after a renewal, or inside the cooldown) never renews, so it returns.
    for (let mayRenew = true; ; mayRenew = false) {
      let token: Token | null;
      try {
        token = await current(mayRenew ? first : store.get());
      } catch {
        return { kind: 'fail', signal: storeFailure('get') };
      }
      if (!token) return { kind: 'fail', signal: signInRequired('missing', '') };
      const expiresAt = expiresAtMs(token);
      const time = now();
      // NaN (an unreadable expiresAt) fails this test too: such a token is never sent anywhere.
      if (!(time < expiresAt - config.clockSkewMs))
        return { kind: 'fail', signal: await signOut(token.accessToken, 'expired') };
      notified = null; // a live token: the next sign-out is news again
      if (!mayRenew || time < expiresAt - config.renewWindowMs) return { kind: 'send', token, renewal };
      if (!inflight) {
        if (time < nextRenewalAt) continue; // renewed (or failed) moments ago: re-read and send
        nextRenewalAt = time + config.renewCooldownMs;
        inflight = runRenewal(token, renew).finally(() => {
          inflight = null;
        });
      }
      const { from, signal } = await inflight;
      if (signal?.kind === 'renewal-unavailable') renewal = signal;
      // A sign-out fails this operation only if it was for this token; otherwise the next round re-reads the store.
      else if (signal && from === token.accessToken) return { kind: 'fail', signal };
    }
  }

  return {
    decide(renew) {
      let first: unknown;
      try {
        first = store.get();
        // The common case, without a promise: a token read synchronously, no write pending, no renewal due (so
        // live too: the options make the skew margin smaller than the window; NaN fails and goes the long way).
        if (!unpersisted && isToken(first) && now() < expiresAtMs(first) - config.renewWindowMs) {
          notified = null;
          return { kind: 'send', token: first, renewal: undefined };
        }
      } catch (error) {
        // A store that threw fails the long way as a rejected read; a clock that threw, by throwing there again.
        first ??= Promise.reject(error);
      }
      return decideLater(renew, first);
    },
    revoked: (accessToken) => signOut(accessToken, 'invalid'),
  };
}
