import { ConfigurationError, invalidMessage } from '../runtime/errors.js';

/** The emulator's controllable clock. `now` is bound, so it can be handed out as `now: clock.now`. */
export interface EmulatorClock {
  /** The emulator's current time, ms since the epoch. */
  now(): number;
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void;
}

/** Creates a clock starting at `start` that only moves when told to. */
export function createClock(start: number): EmulatorClock {
  let current = checked('now', start);
  return {
    now: () => current,
    advance(ms: number) {
      current += checked('advance(ms)', ms);
    },
    set(ms: number) {
      current = checked('set(ms)', ms);
    },
  };
}

function checked(what: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigurationError(invalidMessage(what, value, 'Expected a finite number of milliseconds.'));
  }
  return value;
}
