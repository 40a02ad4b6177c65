/** Starts a timer and returns the function that cancels it. Injected so that tests can run on a simulated clock. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

/** `setTimeout` that never holds a Node process open (a pending bound is no reason to keep a CLI running). */
export const realTimer: SetTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms) as ReturnType<typeof setTimeout> & { unref?: () => void };
  timer.unref?.();
  return () => clearTimeout(timer);
};

/** The longest delay a timer keeps (`setTimeout` fires at once past it). */
const MAX_TIMER_MS = 2_147_483_647;

/** A stretch of time: see {@link span}. */
export interface Span {
  /** Its end on the wall clock. */
  readonly end: number;
  /** Its length has passed on the timers. */
  over: boolean;
}

/**
 * A stretch of `ms` from `now` (the wall clock), over when the wall clock reaches its end or when `ms` have passed on
 * the timers, whichever comes first: a wall clock set back (NTP, a user) would stretch an end kept on it alone by as
 * much, hours without a renewal, while timers run on a monotonic clock; a device that slept moved its wall clock on
 * (its timers stopped with it), which ends it. The timer holds the span alone, not its owner.
 */
export function span(now: number, ms: number, timer: SetTimer): Span {
  const stretch = { end: now + ms, over: false };
  timer(() => void (stretch.over = true), Math.min(ms, MAX_TIMER_MS));
  return stretch;
}

/** Whether `stretch` still lasts at `now` (the wall clock). */
export const within = (stretch: Span | null, now: number): boolean => !!stretch && !stretch.over && now < stretch.end;

/** How an effect with a time limit ended: its value, or a failure (threw, rejected, or took longer). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown; timedOut: boolean };

/**
 * Runs `effect` with a time limit: resolves with its value when it settles within `ms`, with a failure when
 * it throws (synchronously too), rejects or takes longer. Never rejects, never waits longer than `ms`.
 */
export function bounded<T>(effect: () => T | PromiseLike<T>, ms: number, timer: SetTimer): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    let done = false;
    const settle = (outcome: Outcome<T>) => {
      if (done) return;
      done = true;
      cancel();
      resolve(outcome);
    };
    const cancel = timer(() => settle({ ok: false, error: undefined, timedOut: true }), ms);
    try {
      Promise.resolve(effect()).then(
        (value) => settle({ ok: true, value }),
        (error: unknown) => settle({ ok: false, error, timedOut: false }),
      );
    } catch (error) {
      settle({ ok: false, error, timedOut: false });
    }
  });
}
