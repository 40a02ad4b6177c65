import { randomUUID } from 'node:crypto';
import type { RenewalCoordination } from '../runtime/coordination.js';
import type { RedisCommands } from './redisCommands.js';
import { EXTEND_LOCK, RELEASE_LOCK } from './scripts.js';

/** How often a process waiting for the lock asks again (Redis has no blocking SET NX). */
export const LOCK_POLL_MS = 50;

/** The lock's timings, validated by `redisSession`. */
export interface RenewalLockTimings {
  /** How long the lock lives unless its holder extends it (it does, every third of this, while renewing). */
  lockTtlMs: number;
  /** How long a process waits for the lock before it renews without it. */
  lockWaitMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a renewal lock on `SET lockKey <random id> NX PX lockTtlMs`. Only its holder releases or extends
 * it (a script compares the id first), so a holder that outlived its lock cannot release another's. A holder
 * that dies stops extending it and the lock expires after at most `lockTtlMs`.
 *
 * @remarks
 * Waiting is bounded: after `lockWaitMs` without the lock, or at once when Redis fails or does not answer,
 * `renew` runs without it (each process renews, as without coordination; the compare-and-set writes still
 * keep the stored token moving forward). The lock's id is random: it is never a token and never logged.
 */
export function createRenewalLock(
  { client, lockKey, send }: RedisCommands,
  { lockTtlMs, lockWaitMs }: RenewalLockTimings,
): RenewalCoordination {
  const release = (id: string) =>
    send('release', () => client.eval(RELEASE_LOCK, { keys: [lockKey], arguments: [id] })).catch(() => undefined);

  /** Resolves `true` once this process holds the lock, `false` when it gave up (timeout, Redis failing). */
  async function acquire(id: string): Promise<boolean> {
    const deadline = performance.now() + lockWaitMs;
    for (;;) {
      let reply: unknown;
      try {
        reply = await send('lock', () =>
          client.set(lockKey, id, { condition: 'NX', expiration: { type: 'PX', value: lockTtlMs } }),
        );
      } catch {
        // The SET may still run once Redis answers again: take back whatever it might leave behind.
        void release(id);
        return false;
      }
      if (reply === 'OK') return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await sleep(Math.min(LOCK_POLL_MS, left));
    }
  }

  /** Extends the lock every third of its life while `renew` runs; returns the function that stops it. */
  function keepHolding(id: string): () => void {
    const timer = setInterval(() => {
      send('extend', () => client.eval(EXTEND_LOCK, { keys: [lockKey], arguments: [id, String(lockTtlMs)] })).then(
        (extended) => {
          if (extended !== 1) clearInterval(timer); // lost it (expired during an outage): nothing left to extend
        },
        () => undefined,
      );
    }, lockTtlMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  return {
    async withRenewalLock(renew) {
      const id = randomUUID();
      if (!(await acquire(id))) return renew();
      const stop = keepHolding(id);
      try {
        return await renew();
      } finally {
        stop();
        await release(id);
      }
    },
  };
}
