import type { LockUnavailable, RenewalCoordination } from './coordination.js';
import { invalid } from './errors.js';
import { handOverChannel } from './handOverChannel.js';

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
 * coordination: webLocksCoordination() })` with a store the tabs share, best `indexedDbTokenStore()`.
 *
 * @param options - the lock name and the timeout; validated here, once.
 * @returns a {@link RenewalCoordination} that never blocks a renewal longer than the timeout per lock, and that
 * hands token changes to the other tabs over a `BroadcastChannel` named `<name>:handover`.
 *
 * @remarks
 * A due renewal runs inside the Web Lock `name` (`run(true)`), where the session reads the store again: a tab
 * that waited while another renewed finds the new token and sends nothing. The holder hands the new token to
 * the other tabs before it releases the lock, so a tab whose copy of the store lags (localStorage does, by a
 * few ms) still learns of it. A tab that waits `timeoutMs` in vain (the holder is frozen, or stuck in a slow
 * renewal) queues on a second lock, `name:takeover`; its holder steals `name` from the stuck tab and runs
 * `run(true, 'taken-over')`, so the tabs that gave up, and those arriving later, still go one at a time. A
 * takeover holder stuck too is given up on after another `timeoutMs`: then the tab runs `run(false, 'timeout')`.
 * Where `navigator.locks` is missing (older browsers, insecure origins) or refuses (opaque origins), every tab runs
 * `run(false, 'unsupported')`, as without coordination; where `BroadcastChannel` is missing nothing is handed
 * over. Nothing here throws, and nothing the app owns is closed.
 * @example
 * ```ts
 * customerTokenExchange({ store: indexedDbTokenStore(), coordination: webLocksCoordination() });
 * ```
 */
export function webLocksCoordination(options: WebLocksCoordinationOptions = {}): RenewalCoordination {
  const { name = DEFAULT_LOCK_NAME, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = options;
  // Web Locks reserves names that start with '-'.
  if (typeof name !== 'string' || name === '' || name.startsWith('-'))
    throw invalid('name', name, 'Expected a non-empty string not starting with "-".');
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0 && timeoutMs <= 2_147_483_647))
    throw invalid('timeoutMs', timeoutMs, 'Expected milliseconds, 0 to 2147483647.');
  const handOvers = handOverChannel(`${name}:handover`);
  return {
    async withRenewalLock(run) {
      const locks = lockManager();
      // Async functions never throw synchronously, so a lock callback always gets a promise to hold.
      const held = async () => run(true);
      const without = async (why: LockUnavailable) => run(false, why);
      if (!locks) return without('unsupported');
      const ours = await hold(locks, name, timeoutMs, held, handOvers.delivered);
      if ('running' in ours) return ours.running;
      if (ours.why === 'unsupported') return without('unsupported');
      const taken = await hold(
        locks,
        `${name}:takeover`,
        timeoutMs,
        async () => {
          const stolen = await hold(locks, name, -1, async () => run(true, 'taken-over'), handOvers.delivered);
          return 'running' in stolen ? stolen.running : without(stolen.why);
        },
        handOvers.delivered,
      );
      return 'running' in taken ? taken.running : without(taken.why);
    },
    handOver: handOvers.post,
    onHandOver: handOvers.listen,
  };
}

/** `navigator.locks`, or `undefined` where there is none (or reading it throws). */
function lockManager(): LockManager | undefined {
  try {
    return typeof navigator === 'object' && navigator !== null ? (navigator.locks ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Requests the lock `name` for at most `timeoutMs` (`-1`: stolen from its holder at once). Once granted, starts
 * `run` and answers its promise at once; the lock is held until `run` settles and then `beforeRelease` resolves.
 * Answers why not when the lock was not had: `timeout`, or `unsupported` when the browser refused the request
 * (e.g. an opaque origin).
 */
function hold<T>(
  locks: LockManager,
  name: string,
  timeoutMs: number,
  run: () => Promise<T>,
  beforeRelease: () => Promise<void>,
): Promise<{ running: Promise<T> } | { why: LockUnavailable }> {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (outcome: { running: Promise<T> } | { why: LockUnavailable }) => {
      if (answered) return; // a request settling after the grant (released, or stolen) changes nothing
      answered = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const controller = new AbortController();
    const timer =
      timeoutMs < 0
        ? undefined
        : setTimeout(() => {
            controller.abort();
            answer({ why: 'timeout' }); // even from a lock manager that ignores the abort
          }, timeoutMs);
    const refused = () => answer({ why: 'unsupported' });
    try {
      const options: LockOptions = timeoutMs < 0 ? { steal: true } : { signal: controller.signal };
      locks
        .request(name, options, () => {
          if (answered) return undefined; // granted after giving up: release at once, run nothing
          const running = run();
          answer({ running });
          return running.then(beforeRelease, beforeRelease);
        })
        .then(refused, refused);
    } catch {
      refused();
    }
  });
}
