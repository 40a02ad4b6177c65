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
 * Runs `workers` loops of `one` for `ms` milliseconds. The slice starts from a collected heap (when the process runs
 * with `--expose-gc`, as the contender children do), outside the timed part.
 */
export async function drive(one: (worker: number) => Promise<void>, workers: number, ms: number): Promise<Slice> {
  await collectGarbage();
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
 * A full garbage collection (with `--expose-gc`), then a wait until V8's background threads have swept after it: they
 * burn several ms of CPU in the next tens of ms, which would otherwise land in the slice's CPU time.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  for (let i = 0; i < 20; i++) {
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const used = process.cpuUsage(cpu);
    if (used.user + used.system < 1000) return;
  }
}

/**
 * Counts the bytes allocated on the V8 heap from now until the returned function is called: what the heap grew by,
 * plus what every garbage collection in between freed (`v8.GCProfiler` records the heap's used size before and after
 * each one). Node 20 has no allocation counter of its own; `heapUsed` deltas alone undercount as soon as a scavenge
 * runs. Exact when the heap held only live objects at the start (a forced `gc()` just before): otherwise the first
 * collections also free garbage made earlier. Off-heap memory (`ArrayBuffer` stores, e.g. response bodies) is not
 * counted.
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
