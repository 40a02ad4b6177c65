import type { CustomerSessionConfig } from './customerTokenOptions.js';
import { durableStore } from './durableStore.js';
import type { RenewAnswer } from './renewOutcome.js';
import type {
  CustomerSessionSignal,
  RenewalNotExtending,
  RenewalUnavailable,
  SignInReason,
  SignInRequired,
  StoreFailure,
} from './signals.js';
import { expiresAtMs, isToken, type Token } from './tokenStore.js';
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

/** The renewal scheduling behind the customer token exchange, free of streams so it can be tested alone. */
export interface CustomerSession {
  /**
   * Reads the store, renews if due (joining a renewal in flight), and says whether and with which token to send.
   * Answers at once (no promise) when the store answered synchronously with a live token outside the window.
   */
  decide(renew: Renew): SendDecision | Promise<Decision>;
  /**
   * The server answered `customer: null` for `accessToken`: signs out if the store still holds it. Resolves
   * `null` when the store holds another token by now (the operation should go out again with it).
   */
  revoked(accessToken: string): Promise<SignInRequired | null>;
}

/** After a renewal that did not move `expiresAt` later, no other starts for this long: at most 4 a day. */
export const NOT_EXTENDING_PAUSE_MS = 6 * 60 * 60 * 1000;
/** The longest pause between renewal attempts that keep failing transiently (the cooldown doubles up to it). */
export const MAX_FAILURE_PAUSE_MS = 8 * 60 * 60 * 1000;

/**
 * Creates the token state of one exchange instance (one client). Invariants: an expired token is never sent to
 * renew; at most one renewal is in flight (one per customer across clients with `coordination`); a renew result
 * replaces only the token it renewed; renew requests are bounded whatever the server answers; an operation with
 * a valid token waits at most `renewWaitMs` for a renewal; only a definite answer signs the customer out.
 */
export function createCustomerSession(config: CustomerSessionConfig): CustomerSession {
  const { now } = config;
  let inflight: Promise<RenewalResult> | null = null;
  let nextRenewalAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  /** Whether the app was told the customer is signed out; reset by the next live token. */
  let signedOut = false;

  const emit = (signal: CustomerSessionSignal) => {
    safeCall(config.onSignal, signal, 'onSignal');
    if (signal.kind === 'sign-in-required') safeCall(config.onSignInRequired, signal, 'onSignInRequired');
  };
  const storeFailure = (method: StoreFailure['method']): StoreFailure => {
    const signal: StoreFailure = { kind: 'store-failure', method };
    emit(signal);
    return signal;
  };
  const store = durableStore(config.store, storeFailure);
  const signInRequired = (reason: SignInReason): SignInRequired => {
    const signal: SignInRequired = { kind: 'sign-in-required', reason };
    if (!signedOut) {
      signedOut = true;
      emit(signal);
    }
    return signal;
  };
  /** Signs out for a refused `accessToken`, unless the store moved on to another token meanwhile (`null`). */
  const signOut = async (accessToken: string, reason: SignInReason) =>
    (await store.clearIf(accessToken)) ? signInRequired(reason) : null;

  /** Sends the renew for `from` and stores what it returns; schedules the next attempt by what happened. */
  async function runRenewal(from: Token, renew: Renew): Promise<RenewalResult> {
    let answer: RenewAnswer;
    try {
      answer = await renew(from);
    } catch {
      answer = { kind: 'unavailable', error: undefined, cause: null };
    }
    if (answer.kind === 'renewed') {
      failures = 0;
      if (!(expiresAtMs(answer.token) > expiresAtMs(from))) {
        nextRenewalAt = now() + NOT_EXTENDING_PAUSE_MS;
        const signal: RenewalNotExtending = { kind: 'renewal-not-extending', expiresAt: answer.token.expiresAt };
        emit(signal);
      }
      await store.replace(from, answer.token);
      return { from: from.accessToken };
    }
    if (answer.kind === 'invalid') {
      return { from: from.accessToken, signal: (await signOut(from.accessToken, 'invalid')) ?? undefined };
    }
    failures++;
    nextRenewalAt = now() + Math.min(MAX_FAILURE_PAUSE_MS, config.renewCooldownMs * 2 ** (failures - 1));
    const signal: RenewalUnavailable = { kind: 'renewal-unavailable', cause: answer.cause };
    emit(signal);
    return { from: from.accessToken, signal };
  }

  /** Inside the renewal lock: renews `due` unless another client already replaced it in the shared store. */
  async function renewIfStillDue(due: Token, renew: Renew): Promise<RenewalResult> {
    let stored: Token | null;
    try {
      stored = await store.current(config.store.get());
    } catch {
      stored = due; // cannot tell: renew, as without coordination
    }
    if (stored?.accessToken !== due.accessToken) return { from: due.accessToken };
    return runRenewal(due, renew);
  }

  /** Resolves with the renewal, or with `undefined` once `ms` have passed (the renewal carries on). */
  function waitAtMost(renewal: Promise<RenewalResult>, ms: number): Promise<RenewalResult | undefined> {
    let timer: ReturnType<typeof setTimeout> | number | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return Promise.race([renewal, timeout]).finally(() => clearTimeout(timer));
  }

  /** Decides with the store's first answer `first` (a value or a promise), reading the store again after a renewal. */
  async function decideLater(renew: Renew, first: unknown): Promise<Decision> {
    let renewal: RenewalUnavailable | undefined;
    // At most two rounds: the second one (after a renewal, or inside a pause) never renews, so it returns.
    for (let mayRenew = true; ; mayRenew = false) {
      let token: Token | null;
      try {
        token = await store.current(mayRenew ? first : config.store.get());
      } catch {
        return { kind: 'fail', signal: storeFailure('get') };
      }
      if (!token) return { kind: 'fail', signal: signInRequired('missing') };
      const expiresAt = expiresAtMs(token);
      const time = now();
      // NaN (an unreadable expiresAt) fails this test too: such a token is never sent anywhere.
      if (!(time < expiresAt - config.clockSkewMs)) {
        const signal = await signOut(token.accessToken, 'expired');
        if (signal) return { kind: 'fail', signal };
        continue; // another client stored a new token meanwhile: read it
      }
      signedOut = false; // a live token: the next sign-out is news again
      if (!mayRenew || time < expiresAt - config.renewWindowMs) return { kind: 'send', token, renewal };
      if (!inflight) {
        if (time < nextRenewalAt) continue; // renewed (or failed) moments ago: re-read and send
        nextRenewalAt = time + config.renewCooldownMs;
        const due = token;
        const run = () => (config.coordination ? renewIfStillDue(due, renew) : runRenewal(due, renew));
        inflight = (config.coordination ? config.coordination.withRenewalLock(run) : run()).finally(() => {
          inflight = null;
        });
      }
      const result = await waitAtMost(inflight, config.renewWaitMs);
      // Waited long enough: the token is still valid, so send it while the renewal carries on.
      if (!result) return { kind: 'send', token, renewal };
      if (result.signal?.kind === 'renewal-unavailable') renewal = result.signal;
      // A sign-out fails this operation only if it was for this token; otherwise the next round re-reads the store.
      else if (result.signal && result.from === token.accessToken) return { kind: 'fail', signal: result.signal };
    }
  }

  return {
    decide(renew) {
      let first: unknown;
      try {
        first = config.store.get();
        // The common case, without a promise: a token read synchronously, no write pending, no renewal due (so
        // live too: the options make the skew margin smaller than the window; NaN fails and goes the long way).
        if (!store.pending && isToken(first) && now() < expiresAtMs(first) - config.renewWindowMs) {
          signedOut = false;
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
