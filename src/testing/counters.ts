/** Request counters a test reads, e.g. to assert "exactly one renew". */
export interface EmulatorCounters {
  /**
   * Requests with a storefront token the emulator accepts that carried this GraphQL operation name (faulted and
   * GraphQL-rejected ones included). Requests without such a token are not counted by name.
   */
  count(operationName: string): number;
  /** Every GraphQL POST received, with or without a storefront token. */
  requests(): number;
  /**
   * A copy of the per-operation counts; requests without a name count under `(anonymous)`, and names past the
   * bound (over {@link MAX_NAME_LENGTH} characters, or once {@link MAX_NAMES} are counted) under `(other)`.
   */
  byOperation(): Record<string, number>;
  /** Sets every count back to zero. */
  reset(): void;
}

/** The name anonymous operations are counted under. */
export const ANONYMOUS = '(anonymous)';

/** The name operations past the bound are counted under. */
export const OTHER = '(other)';

/** The most distinct operation names counted: with {@link MAX_NAME_LENGTH}, at most about 20 MB of names. */
export const MAX_NAMES = 10_000;

/** The longest operation name counted as itself (a GraphQL name in an app's operation is far shorter). */
export const MAX_NAME_LENGTH = 1_000;

/** Creates the counters plus the `record` hook the handler calls once per GraphQL request. */
export function createCounters(): EmulatorCounters & {
  /**
   * Counts one request; `authorized` says whether it carried a storefront token the emulator accepts (only then is
   * its operation name kept).
   */
  record(operationName: string | undefined, authorized: boolean): void;
} {
  let byName = new Map<string, number>();
  let total = 0;
  return {
    record(operationName, authorized) {
      total += 1;
      if (!authorized) return;
      let key = operationName || ANONYMOUS;
      if (!byName.has(key) && (key.length > MAX_NAME_LENGTH || byName.size >= MAX_NAMES)) key = OTHER;
      byName.set(key, (byName.get(key) ?? 0) + 1);
    },
    count: (operationName) => byName.get(operationName) ?? 0,
    requests: () => total,
    byOperation: () => Object.fromEntries(byName),
    reset() {
      byName = new Map();
      total = 0;
    },
  };
}
