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
  let current = instant('now', checked('now', start));
  return {
    now: () => current,
    advance(ms: number) {
      current = instant('advance(ms)', current + checked('advance(ms)', ms));
    },
    set(ms: number) {
      current = instant('set(ms)', checked('set(ms)', ms));
    },
  };
}

/**
 * The instants the emulator can play: the version calendar names versions `YYYY-MM` (four-digit years), so a clock
 * before 1970 or from year 9999 on would fail every request.
 */
const EARLIEST = 0;
const LATEST = Date.UTC(9999, 0, 1);

function checked(what: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigurationError(invalidMessage(what, value, 'Expected a finite number of milliseconds.'));
  }
  return value;
}

function instant(what: string, value: number): number {
  if (!(value >= EARLIEST && value < LATEST)) {
    throw new ConfigurationError(
      invalidMessage(what, value, 'Expected milliseconds since the epoch from 0 (1970) to before year 9999.'),
    );
  }
  return value;
}
