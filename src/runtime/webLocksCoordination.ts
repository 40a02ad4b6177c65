import type { RenewalCoordination } from './coordination.js';
import { ConfigurationError, invalidMessage } from './errors.js';

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

/** The lock (and BroadcastChannel) name when none is given: one customer per origin. */
export const DEFAULT_LOCK_NAME = 'storefront-customer-session:renewal';

/** The only message sent on the channel: "a renewal finished, read the store". Never a token. */
const RENEWED = 'renewed';

/** Options of {@link webLocksCoordination}. */
interface WebLocksCoordinationOptions {
  /** The Web Locks and BroadcastChannel name; give each customer session of an origin its own. */
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
 * (the holder is frozen) gives up on it and queues on a second lock, `name:takeover`, so the tabs that gave
 * up still renew one at a time; after another `timeoutMs` there it renews without a lock. When a renewal
 * finishes, a "renewed" notice on the BroadcastChannel `name` (no token) moves the tabs still waiting for
 * the first lock on to the second at once, where they read the new token. Where `navigator.locks` is
 * missing (older browsers, insecure origins) every tab renews on its own, as without coordination.
 * @example
 * ```ts
 * customerTokenExchange({ store: localStorageTokenStore(), coordination: webLocksCoordination() });
 * ```
 */
export function webLocksCoordination(options: WebLocksCoordinationOptions = {}): RenewalCoordination {
  const { name = DEFAULT_LOCK_NAME, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = options;
  // Web Locks reserves names that start with '-'.
  if (typeof name !== 'string' || name === '' || name.startsWith('-'))
    throw new ConfigurationError(invalidMessage('name', name, 'Expected a non-empty string not starting with "-".'));
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0 && timeoutMs <= 2_147_483_647))
    throw new ConfigurationError(invalidMessage('timeoutMs', timeoutMs, 'Expected milliseconds, 0 to 2147483647.'));
  return {
    async withRenewalLock(renew) {
      const locks = typeof navigator === 'object' ? navigator.locks : undefined;
      if (!locks) return renew();
      const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
      const run = () => renew().finally(() => channel?.postMessage(RENEWED));
      try {
        const first = await underLock(locks, name, timeoutMs, run, channel);
        if (first) return first.value;
        const second = await underLock(locks, `${name}:takeover`, timeoutMs, run, null);
        return second ? second.value : await run();
      } finally {
        channel?.close();
      }
    },
  };
}

/**
 * Runs `run` holding the lock `name`, or resolves `null` without running it when the lock was not granted
 * within `timeoutMs`, a notice arrived on `wake` first, or the browser refused the request.
 */
async function underLock<T>(
  locks: LockManager,
  name: string,
  timeoutMs: number,
  run: () => Promise<T>,
  wake: BroadcastChannel | null,
): Promise<{ value: T } | null> {
  const controller = new AbortController();
  const giveUp = () => controller.abort();
  const timer = setTimeout(giveUp, timeoutMs);
  wake?.addEventListener('message', giveUp);
  const stopWaiting = () => {
    clearTimeout(timer);
    wake?.removeEventListener('message', giveUp);
  };
  let granted = false;
  try {
    return await locks.request(name, { signal: controller.signal }, async () => {
      granted = true;
      stopWaiting();
      return { value: await run() };
    });
  } catch (error) {
    // Once granted, the failure is the renewal's own (the lock is released already); before, it only
    // means the lock was not had (timeout, notice, SecurityError), and the caller goes on without it.
    if (granted) throw error;
    return null;
  } finally {
    stopWaiting();
  }
}
