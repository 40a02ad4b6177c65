import type { MaybePromise, Token } from './tokenStore.js';

/**
 * One renewal per customer across clients that share a store: the tabs of an origin (Web Locks), or server
 * processes (Redis). Pass it as `customerTokenExchange({ store, coordination })`.
 *
 * @remarks
 * The exchange calls {@link RenewalCoordination.withRenewalLock} when a renewal is due, and inside it reads the
 * store again: when another client renewed meanwhile it uses that token and sends no renew request. A lock
 * that cannot be had within the coordinator's own timeout (a frozen or closed tab, an unreachable Redis) must
 * not block: `withRenewalLock` then runs `renew` without it, so the worst case is today's behaviour (each
 * client renews), never a customer left waiting or signed out.
 */
export interface RenewalCoordination {
  /**
   * Runs `renew` while holding this customer's renewal lock, or without it once the lock's timeout has
   * passed; resolves or rejects with `renew`'s outcome, and releases the lock in every case.
   */
  withRenewalLock<T>(renew: () => Promise<T>): Promise<T>;
}

/**
 * A token store that can replace its token only if it still holds the expected one, atomically, so that
 * writes from several processes only move forward. The exchange uses it, when the store has it, for every
 * write it makes after a renewal or a refused token.
 */
export interface CompareAndSetStore {
  /**
   * Replaces the stored token with `next` (or clears it for `null`) only if the store holds the token whose
   * `accessToken` is `expected` (`null`: holds none). Resolves `true` when it wrote.
   */
  compareAndSet(expected: string | null, next: Token | null): MaybePromise<boolean>;
}
