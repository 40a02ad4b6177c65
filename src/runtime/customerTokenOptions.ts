import { invalid } from './errors.js';
import type { CustomerSessionSignal, SignInRequired } from './signals.js';
import type { RenewalCoordination } from './coordination.js';
import { realTimer, type SetTimer } from './bounded.js';
import type { Token, TokenKind, TokenStore } from './tokenStore.js';

const DAY = 24 * 60 * 60 * 1000;

/** How long Shopify's customer access tokens live: 42 days from issue (observed on a live store). */
export const TOKEN_LIFETIME_MS = 42 * DAY;

/**
 * Renew once a token has less than this left.
 *
 * @remarks
 * 7 days of a 42-day life: a customer who comes back at least once a week is never signed out, while a
 * token is renewed at most about once every 35 days (renewal restarts the 42 days), so renewals cost almost
 * nothing. A shorter window signs out weekly visitors; a longer one renews for no gain.
 */
export const DEFAULT_RENEW_WINDOW_MS = 7 * DAY;

/**
 * A token this close to `expiresAt` counts as expired and is never sent to renew.
 *
 * @remarks
 * 5 minutes covers ordinary device clock drift plus the request's own latency: renewing a token the server
 * already considers expired fails definitely, and STOREFRONT.md says never to try. It costs at most the
 * last 5 minutes of a 42-day life.
 */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * After a renewal attempt (successful or not), no other starts for this long.
 *
 * @remarks
 * A failed renewal was already retried with backoff; trying again on every following operation would hammer
 * a struggling API. The token is still valid (the window is days wide), so waiting a minute costs nothing.
 */
export const DEFAULT_RENEW_COOLDOWN_MS = 60 * 1000;

/**
 * An operation whose token is still valid waits at most this long for a renewal in flight, then goes out with the
 * current token while the renewal carries on: a renewal held up by `Retry-After` never holds a page render.
 */
export const DEFAULT_RENEW_WAIT_MS = 4_000;

/**
 * The longest one store call (`get`, `set`, `clear`, `read`, `compareAndSet`) may take before it counts as a
 * failure: the session goes on with the last token it knows.
 *
 * @remarks
 * 2 s: above a Redis command timeout (1 s) and a cookie or IndexedDB call by orders of magnitude, small enough
 * that an operation's answer bound (`renewWaitMs + storeTimeoutMs`, 6 s by default) stays short.
 */
export const DEFAULT_STORE_TIMEOUT_MS = 2_000;

/**
 * The longest a renew request may take; then it is aborted (also when a custom `fetch` ignores the abort) and
 * counts as a transient failure, tried again after the cooldown.
 */
export const DEFAULT_RENEW_TIMEOUT_MS = 10_000;

/** Options of the customer token exchange. */
export interface CustomerTokenExchangeOptions {
  /** Where the token lives: {@link memoryTokenStore}, a cookie, a server session. */
  store: TokenStore;
  /**
   * Called when the customer must sign in again (expired, invalid or no token); the store is already cleared. Once per
   * token.
   */
  onSignInRequired?: (signal: SignInRequired) => void;
  /** Called with every signal: sign-in required, renewal unavailable (token kept), store failures. */
  onSignal?: (signal: CustomerSessionSignal) => void;
  /** Renew when less than this is left before `expiresAt`. @defaultValue {@link DEFAULT_RENEW_WINDOW_MS} (7 days) */
  renewWindowMs?: number;
  /** Treat a token this close to `expiresAt` as expired. @defaultValue {@link DEFAULT_CLOCK_SKEW_MS} (5 minutes) */
  clockSkewMs?: number;
  /** Minimum time between two renewal attempts. @defaultValue {@link DEFAULT_RENEW_COOLDOWN_MS} (1 minute) */
  renewCooldownMs?: number;
  /**
   * The longest an operation with a still-valid token waits for a renewal in flight.
   * @defaultValue {@link DEFAULT_RENEW_WAIT_MS} (4 seconds)
   */
  renewWaitMs?: number;
  /**
   * Called once per change of the token string this client sees (sign-in, renewal, sign-out: `null`), e.g. to
   * update a cart's `buyerIdentity.customerAccessToken`. The first token a client sees is its starting point.
   */
  onTokenChange?: (token: Token | null) => void;
  /**
   * The longest one store call may take. @defaultValue {@link DEFAULT_STORE_TIMEOUT_MS} (2 seconds)
   */
  storeTimeoutMs?: number;
  /** The longest a renew request may take. @defaultValue {@link DEFAULT_RENEW_TIMEOUT_MS} (10 seconds) */
  renewTimeoutMs?: number;
  /** One renewal per customer across clients sharing the store (tabs: `webLocksCoordination()`; servers: Redis). */
  coordination?: RenewalCoordination;
  /** The clock. @defaultValue `Date.now` */
  now?: () => number;
  /** Starts a timer and returns its cancel function; for tests on a simulated clock. @defaultValue `setTimeout` */
  timer?: SetTimer;
}

