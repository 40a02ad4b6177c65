/** Request counters a test reads, e.g. to assert "exactly one renew". */
export interface EmulatorCounters {
  /** Requests that carried this GraphQL operation name (faulted and rejected ones included). */
  count(operationName: string): number;
  /** Every GraphQL POST received. */
  requests(): number;
  /** A copy of the per-operation counts; requests without a name count under `(anonymous)`. */
  byOperation(): Record<string, number>;
  /** Sets every count back to zero. */
  reset(): void;
}

/** The name anonymous operations are counted under. */
export const ANONYMOUS = '(anonymous)';

/** Creates the counters plus the `record` hook the server calls once per GraphQL request. */
export function createCounters(): EmulatorCounters & { record(operationName: string | undefined): void } {
  let byName = new Map<string, number>();
  let total = 0;
  return {
    record(operationName) {
      const key = operationName || ANONYMOUS;
      total += 1;
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
