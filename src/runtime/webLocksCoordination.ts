import type { RenewalCoordination } from './coordination.js';
import { invalid } from './errors.js';

/**
 * How long a tab waits for the renewal lock before it gives up on the holder (frozen, or stuck in a slow
 * renewal) and goes on without it.
 *
 * @remarks
 * A renewal is due days before the token expires and operations wait for it a few seconds at most, so
 * 10 s is ample for a live holder's renew round trip and costs nothing when the holder is frozen. A closed
 * tab releases its lock at once (the browser does it).
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** The lock name when none is given: one customer per origin. */
export const DEFAULT_LOCK_NAME = 'storefront-customer-session:renewal';

/** Options of {@link webLocksCoordination}. */
interface WebLocksCoordinationOptions {
  /** The Web Locks name; give each customer session of an origin its own. */
  name?: string;
  /** How long to wait for each lock before going on without it. @defaultValue {@link DEFAULT_LOCK_TIMEOUT_MS} */
  timeoutMs?: number;
}

/**
 * One renewal per customer across the tabs of an origin: pass it as `customerTokenExchange({ store,
 * coordination: webLocksCoordination() })` with a store the tabs share, such as `localStorageTokenStore()`.
 *
 * @param options - the lock name and the timeout; validated here, once.
 * @returns a {@link RenewalCoordination} that never blocks a renewal longer than the timeout per lock.
 *
 * @remarks
 * A due renewal runs inside the Web Lock `name`, where the exchange reads the store again: a tab that
 * waited while another renewed finds the new token and sends nothing. A tab that waits `timeoutMs` in vain
 * (the holder is frozen, or stuck in a slow renewal) queues on a second lock, `name:takeover`; its holder
 * steals `name` from the stuck tab and renews, so the tabs that gave up, and those arriving later, still go
 * one at a time. A takeover holder stuck too is given up on after another `timeoutMs`: then the tab renews
 * without a lock. Where `navigator.locks` is missing (older browsers, insecure origins) every tab renews on
 * its own, as without coordination.
 * @example
 * ```ts
 * customerTokenExchange({ store: localStorageTokenStore(), coordination: webLocksCoordination() });
 * ```
 */
export function webLocksCoordination(options: WebLocksCoordinationOptions = {}): RenewalCoordination {
  const { name = DEFAULT_LOCK_NAME, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = options;
  // Web Locks reserves names that start with '-'.
  if (typeof name !== 'string' || name === '' || name.startsWith('-'))
    throw invalid('name', name, 'Expected a non-empty string not starting with "-".');
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0 && timeoutMs <= 2_147_483_647))
    throw invalid('timeoutMs', timeoutMs, 'Expected milliseconds, 0 to 2147483647.');
  return {
    async withRenewalLock(renew) {
      const locks = typeof navigator === 'object' ? navigator.locks : undefined;
      // An async function never throws synchronously, so a lock callback always gets a promise to hold.
      const run = async () => renew(true);
      if (!locks) return renew(false, 'unsupported');
      const ours = await hold(locks, name, timeoutMs, run);
      if (ours) return ours.value;
      const taken = await hold(locks, `${name}:takeover`, timeoutMs, async () => {
        const stolen = await hold(locks, name, -1, run);
        return stolen ? stolen.value : run();
      });
      return taken ? taken.value : renew(false, 'timeout');
    },
  };
}

/**
 * Runs `run` holding the lock `name`, requested for at most `timeoutMs` (`-1`: stolen from its holder at
 * once), or resolves `null` without running it when the lock was not had (timeout, or refused by the
 * browser, e.g. in an opaque origin).
 */
async function hold<T>(
  locks: LockManager,
  name: string,
  timeoutMs: number,
  run: () => Promise<T>,
): Promise<{ value: T } | null> {
  const controller = new AbortController();
  const timer = timeoutMs < 0 ? undefined : setTimeout(() => controller.abort(), timeoutMs);
  let running: Promise<T> | undefined;
  try {
    await locks.request(name, timeoutMs < 0 ? { steal: true } : { signal: controller.signal }, () => {
      clearTimeout(timer);
      running = run();
      return running; // the lock is held until the renewal settles
    });
  } catch {
    // Not granted, or granted and then stolen (the renewal carries on), or the renewal failed: `running` says.
  } finally {
    clearTimeout(timer);
  }
  return running ? { value: await running } : null;
}
