import { makeErrorResult, makeOperation, type Operation, type OperationResult } from '@urql/core';
import type { SetTimer } from './bounded.js';
import { invalid, LIBRARY } from './errors.js';

/**
 * The longest a request may go unanswered: far above a normal answer (well under a second), above the slowest
 * legitimate ones, short enough that a connection a server or a proxy left hanging ends and is retried.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The `requestTimeoutMs` option, checked.
 *
 * @throws ConfigurationError unless it is a number of milliseconds from 1 to 2147483647 (a timer's longest).
 */
export function resolveRequestTimeout(given: number | undefined): number {
  const ms = given ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(typeof ms === 'number' && ms >= 1 && ms <= 2_147_483_647)) {
    throw invalid(
      'requestTimeoutMs',
      ms,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Expected milliseconds from 1 to 2147483647 (about 24.8 days).'
        : '',
    );
  }
  return ms;
}

/** Where the watch notes when a request went out: an object the exchange made for that request. */
export interface Watched {
  /** The watch's tick when the request was sent. */
  tick: number;
}

/** The requests of one exchange instance that are waiting for an answer (see {@link requestWatch}). */
export interface RequestWatch {
  /** `op`'s request was sent: its answer is due within the time limit. */
  start(op: Operation): void;
  /**
   * The operation with this key was answered or torn down; with `more`, a part of a streamed answer came and more
   * parts follow: the next one is due within the time limit.
   */
  end(key: number, more?: boolean): void;
}

/** Ticks per time limit: a request ends between the limit and 1.25× it. */
const TICKS = 4;

/**
 * Times out the requests an exchange sends when they are left unanswered (no response, a body that stops arriving, or
 * a streamed answer whose next part does not come),
 * with one timer per exchange instance instead of one per request: it ticks every quarter of `limitMs` while any
 * request is out (then stops), and a request sent at tick `t` is due at tick `t + 5`. A due request is torn down below
 * (`teardown`: fetchExchange aborts its `fetch` and emits nothing for it; a custom `fetch` that ignores the abort is no
 * longer waited for) and answered as a network error (`answer`).
 *
 * @remarks
 * Nothing is allocated per request: the latest operation sent under each key stays in the map, its `tick` set to -1
 * once it is answered or torn down, and each tick drops the finished ones. A map entry per request, added and deleted,
 * made V8 rebuild the map's table every few requests (about 170 B a query in the bench).
 *
 * @param limitMs - the time limit, validated by the caller.
 * @param timer - the timer (injectable for tests on a simulated clock).
 * @param watchedOf - the object of `op`'s request where its tick is noted.
 * @param teardown - sends a teardown below.
 * @param answer - passes a result on, as if it came from below.
 */
export function requestWatch(
  limitMs: number,
  timer: SetTimer,
  watchedOf: (op: Operation) => Watched,
  teardown: (op: Operation) => void,
  answer: (result: OperationResult) => void,
): RequestWatch {
  const latest = new Map<number, Operation>();
  let tick = 0;
  let armed = false;
  const step = () => {
    tick++;
    // Answering one (a teardown below, a result here) never sends a request in the same tick: safe mid-iteration.
    for (const [key, op] of latest) {
      const sent = watchedOf(op).tick;
      if (sent >= 0 && tick - sent <= TICKS) continue;
      latest.delete(key);
      if (sent < 0) continue;
      teardown(makeOperation('teardown', op, op.context));
      answer(makeErrorResult(op, new TypeError(`${LIBRARY}: no answer in ${limitMs} ms`)));
    }
    if ((armed = latest.size > 0)) timer(step, limitMs / TICKS);
  };
  return {
    start(op) {
      watchedOf(op).tick = tick;
      latest.set(op.key, op);
      if (!armed) {
        armed = true;
        timer(step, limitMs / TICKS);
      }
    },
    end(key, more) {
      const op = latest.get(key);
      if (op) watchedOf(op).tick = more ? tick : -1;
    },
  };
}
