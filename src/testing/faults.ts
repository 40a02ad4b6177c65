import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import type { Fault, FaultScope } from './types.js';

/** Fault controls handed to tests. */
export interface EmulatorFaults {
  /**
   * Plays `fault` on the next matching request(s).
   *
   * @param fault - what to do instead of (latency: before) a normal answer.
   * @param scope - `times` (default 1; `Infinity` until cleared) and an optional `operationName` filter.
   */
  inject(fault: Fault, scope?: FaultScope): void;
  /** Removes every pending fault. */
  clear(): void;
}

interface Pending {
  fault: Fault;
  left: number;
  operationName: string | undefined;
}

/** What a request should suffer: total added latency, then at most one non-latency fault. */
export interface FaultPlan {
  latencyMs: number;
  fault: Exclude<Fault, { kind: 'latency' }> | undefined;
}

/** Creates the fault queue plus the `take` hook the server calls once per GraphQL request. */
export function createFaults(): EmulatorFaults & { take(operationName: string | undefined): FaultPlan | undefined } {
  let pending: Pending[] = [];
  return {
    inject(fault, scope = {}) {
      const times = scope.times ?? 1;
      if (!(times > 0))
        throw new ConfigurationError(invalidMessage('times', times, 'Expected a positive number (or Infinity).'));
      if (fault.kind === 'latency' && !(fault.ms >= 0)) {
        throw new ConfigurationError(invalidMessage('ms', fault.ms, 'Expected a non-negative number of milliseconds.'));
      }
      pending.push({ fault, left: times, operationName: scope.operationName });
    },
    clear() {
      pending = [];
    },
    take(operationName) {
      if (pending.length === 0) return undefined;
      const plan: FaultPlan = { latencyMs: 0, fault: undefined };
      let matched = false;
      for (const entry of pending) {
        if (entry.operationName !== undefined && entry.operationName !== operationName) continue;
        if (entry.fault.kind === 'latency') plan.latencyMs += entry.fault.ms;
        else if (plan.fault) continue;
        else plan.fault = entry.fault;
        entry.left -= 1;
        matched = true;
      }
      pending = pending.filter((entry) => entry.left > 0);
      return matched ? plan : undefined;
    },
  };
}
