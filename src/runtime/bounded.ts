/** Starts a timer and returns the function that cancels it. Injected so that tests can run on a simulated clock. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

/** `setTimeout` that never holds a Node process open (a pending bound is no reason to keep a CLI running). */
export const realTimer: SetTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms) as ReturnType<typeof setTimeout> & { unref?: () => void };
  timer.unref?.();
  return () => clearTimeout(timer);
};

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
