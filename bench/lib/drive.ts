/** What one slice of load measured. */
export interface Slice {
  /** Completed operations per second of wall time. */
  readonly perSecond: number;
  /**
   * CPU time this process spent per operation (user + system, µs): the client's own cost, less sensitive to
   * other load.
   */
  readonly cpuMicrosPerOp: number;
}

/** Runs `workers` loops of `one` for `ms` milliseconds. */
export async function drive(one: (worker: number) => Promise<void>, workers: number, ms: number): Promise<Slice> {
  let done = 0;
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
  return { perSecond: done / (elapsed / 1000), cpuMicrosPerOp: (used.user + used.system) / done };
}
