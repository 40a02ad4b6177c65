import { randomUUID } from 'node:crypto';
import type { RenewalCoordination } from '../runtime/coordination.js';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';
import type { RedisCommands } from './redisCommands.js';
import { EXTEND_LOCK, LOCK_TIME_TO_LIVE, RELEASE_LOCK } from './scripts.js';

/** How often a process waiting for the lock asks again (Redis has no blocking SET NX). */
export const LOCK_POLL_MS = 50;

/** The lock's timings, validated by `redisSession`. */
export interface RenewalLockTimings {
  /** How long the lock lives unless its holder extends it (it does, every third of this, while renewing). */
  lockTtlMs: number;
  /** How long a process waits for the lock, while Redis answers, before it calls `run(false)`. */
  lockWaitMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `pending`'s outcome, or `'deadline'` when `deadline` (a `performance.now()` time) comes first. */
async function beforeDeadline<T>(pending: Promise<T>, deadline: number): Promise<T | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates a renewal lock on `SET lockKey <random id> NX PX lockTtlMs`. Only its holder releases or extends
 * it (a script compares the id first), so a holder that outlived its lock cannot release another's. A holder
 * that dies stops extending it and the lock expires after at most `lockTtlMs`.
 *
 * @remarks
 * Waiting is bounded. `run(false)` is called:
 * - as soon as Redis fails;
 * - after one command timeout when Redis does not answer (a frozen server, a partition), or when the client is
 *   not connected and does not reconnect within it (nothing is sent then); at once when the client has been
 *   down for a command timeout already;
 * - after `lockWaitMs` while Redis answers and another process holds the lock (a poll in flight at that moment
 *   is not waited for);
 * - at once when the lock key has no time to live (written by something else: it would never expire), reported
 *   to `onRedisError` as a configuration error naming the key.
 *
 * So the longest wait before `run` is `max(lockWaitMs, commandTimeoutMs)`, and exactly `commandTimeoutMs` when
 * Redis is frozen from the start. The release after `run` is not waited for. A `SET NX` that Redis runs only after the process gave up on it (it was
 * queued in a frozen server's socket) is taken back by a release sent right behind it on the same connection,
 * and expires after `lockTtlMs` anyway. The lock's id is random: it is never a token and never logged.
 */
export function createRenewalLock(
  { client, lockKey, send, report, timeoutMs }: RedisCommands,
  { lockTtlMs, lockWaitMs }: RenewalLockTimings,
): RenewalCoordination {
  const release = (id: string) =>
    send('release', () => client.eval(RELEASE_LOCK, { keys: [lockKey], arguments: [id] })).catch(() => undefined);

  /** One `SET NX PX`; `undefined` when Redis failed or did not answer (the SET is then taken back). */
  function attempt(id: string): Promise<boolean | undefined> {
    return send('lock', () =>
      client.set(lockKey, id, { condition: 'NX', expiration: { type: 'PX', value: lockTtlMs } }),
    ).then(
      (reply) => reply === 'OK',
      (error: unknown) => {
        // Not sent at all: nothing to take back. Otherwise the SET may still run once Redis answers again.
        if ((error as { reason?: unknown }).reason !== 'not-connected') void release(id);
        return undefined;
      },
    );
  }

  /**
   * Whether the lock key lives for good. This package always sets it with a time to live, so a key without one
   * (or a key of another type) was written by something else: waiting for it to expire would be waiting for
   * nothing. Reported as a configuration error naming the key; a failed check counts as no.
   */
  async function heldForGood(deadline: number): Promise<boolean> {
    const left = await send('lock', () => client.eval(LOCK_TIME_TO_LIVE, { keys: [lockKey] }), deadline).then(
      Number,
      () => undefined,
    );
    if (left !== -1) return false;
    report(
      new ConfigurationError(
        `${LIBRARY}/redis: the renewal lock key ${JSON.stringify(lockKey)} holds a value with no time to live, ` +
          'which this package never writes: something else uses that key, so no process can hold the lock (each ' +
          "renews alone, close to the token's expiry). Delete the key, or give the session a key of its own.",
      ),
    );
    return true;
  }

  /** Resolves `true` once this process holds the lock, `false` when it gave up (deadline, Redis failing). */
  async function acquire(id: string): Promise<boolean> {
    const started = performance.now();
    const deadline = started + lockWaitMs;
    for (let first = true; ; first = false) {
      const pending = attempt(id);
      // The first attempt gets its whole command timeout (lockWaitMs may be 0); later ones what is left.
      const got = first ? await pending : await beforeDeadline(pending, deadline);
      if (got === 'deadline') {
        // Gave up on a poll still in flight: if it takes the lock after all, hand it back.
        void pending.then((held) => held && release(id));
        return false;
      }
      if (got !== false) return got === true; // held, or Redis failing
      // Within the first attempt's command timeout when lockWaitMs is shorter: the wait's bound stays the same.
      if (first && (await heldForGood(Math.max(deadline, started + timeoutMs)))) return false;
      const wait = deadline - performance.now();
      if (wait <= 0) return false;
      await sleep(Math.min(LOCK_POLL_MS, wait));
    }
  }

  /** Extends the lock every third of its life while `run` runs; returns the function that stops it. */
  function keepHolding(id: string): () => void {
    const timer = setInterval(() => {
      send('extend', () => client.eval(EXTEND_LOCK, { keys: [lockKey], arguments: [id, String(lockTtlMs)] })).then(
        (extended) => {
          if (Number(extended) !== 1) clearInterval(timer); // lost it (expired during an outage): nothing left to extend
        },
        () => undefined,
      );
    }, lockTtlMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  return {
    async withRenewalLock(run) {
      const id = randomUUID();
      if (!(await acquire(id))) return run(false);
      const stop = keepHolding(id);
      try {
        return await run(true);
      } finally {
        stop();
        // Not waited for: the caller's answer never waits on Redis after `run`. Commands on one connection run in
        // order, so this process's next attempt cannot overtake the release.
        void release(id);
      }
    },
  };
}
