import type { RenewAnswer } from './renewOutcome.js';
import type { RenewalUnavailable, SignInRequired, StoreFailure } from './signals.js';
import type { Token } from './tokenStore.js';

/* The session core's vocabulary: what it decides, what it asks of a renewal, and its time constants. */

/** Send the operation with `token`, reporting a transient renewal failure if there was one. */
export interface SendDecision {
  kind: 'send';
  token: Token;
  renewal: RenewalUnavailable | undefined;
}

/** What to do with an operation that needs the customer's token. */
export type Decision = SendDecision | { kind: 'fail'; signal: SignInRequired | StoreFailure | RenewalUnavailable };

/**
 * Sends one renew mutation for `from`, abandoned when `abort` fires; resolves with its meaning. `origin` is what the
 * decision that started it was given (the customer token exchange passes the operation's context, for its transport
 * settings), so that one function serves every operation instead of a closure per operation.
 */
export type Renew = (from: Token, abort: AbortSignal, origin: unknown) => Promise<RenewAnswer>;

/** The session core behind the customer token exchange, free of streams so it can be tested alone. */
export interface CustomerSession {
  /**
   * Says whether and with which token to send an operation: reads the store, renews if due (joining a renewal in
   * flight). Answers at once (no promise) when the store answered synchronously with a token outside the window;
   * otherwise within {@link CustomerSession.answerBoundMs}, whatever the store, the lock or the server do.
   */
  decide(renew: Renew, origin?: unknown): SendDecision | Promise<Decision>;
  /**
   * The server answered `customer: null` for `accessToken`: signs out if the store still holds it. Resolves
   * `null` when the store holds another token by now (the operation should go out again with it), and a
   * `store-failure` when the store could not be read or written to decide (not a sign-out: the customer is still
   * signed in, and the next operation decides).
   */
  revoked(accessToken: string): Promise<SignInRequired | StoreFailure | null>;
  /**
   * The server refused the access token `accessToken` in a way a refresh may cure (an OAuth access token
   * answered 401): the next decision renews it first, cooldown or not.
   */
  stale(accessToken: string): void;
  /** The longest `decide` and `revoked` take: `renewWaitMs + storeTimeoutMs`. */
  readonly answerBoundMs: number;
}

/** How a renewal of `from` ended: a token to use (renewed, or adopted from another client), or a signal. */
export interface RenewalResult {
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
 * How long the lock holder keeps the lock after its last write, so that the next holder's read sees it: Chromium
 * delivers another tab's localStorage write 4–9 ms later, on a path the lock does not order.
 */
export const HANDOFF_SETTLE_MS = 50;
/**
 * How long a client that renewed without the lock waits, after an "invalid" answer, for another client's renewal
 * (a hand-over, or the store) before it signs out: with rotating tokens that answer usually means another
 * client renewed first.
 */
export const UNLOCKED_INVALID_GRACE_MS = 2_000;
/**
 * With the lock or the store unreachable, a renewal is postponed until the token has less than this (or half the
 * renewal window, if shorter) left: then it renews alone rather than expire.
 */
export const ALONE_MARGIN_MS = 60 * 60 * 1000;
/** For this long after finding the store empty, a token older than this client's is taken for a stale write-back. */
export const LOST_DATA_MS = 60_000;
