import type { MaybePromise, Token, TokenStore } from './tokenStore.js';

/**
 * A sign-out recorded as such in a shared store: the customer signed out, or the server refused the token.
 * Distinct from nothing stored (lost or never-written data), so that lost data is never taken for a sign-out
 * and a sign-out is never undone by a client that still remembers a token.
 */
export interface SignedOutMark {
  signedOut: true;
}

/** What a shared store holds for one customer: a token, a sign-out mark, or nothing (`null`). */
export type TokenRecord = Token | SignedOutMark | null;

/**
 * A token store shared by several clients (the tabs of an origin, the processes on one Redis key), following
 * the package's one protocol for shared stores.
 *
 * @remarks
 * The protocol, which every client of a coordination domain follows:
 * - **Identity.** Two tokens are the same only when both `accessToken` and `expiresAt` are.
 * - **Only forward.** Every write the session makes is `compareAndSet(expected, next)`, conditional on the
 *   whole record the writer last read, so a stale or delayed write (a late renewal, a command queued during
 *   an outage, a tab's stale copy) is refused, never applied.
 * - **Sign-out marks.** A sign-out writes a {@link SignedOutMark}; `clear()` writes one too. Nothing stored is
 *   lost data: a client whose last known token is still valid writes it back with `compareAndSet(null, token)`,
 *   never over a mark.
 * - **Sign-out for cause only.** A client answered "invalid" for token T writes the mark with
 *   `compareAndSet(T, mark)`, after the lock and on a fresh read: when the store holds another token, it adopts
 *   that token instead.
 *
 * `get`, `set` and `clear` remain for the app (sign-in writes with `set`, sign-out with `clear`); `get`
 * answers `null` for a mark.
 */
export interface SharedTokenStore extends TokenStore {
  /** The whole record. May answer anything; the session treats a value of another shape as nothing. */
  read(): MaybePromise<TokenRecord>;
  /**
   * Replaces the record with `next` only if it still equals `expected` (tokens: both fields; marks: any mark;
   * `null`: nothing stored), atomically across every client of the store. Resolves `true` when it wrote.
   */
  compareAndSet(expected: TokenRecord, next: Token | SignedOutMark): MaybePromise<boolean>;
}

/**
 * Why a lock was not had: `unsupported` (no lock API here, e.g. no Web Locks: every client renews on its own),
 * `timeout` (the holder is stuck or frozen), `unreachable` (the lock's store is down). The session postpones a
 * renewal while the token has time left, unless the lock is `unsupported`.
 */
export type LockUnavailable = 'unsupported' | 'timeout' | 'unreachable';

/**
 * With `held` true: the lock was had by taking it over from a holder that did not let go (a frozen tab), which may
 * still be renewing, its request out and the token spent. The session renews only once the token is no longer live,
 * and takes an "invalid" answer then for that holder's doing, not a sign-out, until the next renewal.
 */
export type LockTakenOver = 'taken-over';

/** A token change one client tells the others of its coordination domain about. */
export interface TokenHandover {
  /** The token that was renewed or refused. */
  from: Token;
  /** Its successor, or a sign-out mark when the server refused `from`. */
  to: Token | SignedOutMark;
}

/**
 * One renewal per customer across clients that share a store: the tabs of an origin (Web Locks), or server
 * processes (Redis). Pass it as `customerTokenExchange({ store, coordination })`.
 *
 * @remarks
 * The session calls {@link RenewalCoordination.withRenewalLock} when a renewal is due, and inside it reads the
 * store again: when another client renewed meanwhile (the record is not the token it found due) it adopts that
 * token and sends no renew request. Implementations must never block: `withRenewalLock` calls `run(false)`
 * once the lock cannot be had within its own timeout (a frozen tab, an unreachable Redis), and the session
 * then postpones the renewal while the token has time left. The session bounds every call anyway.
 */
export interface RenewalCoordination {
  /**
   * Runs `run(true)` while holding this customer's renewal lock (`run(true, 'taken-over')` when it was taken over
   * from a holder that did not let go), or `run(false, why)` when the lock could not be had; resolves or rejects
   * with `run`'s outcome, and releases the lock in every case.
   */
  withRenewalLock<T>(run: (held: boolean, why?: LockUnavailable | LockTakenOver) => Promise<T>): Promise<T>;
  /**
   * Optional: hands a token change to the other clients of the domain (e.g. over a `BroadcastChannel`), called
   * by the lock holder before it releases the lock, so that a waiter whose read of the store lags still learns
   * of it. Must not throw.
   */
  handOver?(change: TokenHandover): void;
  /** Optional: calls `listener` with the other clients' hand-overs; returns a function that stops listening. */
  onHandOver?(listener: (change: TokenHandover) => void): () => void;
}

/** Whether `value` is a sign-out mark. */
export function isSignedOutMark(value: unknown): value is SignedOutMark {
  return typeof value === 'object' && value !== null && (value as SignedOutMark).signedOut === true;
}

/** The sign-out mark the package writes. */
export const SIGNED_OUT: SignedOutMark = { signedOut: true };