/** Validated customer token settings. */
export interface CustomerSessionConfig {
  store: TokenStore;
  onSignInRequired?: ((signal: SignInRequired) => void) | undefined;
  onSignal?: ((signal: CustomerSessionSignal) => void) | undefined;
  renewWindowMs: number;
  clockSkewMs: number;
  renewCooldownMs: number;
  renewWaitMs: number;
  storeTimeoutMs: number;
  renewTimeoutMs: number;
  onTokenChange?: ((token: Token | null) => void) | undefined;
  coordination: RenewalCoordination | undefined;
  now: () => number;
  timer: SetTimer;
  /** The kind of token (the Storefront customer access token when absent). */
  kind?: TokenKind;
}

/** `options[name]`, or `fallback` when missing, checked to be a duration shorter than the token's life. */
function duration(
  options: CustomerTokenExchangeOptions,
  name: 'renewWindowMs' | 'clockSkewMs' | 'renewCooldownMs' | 'renewWaitMs' | 'storeTimeoutMs' | 'renewTimeoutMs',
  fallback: number,
): number {
  const ms = options[name] ?? fallback;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms >= TOKEN_LIFETIME_MS) {
    throw invalid(
      name,
      ms,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? `Expected milliseconds from 0 to less than ${TOKEN_LIFETIME_MS} (the 42-day token life).`
        : '',
    );
  }
  return ms;
}

/**
 * Validates the options once, at construction.
 *
 * @throws ConfigurationError naming the fix: no store (or one without get/set/clear), a negative or too long
 * duration, a clock-skew margin not smaller than the renewal window (no token could ever be renewed).
 */
export function resolveCustomerOptions(options: CustomerTokenExchangeOptions): CustomerSessionConfig {
  const store = (options as Partial<CustomerTokenExchangeOptions> | undefined)?.store;
  if (
    !store ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.clear !== 'function'
  ) {
    throw invalid(
      'store',
      typeof store,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Pass a token store with get(), set(token) and clear(), e.g. memoryTokenStore().'
        : '',
    );
  }
  const renewWindowMs = duration(options, 'renewWindowMs', DEFAULT_RENEW_WINDOW_MS);
  const clockSkewMs = duration(options, 'clockSkewMs', DEFAULT_CLOCK_SKEW_MS);
  const renewCooldownMs = duration(options, 'renewCooldownMs', DEFAULT_RENEW_COOLDOWN_MS);
  const renewWaitMs = duration(options, 'renewWaitMs', DEFAULT_RENEW_WAIT_MS);
  const storeTimeoutMs = duration(options, 'storeTimeoutMs', DEFAULT_STORE_TIMEOUT_MS);
  const renewTimeoutMs = duration(options, 'renewTimeoutMs', DEFAULT_RENEW_TIMEOUT_MS);
  for (const [name, ms] of [
    ['storeTimeoutMs', storeTimeoutMs],
    ['renewTimeoutMs', renewTimeoutMs],
    ['renewWaitMs', renewWaitMs],
  ] as const) {
    if (ms > 2_147_483_647 || (name !== 'renewWaitMs' && ms < 1))
      throw invalid(
        name,
        ms,
        (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
          ? 'Expected milliseconds from 1 to 2147483647 (a timer must be able to fire).'
          : '',
      );
  }
  const { coordination } = options;
  if (coordination !== undefined && typeof coordination?.withRenewalLock !== 'function') {
    throw invalid(
      'coordination',
      typeof coordination,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Pass an object with withRenewalLock(renew), e.g. webLocksCoordination() in browsers, or drop the option.'
        : '',
    );
  }
  if (clockSkewMs >= renewWindowMs) {
    throw invalid(
      'clockSkewMs',
      clockSkewMs,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? `It must be smaller than renewWindowMs (${renewWindowMs}), or tokens would expire before they could be renewed.`
        : '',
    );
  }
  // The callbacks as given (a copy: the app changing its options object later changes nothing).
  return {
    ...options,
    renewWindowMs,
    clockSkewMs,
    renewCooldownMs,
    renewWaitMs,
    storeTimeoutMs,
    renewTimeoutMs,
    coordination,
    now: options.now ?? Date.now,
    timer: options.timer ?? realTimer,
  };
}
