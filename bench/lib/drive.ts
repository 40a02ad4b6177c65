import { GCProfiler, getHeapStatistics } from 'node:v8';

/** What one slice of load measured. */
export interface Slice {
  /** Completed operations per second of wall time. */
  readonly perSecond: number;
  /**
   * CPU time this process spent per operation (user + system, µs): the client's own cost, less sensitive to
   * other load.
   */
  readonly cpuMicrosPerOp: number;
  /** Bytes allocated on the V8 heap per operation (see {@link allocationMeter}). */
  readonly bytesPerOp: number;
}

/**
 * Runs `workers` loops of `one` for `ms` milliseconds. No garbage collection is forced around a slice: a forced full
 * collection drops the optimised code of the closures urql and wonka create per operation, and the next few thousand
 * queries then cost about 2.5× the CPU (measured on the 2-core box: 150 → 390 µs per query for plain urql).
 */
export async function drive(one: (worker: number) => Promise<void>, workers: number, ms: number): Promise<Slice> {
  let done = 0;
  const allocated = allocationMeter();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < until) {
        await one(worker);
        done += 1;
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: done / (elapsed / 1000),
    cpuMicrosPerOp: (used.user + used.system) / done,
    bytesPerOp: allocated() / done,
  };
}

/**
 * Counts the bytes allocated on the V8 heap from now until the returned function is called. The heap's used size only
 * grows by allocation and only shrinks by garbage collection, so what was allocated is what it grew by plus what every
 * collection in between freed (`v8.GCProfiler` records the used size before and after each one); garbage made before
 * the start and freed after it is in both terms and cancels. Node 20 has no allocation counter of its own, and
 * `heapUsed` deltas alone undercount as soon as a scavenge runs. Off-heap memory (`ArrayBuffer` stores, e.g. response
 * bodies) is not counted.
 */
export function allocationMeter(): () => number {
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  return () => {
    const after = getHeapStatistics().used_heap_size;
    let freed = 0;
    for (const gc of profiler.stop().statistics)
      freed += usedHeapSize(gc.beforeGC.heapStatistics) - usedHeapSize(gc.afterGC.heapStatistics);
    return after - before + freed;
  };
}

/** The profiler's heap statistics are camelCase (`usedHeapSize`), whatever @types/node says. */
function usedHeapSize(statistics: object): number {
  const used = (statistics as { usedHeapSize?: unknown }).usedHeapSize;
  if (typeof used !== 'number') throw new Error('bench: v8.GCProfiler reported no usedHeapSize');
  return used;
}
